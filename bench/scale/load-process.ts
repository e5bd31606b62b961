/** Starts bench/scale/load.ts as a child process and runs one job in it (see there). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { LoadJob, LoadResult } from './load.ts';

export interface LoadProcess {
  readonly pid: number;
  /** Starts the job; resolves with its result. */
  run(): Promise<LoadResult>;
  /** Lets it exit, and waits until it has. */
  close(): Promise<void>;
}

/** Resolves once the loader is ready (its own start is not part of any measured window). */
export async function startLoad(job: LoadJob): Promise<LoadProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'load.ts')], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', BENCH_SCALE_LOAD: JSON.stringify(job) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => (waiters.length > 0 ? waiters.shift()!(line) : queue.push(line)));
  const gone = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exited = gone.then((code): never => {
    throw new Error(`the load process exited with ${code}`);
  });
  exited.catch(() => {}); // raced below; after close() nobody waits on it
  const nextLine = () => Promise.race([new Promise<string>((resolve) => (queue.length > 0 ? resolve(queue.shift()!) : waiters.push(resolve))), exited]);
  if ((await nextLine()) !== 'ready') throw new Error('the load process did not say ready');
  return {
    pid: child.pid!,
    run: async () => {
      child.stdin!.write('go\n');
      return JSON.parse(await nextLine()) as LoadResult;
    },
    close: async () => {
      child.stdin!.write('exit\n');
      await gone;
    },
  };
}
