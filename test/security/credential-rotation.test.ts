/**
 * Rotating Brightline's client secret and then the key-encryption key, under continuous supplier load, fails no
 * supplier call (docs/security.md, "Rotation runbooks"). On real MongoDB-protocol storage and Redis; skipped
 * without them.
 *
 * The load is real stock reads (connector getStock through a running stack: call policies, shared Redis buckets,
 * outbound policy) against a Brightline sandbox whose access tokens live 2 s, so the OAuth client asks for a token
 * about every second — each time re-reading the credential vault. The runbooks are followed as an operator would:
 *   1. client secret: the sandbox accepts old + new; `npm run credentials -- set` stores the new one; the sandbox
 *      grants tokens for the new one (the running process picked it up, no restart); the sandbox retires the old
 *      one, revoking the tokens granted with it;
 *   2. KEK: a second process starts with SECRETS_KEK=new, SECRETS_KEK_PREVIOUS=old (rolling restart) and takes load;
 *      the old-key-only process stops; `rotate-kek` re-wraps every version; the new process keeps re-reading the
 *      re-wrapped credentials; a new-key-only vault opens them all.
 * The CLI runs as its own process (bin/credentials.ts), as the operator runs it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lane } from '../../adapters/core/connector.ts';
import { isRegistryError } from '../../kernel/errors.ts';
import { createMongoCredentialStore } from '../../adapters/storage/mongo/credential-store.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger, type Logger } from '../../platform/logger.ts';
import { createRestSandbox, type RestSandbox } from '../../sandboxes/rest/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { vaultOf } from '../../stack/supplier-credentials.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const { MONGO_URL, REDIS_URL } = process.env;
const ROOT = new URL('../../', import.meta.url).pathname;

const id = randomBytes(4).toString('hex');
const DB = `test_rotation_${id}`;
const KEY_PREFIX = `test:rotation:${id}:`;
const CLIENT_ID = 'bl-rotation-client';
const OLD_SECRET = `bl-old-${randomBytes(12).toString('hex')}`;
const NEW_SECRET = `bl-new-${randomBytes(12).toString('hex')}`;
/** In the environment, and never right: the process must be running on what the vault holds. */
const ENV_SECRET = `bl-env-stale-${randomBytes(12).toString('hex')}`;
const OLD_KEK_BYTES = randomBytes(32).toString('base64');
const NEW_KEK_BYTES = randomBytes(32).toString('base64');
const OLD_KEK = `kek-old-${id}:${OLD_KEK_BYTES}`;
const NEW_KEK = `kek-new-${id}:${NEW_KEK_BYTES}`;
const SECRET_VALUES = [OLD_SECRET, NEW_SECRET, ENV_SECRET, OLD_KEK_BYTES, NEW_KEK_BYTES];

/** Calls in each phase, at the least: the load really ran while each step happened. */
const FLOOR = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Every log line of the stacks and every line the CLI printed, to search for secret values. */
const captured: string[] = [];
const capturingLogger = (): Logger => createLogger({ level: 'debug', destination: new Writable({ write: (chunk, _e, done) => (captured.push(String(chunk)), done()) }) });

const kekEnv = (current: string, previous?: string): Record<string, string> => ({ SECRETS_KEK: current, ...(previous ? { SECRETS_KEK_PREVIOUS: previous } : {}) });

/** `npm run credentials -- <args>` in its own process, the value (if any) on stdin. */
async function credentialsCli(args: readonly string[], keks: Record<string, string>, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/credentials.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MONGO_URL: MONGO_URL!, MONGO_DB: DB, ...keks },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
  child.stdin.end(stdin);
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve(status ?? 1));
  });
  captured.push(out, err);
  return { code, out, err };
}

/** Outcomes of the load, by phase. */
interface Tally {
  ok: number;
  failed: number;
  errors: string[];
}

/**
 * Workers reading Brightline stock through one stack's connector until stopped; each outcome goes to the phase
 * current when the call ended.
 */
