/**
 * The stores bench:scale runs on, and how it counts round trips to them.
 *
 * By default a private Redis and a private FerretDB (SQLite backend, in-process), flags as scripts/test-services.sh
 * starts them, on random ports in a temp folder: on a machine shared with other engineers the shared test services
 * also serve their suites, so neither their CPU nor their command counts would be ours alone. The private FerretDB
 * is started with its debug listener on, which serves Prometheus metrics (`ferretdb_client_requests_total` by
 * command) — the shared one runs with `--debug-addr=-`, so with `--shared-stores` FerretDB commands are not counted.
 * Redis commands are counted from `INFO commandstats` deltas (minus the INFO calls themselves).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { FERRETDB_BIN, freePort, portOpen } from '../../test/fault/private-services.ts';

export interface BenchStores {
  readonly mongoUrl: string;
  readonly redisUrl: string;
  /** The store servers' pids (redis-server, ferretdb), for CPU accounting. */
  readonly pids: { name: string; group: string; pid: number }[];
  readonly private: boolean;
  /** Redis calls per command so far. */
  redisCommands(): Promise<Map<string, number>>;
  /** FerretDB requests per command so far; null when not countable (shared server without metrics). */
  ferretCommands(): Promise<Map<string, number> | null>;
  close(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function parseCommandstats(info: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m && m[1] !== 'info') out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/**
 * Requests per command, plus the answers that were errors as `<command> <result>` (`insert DuplicateKey`: a lost
 * race for a unique `_id`, how the product's claims arbitrate on FerretDB), from `ferretdb_client_*_total`.
 */
function parseFerretRequests(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, n: number) => out.set(key, (out.get(key) ?? 0) + n);
  for (const line of text.split('\n')) {
    const m = /^ferretdb_client_(requests|responses)_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const command = /command="([^"]*)"/.exec(m[2]!)?.[1] ?? 'unknown';
    if (m[1] === 'requests') add(command, Number(m[3]));
    else {
      const result = /result="([^"]*)"/.exec(m[2]!)?.[1] ?? 'ok';
      if (result !== 'ok') add(`${command} ${result} (error answers)`, Number(m[3]));
    }
  }
  return out;
}

/** Processes on this machine whose command line matches (the shared services, found by name). */
function findPids(test: (cmdline: string) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (test(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '))) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export async function openBenchStores(shared: boolean): Promise<BenchStores> {
  if (shared) {
    const mongoUrl = process.env.MONGO_URL;
    const redisUrl = process.env.REDIS_URL;
    if (!mongoUrl || !redisUrl) throw new Error('--shared-stores needs MONGO_URL and REDIS_URL: eval "$(bash scripts/test-services.sh env)"');
    const redis = new Redis(redisUrl, { lazyConnect: false });
    const mongoPort = new URL(mongoUrl).port;
    const redisPort = new URL(redisUrl).port;
    return {
      mongoUrl,
      redisUrl,
      private: false,
      pids: [
        ...findPids((c) => c.includes('ferretdb') && c.includes(`:${mongoPort}`)).map((pid) => ({ name: `ferretdb(${pid})`, group: 'ferretdb', pid })),
        ...findPids((c) => c.startsWith('redis-server') && c.includes(`:${redisPort}`)).map((pid) => ({ name: `redis(${pid})`, group: 'redis-server', pid })),
      ],
      redisCommands: async () => parseCommandstats(await redis.info('commandstats')),
      ferretCommands: async () => null,
      close: async () => void redis.disconnect(),
    };
  }
  if (!readdirSync(path.dirname(FERRETDB_BIN)).includes('ferretdb')) throw new Error(`${FERRETDB_BIN} is missing: run scripts/test-services.sh start`);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-scale-'));
  mkdirSync(path.join(dir, 'data'));
  const [redisPort, mongoPort, debugPort] = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  try {
    const redisServer = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    children.push(redisServer);
    const ferret = spawn(
      FERRETDB_BIN,
      ['--handler=sqlite', `--sqlite-url=file:${dir}/data/`, `--state-dir=${dir}`, `--listen-addr=127.0.0.1:${mongoPort}`, '--telemetry=disable', `--debug-addr=127.0.0.1:${debugPort}`, '--log-level=warn'],
      { stdio: 'ignore' },
    );
    children.push(ferret);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    await waitFor(() => portOpen(redisPort), 'the private Redis');
    const redis = new Redis(redisUrl);
    const metricsUrl = `http://127.0.0.1:${debugPort}/debug/metrics`;
    await waitFor(async () => (await portOpen(mongoPort)) && (await fetch(metricsUrl)).ok, 'the private FerretDB');
    return {
      mongoUrl: `mongodb://127.0.0.1:${mongoPort}/`,
      redisUrl,
      private: true,
      pids: [
        { name: 'ferretdb', group: 'ferretdb', pid: ferret.pid! },
        { name: 'redis-server', group: 'redis-server', pid: redisServer.pid! },
      ],
      redisCommands: async () => parseCommandstats(await redis.info('commandstats')),
      ferretCommands: async () => parseFerretRequests(await (await fetch(metricsUrl)).text()),
      close: async () => {
        redis.disconnect();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
