/**
 * Starting and stopping `stack-process.ts` children for the fault suite, and talking to them: their gateway, their
 * `/metrics`, their control server, and their log lines (JSON on stderr, kept for assertions and for the report
 * when a test fails).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CallResult } from './stack-process.ts';
import { parsePrometheusText, type Sample } from './prometheus-text.ts';

const ENTRY = path.resolve(import.meta.dirname, 'stack-process.ts');
const ROOT = path.resolve(import.meta.dirname, '../..');

export interface StackProcess {
  readonly name: string;
  readonly graphqlUrl: string;
  readonly gatewayUrl: string;
  readonly controlUrl: string;
  /** Log lines so far, parsed (non-JSON lines are kept as `{ msg }`). */
  readonly logs: Record<string, unknown>[];
  metrics(): Promise<Sample[]>;
  calls(body: Record<string, unknown>): Promise<CallResult[]>;
  startFlood(body: Record<string, unknown>): Promise<void>;
  stopFlood(): Promise<{ calls: number; ok: number; failed: Record<string, number> }>;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the exit code (null when killed). */
  stop(): Promise<number | null>;
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status} ${text}`);
  return (text.length > 0 ? JSON.parse(text) : undefined) as T;
}

export async function startStackProcess(name: string, env: Record<string, string>, startTimeoutMs = 90_000): Promise<StackProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    // Only what the stack needs: the parent's own MONGO_URL etc. must not leak in unless given.
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const urls = await new Promise<{ graphqlUrl: string; gatewayUrl: string; controlUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${startTimeoutMs} ms; logs: ${JSON.stringify(logs.slice(-20))}`)), startTimeoutMs);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { graphqlUrl: string; gatewayUrl: string; controlUrl: string });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it started; logs: ${JSON.stringify(logs.slice(-20))}`));
    });
  });

  const post = (route: string, body: unknown, method = 'POST') =>
    fetch(`${urls.controlUrl}${route}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return {
    name,
    ...urls,
    logs,
    metrics: async () => parsePrometheusText(await (await fetch(`${urls.gatewayUrl}/metrics`)).text()),
    calls: async (body) => (await json<{ results: CallResult[] }>(await post('/calls', body))).results,
    startFlood: async (body) => {
      await json<undefined>(await post('/flood', body));
    },
    stopFlood: async () => json(await fetch(`${urls.controlUrl}/flood`, { method: 'DELETE' })),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