function startLoad(stack: Stack, skus: readonly string[], phase: () => string, tallies: Map<string, Tally>, workers = 3) {
  let running = true;
  const connector = stack.connectors.get('brightline')!;
  const log = capturingLogger();
  const tally = (name: string): Tally => {
    let t = tallies.get(name);
    if (!t) tallies.set(name, (t = { ok: 0, failed: 0, errors: [] }));
    return t;
  };
  const worker = async (w: number) => {
    for (let i = 0; running; i += 1) {
      const sku = skus[(w * 7 + i) % skus.length]!;
      try {
        const [stock] = await connector.getStock([sku], { signal: AbortSignal.timeout(10_000), log, requestId: `load-${w}-${i}`, lane: 'interactive' as Lane });
        if (stock?.supplierSku !== sku) throw new Error(`no stock answer for ${sku}`);
        tally(phase()).ok += 1;
      } catch (error) {
        const t = tally(phase());
        t.failed += 1;
        if (t.errors.length < 5) t.errors.push(isRegistryError(error) ? `${error.code}: ${error.message}` : String(error));
      }
      await sleep(15);
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return {
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describe.skipIf(!MONGO_URL || !REDIS_URL)('rotating a supplier secret and the KEK under load', () => {
  let sandbox: RestSandbox;
  let mongo: MongoClient;
  const stacks: Stack[] = [];

  const stackEnv = (keks: Record<string, string>): Record<string, string> => ({
    MONGO_URL: MONGO_URL!,
    MONGO_DB: DB,
    REDIS_URL: REDIS_URL!,
    KEY_PREFIX,
    GATEWAY_PORT: '0',
    BRIGHTLINE_URL: sandbox.url,
    BRIGHTLINE_CLIENT_ID: CLIENT_ID,
    BRIGHTLINE_CLIENT_SECRET: ENV_SECRET,
    OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
    // Room for the load: the published 120/min would turn this test into a rate-limit test.
    SUPPLIER_LIMITS: JSON.stringify({ brightline: { requests: { limit: 60_000, perSeconds: 60, burst: 500 }, maxConcurrent: 16 } }),
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
    ...keks,
  });

  const openStack = async (keks: Record<string, string>): Promise<Stack> => {
    const stack = await startStack({ config: loadConfig(stackEnv(keks)), log: capturingLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
    stacks.push(stack);
    return stack;
  };

  beforeAll(async () => {
    // Tokens live 2 s: the client refreshes about every second (half the lifetime), so each phase sees several.
    sandbox = await createRestSandbox({ seed: 11, tokenTtlSeconds: 2, credentials: { clientId: CLIENT_ID, clientSecret: OLD_SECRET } });
    mongo = await MongoClient.connect(MONGO_URL!);
  }, 30_000);

  afterAll(async () => {
    for (const stack of stacks.splice(0)) await stack.close().catch(() => undefined);
    await sandbox?.close();
    await mongo?.close();
    await cleanUpTestData({ mongoUrl: MONGO_URL, mongoDb: DB, redisUrl: REDIS_URL, keyPrefix: KEY_PREFIX });
  }, 60_000);

  it('fails no supplier call while the client secret, then the KEK, are rotated; no secret reaches a log', async () => {
    const tallies = new Map<string, Tally>();
    let phase = 'start';
    const grants = (secret: string) => sandbox.tokenGrants(secret).granted;
    const skus = sandbox.supplierSkus().slice(0, 40);

    // The old secret goes into the vault the way an operator puts it there.
    const seeded = await credentialsCli(['set', 'brightline', 'clientSecret'], kekEnv(OLD_KEK), `${OLD_SECRET}\n`);
    expect(seeded, seeded.err).toMatchObject({ code: 0 });

    const a = await openStack(kekEnv(OLD_KEK));
    sandbox.resetStats();
    const loadA = startLoad(a, skus, () => phase, tallies);

    // Baseline: the process runs on the vault's secret (not the stale one in its environment).
    phase = 'baseline';
    await sleep(2_000);
    expect(grants(OLD_SECRET)).toBeGreaterThan(0);

    // 1. Client secret rotation.
    phase = 'secret: both accepted';
    sandbox.acceptClientSecret(NEW_SECRET);
    const set = await credentialsCli(['set', 'brightline', 'clientSecret'], kekEnv(OLD_KEK), `${NEW_SECRET}\n`);
    expect(set, set.err).toMatchObject({ code: 0 });
    expect(set.out).toContain('stored brightline/clientSecret v2');
    // No restart: the running process's next token request already carries the new secret.
    await waitFor('a token granted for the new secret', () => grants(NEW_SECRET) > 0);
    await sleep(1_500);
    const oldGrantsAtRetirement = grants(OLD_SECRET);
    const newGrantsAtRetirement = grants(NEW_SECRET);
    sandbox.retireClientSecret(OLD_SECRET);
    phase = 'secret: old retired';
    await sleep(2_500);
    expect(grants(OLD_SECRET)).toBe(oldGrantsAtRetirement);
    expect(grants(NEW_SECRET)).toBeGreaterThan(newGrantsAtRetirement);

    // 2. KEK rotation: roll out a process with both keys, retire the old-key-only one, then re-wrap.
    phase = 'kek: rolling out both keys';
    const b = await openStack(kekEnv(NEW_KEK, OLD_KEK));
    const loadB = startLoad(b, skus, () => phase, tallies);
    await sleep(1_500);
    await loadA.stop();
    await a.close();
    stacks.splice(stacks.indexOf(a), 1);

    phase = 'kek: rotate-kek';
    const rotated = await credentialsCli(['rotate-kek'], kekEnv(NEW_KEK, OLD_KEK));
    expect(rotated, rotated.err).toMatchObject({ code: 0 });
    // Both kept versions (the current one and the rollback one) re-wrapped.
    expect(rotated.out).toContain('re-wrapped 2');
    const store = createMongoCredentialStore({ db: mongo.db(DB) });
    expect(new Set((await store.all()).map((c) => c.kekId))).toEqual(new Set([`kek-new-${id}`]));

    phase = 'kek: after rotation';
    const newGrantsAtRotation = grants(NEW_SECRET);
    await sleep(2_500);
    // Token requests after the re-wrap mean the process re-read (and opened) the re-wrapped credentials.
    expect(grants(NEW_SECRET)).toBeGreaterThan(newGrantsAtRotation);
    await loadB.stop();

    // Step 4 of the runbook: the old key can go — a new-key-only vault opens what is stored.
    await expect(vaultOf(loadConfig(kekEnv(NEW_KEK)), store).read('brightline')).resolves.toEqual({ clientSecret: NEW_SECRET });

    // Zero failed supplier calls, and enough calls in every phase to mean it.
    const summary = Object.fromEntries([...tallies].map(([name, t]) => [name, { ok: t.ok, failed: t.failed, errors: t.errors }]));
    for (const name of ['baseline', 'secret: both accepted', 'secret: old retired', 'kek: rolling out both keys', 'kek: rotate-kek', 'kek: after rotation']) {
      expect(tallies.get(name)?.ok ?? 0, `${name}: ${JSON.stringify(summary)}`).toBeGreaterThanOrEqual(FLOOR);
    }
    const failed = [...tallies.values()].reduce((n, t) => n + t.failed, 0);
    expect(failed, JSON.stringify(summary)).toBe(0);
    // Every call reached the supplier (no cache in the way), and it never refused a token request.
    const ok = [...tallies.values()].reduce((n, t) => n + t.ok, 0);
    expect(sandbox.stats().byOperation['availability'] ?? 0).toBeGreaterThanOrEqual(ok);
    expect(sandbox.tokenGrants(NEW_SECRET).refused).toBe(0);

    // The logs say the vault changed (names only), and hold no secret value anywhere.
    const logs = captured.join('');
    expect(logs).toMatch(/"changed":\["clientSecret"\]/);
    // Every re-read opened what it found (a failed one would have been covered by the last pair, silently but for this).
    expect(logs).not.toContain('re-reading the credential store failed');
    for (const value of SECRET_VALUES) expect(logs.includes(value), 'a secret value reached the logs').toBe(false);
  }, 90_000);
});
