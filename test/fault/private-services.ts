import { execFileSync } from 'node:child_process';
/**
 * A private Redis or FerretDB for a fault row that stops it: its own port and, for FerretDB, its own state
 * directory in a temp folder, so stopping it never touches the shared test services (scripts/test-services.sh, whose
 * flags these mirror). `stop()` kills the server (SIGKILL: an outage, not a shutdown), `start()` brings it back on
 * the same port with the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const FERRETDB_BIN = path.join(ROOT, '.services/bin/ferretdb');

export interface PrivateService {
  readonly url: string;
  readonly port: number;
  /** Kills the server and waits until its port refuses connections. */
  stop(): Promise<void>;
  /** Starts it again on the same port (same data directory) and waits until it accepts connections. */
  start(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing is answered — a hung server, not a stopped one. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Stops it and removes its temp folder. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** True when something accepts TCP connections on 127.0.0.1:port now. */
export const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** A port lost on a first start: found taken, or the server exited before it listened (most likely EADDRINUSE). */
class PortLost extends Error {}

/** Ports tried on a first start: a port chosen free can be taken by another process before the server binds it. */
const PORT_ATTEMPTS = 3;

async function waitPort(port: number, open: boolean, timeoutMs: number, name: string, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await portOpen(port)) !== open) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new PortLost(`${name} on port ${port} exited (${child.exitCode ?? child.signalCode}) before it listened`);
    if (Date.now() > deadline) throw new Error(`${name} on port ${port} did not ${open ? 'open' : 'close'} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A first start on a port chosen free, up to PORT_ATTEMPTS ports: a port found open already is skipped, and one the
 * server exits on before it listens (taken between the choice and the bind) is replaced. `first`: the first port to
 * try (tests; default a free one).
 */
async function startOnFreePort(name: string, open: (port: number) => PrivateService, first?: number): Promise<PrivateService> {
  for (let attempt = 1; ; attempt += 1) {
    const port = attempt === 1 && first !== undefined ? first : await freePort();
    const service = open(port);
    try {
      // Taken since the choice: never wait on it (the wait for the port would take the other server for this one).
      if (await portOpen(port)) throw new PortLost(`${name}: port ${port} was taken before it started`);
      await service.start();
      return service;
    } catch (error) {
      await service.close().catch(() => undefined);
      if (!(error instanceof PortLost) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

function privateService(name: string, url: string, port: number, launch: () => ChildProcess, dir: string): PrivateService {
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child !== null) return;
    const launched = launch();
    child = launched;
    try {
      await waitPort(port, true, 30_000, name, launched);
    } catch (error) {
      // Not started: nothing to stop later (a server still starting after the wait is killed here).
      if (child === launched) child = null;
      launched.kill('SIGKILL');
      throw error;
    }
  };
  const stop = async () => {
    const running = child;
    if (running === null) return;
    child = null;
    const exited = new Promise<void>((resolve) => (running.exitCode !== null ? resolve() : running.once('exit', () => resolve())));
    running.kill('SIGKILL');
    await exited;
    await waitPort(port, false, 10_000, name);
  };
  const signal = (name: NodeJS.Signals) => {
    if (child === null) throw new Error(`${name} to ${url}: not running`);
    child.kill(name);
  };
  return {
    url,
    port,
    start,
    stop,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** redis-server without persistence, as the test services run it. `port`: the first port to try (tests). */
export async function startPrivateRedis(options: { port?: number } = {}): Promise<PrivateService> {
  return startOnFreePort('redis', (port) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fault-redis-'));
    return privateService('redis', `redis://127.0.0.1:${port}`, port, () =>
      spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }), dir);
  }, options.port);
}

/** FerretDB on SQLite in a temp folder; the data survives stop/start, as a real server's would. */
export async function startPrivateFerretdb(): Promise<PrivateService> {
  if (!existsSync(FERRETDB_BIN)) throw new Error(`${FERRETDB_BIN} is missing: run scripts/test-services.sh start`);
  return startOnFreePort('ferretdb', (port) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fault-ferretdb-'));
    mkdirSync(path.join(dir, 'data'));
    const args = [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/data/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=warn',
    ];
    return privateService('ferretdb', `mongodb://127.0.0.1:${port}/`, port, () => spawn(FERRETDB_BIN, args, { stdio: 'ignore' }), dir);
  });
}

/** Whether this machine can start the private Redis and FerretDB the outage rows need (`.ci/run` installs both). */
export const privateServicesAvailable: boolean = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  return existsSync(FERRETDB_BIN);
})();
