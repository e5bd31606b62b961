/**
 * `npx tsx bench/token-classes.ts [--seconds 10] [--concurrency 50]`: issue 18's measurement, reproduced. With
 * AUTH_MODE=required and the default limits, one client sends `{ viewer { tenant } }` through the gateway as fast
 * as it can for `--seconds`, once per caller: a partner token (the bucket a storefront used to get: 10/s, burst 50),
 * a storefront token (docs/security.md, "Token classes"), and the same storefront token forwarding one of 500
 * shoppers in X-Shopper-Id (a second bucket drawn in the same take). Prints requests sent, served, answered 429 and
 * the served rate. Stores: embedded by default; REDIS_URL (buckets) when set, under a random key prefix.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { startStack } from '../stack/start-stack.ts';
import { createTokenService } from '../subgraphs/access/token-service.ts';
import { SUPPLIERS } from '../platform/supplier-registry.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '50' } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const redisUrl = process.env['REDIS_URL'];

const stack = await startStack({
  config: loadConfig({
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    KEY_PREFIX: `bench:classes:${randomBytes(4).toString('hex')}:`,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    AUTH_MODE: 'required',
    GATEWAY_SIGNING_SECRET: randomBytes(32).toString('hex'),
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
  }),
  log: silentLogger(),
  subgraphPorts: 'random',
  seed: false,
});

try {
  const tokens = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS.map((s) => s.slug) });
  const by = { actor: 'cli:bench', subject: 'bench' };
  const partner = (await tokens.issue({ tenant: 'bench-partner', tokenClass: 'partner' }, by)).token;
  const storefront = (await tokens.issue({ tenant: 'bench-shop', tokenClass: 'storefront' }, by)).token;
  const storefront2 = (await tokens.issue({ tenant: 'bench-shop-2', tokenClass: 'storefront' }, by)).token;
  const body = JSON.stringify({ query: '{ viewer { tenant } }' });

  async function run(token: string, shoppers: number): Promise<{ sent: number; served: number; limited: number; other: number; elapsed: number }> {
    const tally = { sent: 0, served: 0, limited: 0, other: 0 };
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
        if (shoppers > 0) headers['x-shopper-id'] = `shopper-${tally.sent % shoppers}`;
        tally.sent += 1;
        const response = await fetch(stack.gateway.graphqlUrl, { method: 'POST', headers, body });
        await response.arrayBuffer();
        if (response.status === 200) tally.served += 1;
        else if (response.status === 429) tally.limited += 1;
        else tally.other += 1;
      }
    }));
    return { ...tally, elapsed: (performance.now() - started) / 1000 };
  }

  console.log(`buckets: ${redisUrl ? 'Redis' : 'in memory'}; ${seconds} s per caller, ${concurrency} concurrent requests`);
  console.log('| caller | sent | served | 429 | other | served/s |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, token, shoppers] of [['partner token', partner, 0], ['storefront token', storefront, 0], ['storefront token, 500 shoppers forwarded', storefront2, 500]] as const) {
    const r = await run(token, shoppers);
    console.log(`| ${name} | ${r.sent} | ${r.served} | ${r.limited} | ${r.other} | ${(r.served / r.elapsed).toFixed(0)} |`);
  }
} finally {
  await stack.close();
}
