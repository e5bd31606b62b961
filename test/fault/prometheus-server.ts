/**
 * A real Prometheus (Debian's `prometheus` package) for a test: a free loopback port, a temporary storage directory,
 * the given config and rule files written beside each other, and the HTTP API it answers on. Stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath } from '../ops/promql.ts';
import { freePort, portOpen } from './private-services.ts';

export interface PrometheusServer {
  readonly url: string;
  /** The last lines Prometheus logged (for a failing assertion's message). */
  logTail(): string;
  stop(): Promise<void>;
}

/** Ports tried: a port chosen free can be taken by another process before Prometheus binds it. */
const PORT_ATTEMPTS = 3;

export async function startPrometheus(options: { config: string; files: Readonly<Record<string, string>> }): Promise<PrometheusServer> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      return await startOn(port, options);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startOn(port: number, options: { config: string; files: Readonly<Record<string, string>> }): Promise<PrometheusServer> {
  // Taken since the choice: never poll it (the readiness probe could take another server for this one).
  if (await portOpen(port)) throw new PortTaken(`prometheus: port ${port} was taken before it started`);
  const dir = await mkdtemp(join(tmpdir(), 'prometheus-'));
  await writeFile(join(dir, 'prometheus.yml'), options.config);
  for (const [name, text] of Object.entries(options.files)) await writeFile(join(dir, name), text);
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    toolPath('prometheus'),
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // After 'close' all it wrote to stderr has been read ('exit' may come first).
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await closed;
      await rm(dir, { recursive: true, force: true });
      const message = `prometheus exited (${child.exitCode}): ${log}`;
      throw /address already in use/i.test(log) ? new PortTaken(message) : new Error(message);
    }
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`prometheus did not become ready: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, logTail: () => log, stop };
}

export interface ActiveAlert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
}

/** GET /api/v1/alerts: the alerts pending or firing now (resolved ones are not listed). */
export async function activeAlerts(prometheus: Pick<PrometheusServer, 'url'>): Promise<ActiveAlert[]> {
  const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as { status: string; data: { alerts: ActiveAlert[] } };
  if (body.status !== 'success') throw new Error(`alerts API answered ${JSON.stringify(body)}`);
  return body.data.alerts;
}
