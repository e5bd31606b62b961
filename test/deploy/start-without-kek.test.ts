/**
 * `npm start` and `npm run serve -- <role>` with a persistent store and no SECRETS_KEK stop before they open
 * anything, naming the setting and how to make a key (platform/service-config.ts). Before this, it started and sealed customer data on orders with a key
 * that died with the process: after a restart those orders could not be read or resumed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
// A port nothing listens on: the refusal must come before any connection, and with a key the start gets past
// configuration and fails on the store instead.
const DEAD_MONGO = 'mongodb://127.0.0.1:9/never';

function runStart(entry: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...entry], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry.join(' ')} still running after 40 s; stderr: ${stderr.slice(-2000)}`));
    }, 40_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe.each([
  ['npm start', ['bin/start.ts']],
  ['npm run serve -- orders', ['bin/serve.ts', 'orders']],
] as const)('%s with MONGO_URL and no SECRETS_KEK', (_name, entry) => {
  // serve's roles need the gateway's shared secret; given here so the key is the only thing missing.
  const common = { MONGO_URL: DEAD_MONGO, GATEWAY_SIGNING_SECRET: randomBytes(48).toString('base64') };

  it('exits 1 with the configuration error, before touching the store', { timeout: 60_000 }, async () => {
    const { code, stderr } = await runStart(entry, common);
    expect(code).toBe(1);
    expect(stderr).toMatch(/invalid configuration:\n {2}SECRETS_KEK: required when MONGO_URL is set/);
    expect(stderr).toContain('openssl rand -base64 32');
    expect(stderr).not.toMatch(/failed to start|STORE_UNAVAILABLE|MongoServerSelectionError/);
  });

  it('with SECRETS_KEK it passes configuration and fails only on the unreachable store', { timeout: 60_000 }, async () => {
    const { code, stderr } = await runStart(entry, { ...common, MONGO_SERVER_SELECTION_TIMEOUT_MS: '200', SECRETS_KEK: randomBytes(32).toString('base64') });
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/SECRETS_KEK/);
    expect(stderr).toMatch(/STORE_UNAVAILABLE|MongoServerSelectionError|ECONNREFUSED/);
  });
});
