/**
 * `npm run tokens -- revoke` (bin/tokens.ts, its own process, straight on MongoDB) reaches open sockets: with
 * REDIS_URL it publishes `token.revoked` on the bus the gateways hear, so the token's subscription socket on a
 * running gateway closes 4401 within seconds, not at its next reconnect. The token is issued by the same CLI.
 * Needs MongoDB (the CLI's store) and Redis (the shared bus).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { testConfig } from '../support/stack-env.ts';
import { openClient, subscribe, waitFor } from '../support/ws-clients.ts';

/** Runs `npm run tokens -- <args>` as an operator would (tsx bin/tokens.ts), with the stack's database and prefix. */
function tokensCli(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/tokens.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tokens ${args[0]} did not finish: ${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!process.env.REDIS_URL || !process.env.MONGO_URL)('npm run tokens -- revoke closes open sockets (e2e, MongoDB + Redis)', () => {
  let stack: Stack;
  let env: Record<string, string>;
  const clients: ReturnType<typeof openClient>[] = [];

  beforeAll(async () => {
    const config = testConfig({ BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false });
    env = { MONGO_URL: process.env.MONGO_URL!, MONGO_DB: config.mongoDb!, REDIS_URL: process.env.REDIS_URL!, KEY_PREFIX: config.keyPrefix, LOG_LEVEL: 'warn' };
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    if (stack) {
      await stack.stores.tokens.clear();
      await stack.close();
    }
  });

  it('the CLI revoke publishes token.revoked: the socket of the revoked token closes 4401 within 5 s', async () => {
    const issued = await tokensCli(['issue', '--tenant', 'acme', '--scopes', 'inventory:read'], env);
    expect(issued.code, issued.stderr).toBe(0);
    const token = issued.stdout.trim();
    const id = /issued (\S+)/.exec(issued.stderr)![1]!;
    const partner = openClient(stack.gateway.graphqlUrl, token);
    clients.push(partner);
    const sub = subscribe(partner, `subscription { stockChanged { sku } }`);
    await waitFor(() => stack.gateway.subscriptions!.subscribers === 1, 'the subscription to be registered');
    expect(partner.closes).toEqual([]);

    const started = Date.now();
    const revoked = await tokensCli(['revoke', id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${id}`);
    await waitFor(() => partner.closes.length > 0, 'the revoked socket to close', 5_000);
    // From the operator's command to the closed socket: the CLI's start-up (tsx, MongoDB, Redis) is most of it.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(partner.closes[0]).toEqual({ code: 4401, reason: 'Token revoked' });
    expect(sub.errors).toHaveLength(1);
  }, 60_000);
});
