/** One `serve <role>` child process, as deployed (tsx here; the image runs the compiled `node dist/bin/serve.js`). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

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
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it started: ${JSON.stringify(logs.slice(-10))}`));
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
