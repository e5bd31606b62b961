/** One `serve <role>` child process, as deployed (tsx here; the image runs the compiled `node dist/bin/serve.js`). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../private-services.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
// One exit listener per child (the orphan guard below): a cluster has more than the default ten.
process.setMaxListeners(100);

/** Every role process started and not yet exited, starting ones included. */
const live = new Set<ChildProcess>();
// A test worker stopped with SIGTERM runs no 'exit' listener: take the role processes down with it.
process.once('SIGTERM', () => {
  for (const child of live) child.kill('SIGKILL');
  process.exit(143);
});

/**
 * SIGKILLs every role process still running. For a suite's afterAll: a cluster whose start timed out was never
 * returned, and a test worker stopped with a signal runs no 'exit' listener, so its children would outlive it.
 */
export async function killAllRoleProcesses(): Promise<void> {
  const exits = [...live].map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))));
  for (const child of live) child.kill('SIGKILL');
  await Promise.all(exits);
}

/** A role process that exited before it listened; `addressInUse` when its port was taken (EADDRINUSE). */
export class RoleStartError extends Error {
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
  }
}

export interface RoleProcess {
  readonly role: string;
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Its last log lines (JSON parsed when they are), for a failure report. */
  readonly logs: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
  /** SIGKILL: a crash, nothing runs after it. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code (its graceful close). */
  stop(): Promise<number | null>;
}

export async function startRoleProcess(role: string, name: string, env: Record<string, string>, startTimeoutMs = 90_000): Promise<RoleProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bin/serve.ts', role], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const keep = (entry: Record<string, unknown>) => {
    logs.push(entry);
    if (logs.length > 200) logs.shift();
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // After 'close' every line of its output has been read ('exit' may come first).
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  live.add(child);
  void exited.then(() => live.delete(child));
  // A suite that fails (or a parent that exits) never leaves role processes behind.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.removeListener('exit', orphanGuard));
  createInterface({ input: child.stderr! }).on('line', (line) => keep({ stderr: line }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${startTimeoutMs} ms: ${JSON.stringify(logs.slice(-10))}`));
    }, startTimeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { msg: line };
      }
      keep(entry);
      if (entry['msg'] === 'role listening' && typeof entry['url'] === 'string') {
        clearTimeout(timer);
        resolve(entry['url']);
      }
    });
    void exited.then(async (code) => {
      clearTimeout(timer);
      await closed;
      const addressInUse = logs.some((entry) => JSON.stringify(entry).includes('EADDRINUSE'));
      reject(new RoleStartError(`${name} exited with ${code} before it started: ${JSON.stringify(logs.slice(-10))}`, addressInUse));
    });
  });
  return {
    role,
    name,
    url,
    pid: child.pid!,
    logs,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Ports tried per start: a port chosen free can be taken by another process before the child binds it. */
export const PORT_ATTEMPTS = 3;

export interface PortChoice {
  /** The port chosen for it (freePort), set as PORT. */
  readonly port: number;
  /**
   * Whether another port may be used (false: something was already given this address). When it is, `moved`
   * is told each new port before the child is started on it (a balancer in front, the caller's port map).
   */
  readonly movable: boolean;
  readonly moved?: (from: number, to: number) => void;
}

/**
 * startRoleProcess on `choice.port` (as PORT); when the child exits with EADDRINUSE (the port chosen free was taken
 * before it bound, seen once in CI), starts it again on another free port, up to PORT_ATTEMPTS ports in all.
 */
export async function startRoleProcessOnPort(role: string, name: string, env: Record<string, string>, choice: PortChoice, startTimeoutMs?: number): Promise<RoleProcess> {
  let port = choice.port;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startRoleProcess(role, name, { ...env, PORT: String(port) }, startTimeoutMs);
    } catch (error) {
      if (!(error instanceof RoleStartError) || !error.addressInUse || !choice.movable || attempt >= PORT_ATTEMPTS) throw error;
      const next = await freePort();
      choice.moved?.(port, next);
      port = next;
    }
  }
}
