/**
 * Issue 14, point 5, end to end: a supplier's error text reached clients unclipped (a 772 KB message with 11,523
 * <script> tags, a 1 MB error code, NUL bytes, invalid UTF-8). Here Brightline sits behind a proxy that, on cue,
 * answers stock reads with hostile error bodies; the client asks the gateway for the product. The GraphQL answer
 * names the supplier and our code, is small, and carries none of the supplier's text; the operator log carries the
 * supplier's code and text, clipped and cleaned.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { createRestSandbox, type RestSandbox } from '../../sandboxes/rest/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { HOSTILE_TEXTS } from '../support/hostile-text.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';

const CREDENTIALS = { clientId: 'bl-hostile', clientSecret: `s-${randomBytes(8).toString('hex')}` };
/** Text no message of ours contains: if it shows up in a client answer, supplier text got through. */
const MARKER = 'HOSTILE-SUPPLIER-TEXT';
const SCRIPT = '<script>alert(document.cookie)</script>';

/** A 400 body within the 64 KiB error-body cap: a code of <script> tags, NUL, raw invalid UTF-8 and bidi marks. */
const hostileBody = (): Buffer =>
  Buffer.concat([
    Buffer.from(`{"error":{"code":"${MARKER}${SCRIPT.repeat(1_000)}\\u0000","message":"${MARKER} Refund \u202Egnp.exe\u202C `),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
    Buffer.from(` ${HOSTILE_TEXTS['lone surrogates']!.replace(/[\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}"}}`),
  ]);
/** 1 MB: an error code of the size the issue saw (past the error-body cap). */
const hugeBody = (): Buffer => Buffer.from(`{"error":{"code":"${MARKER}${'E'.repeat(1_048_576)}"}}`);

type Mode = 'pass' | 'hostile' | 'huge' | 'hostile-orders';

/** In front of the Brightline sandbox: passes everything, except stock reads in the hostile modes. */
async function startProxy(target: string): Promise<{ server: Server; url: string; mode: { value: Mode } }> {
  const mode = { value: 'pass' as Mode };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (mode.value === 'hostile-orders' && req.method === 'POST' && req.url === '/v1/orders') {
          const body = hostileBody();
          res.writeHead(400, { 'content-type': 'application/json', 'content-length': body.length });
          return void res.end(body);
        }
        if ((mode.value === 'hostile' || mode.value === 'huge') && req.method === 'POST' && req.url?.startsWith('/v1/availability')) {
          const body = mode.value === 'hostile' ? hostileBody() : hugeBody();
          res.writeHead(mode.value === 'hostile' ? 400 : 422, { 'content-type': 'application/json', 'content-length': body.length });
          return void res.end(body);
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
        const upstream = await fetch(`${target}${req.url}`, { method: req.method!, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
        const body = Buffer.from(await upstream.arrayBuffer());
        const out: Record<string, string> = { 'content-length': String(body.length) };
        for (const k of ['content-type', 'retry-after', 'x-ratelimit-reset', 'x-ratelimit-remaining']) {
          const v = upstream.headers.get(k);
          if (v !== null) out[k] = v;
        }
        res.writeHead(upstream.status, out);
        res.end(body);
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, mode };
}

type Line = Record<string, unknown>;
const UNCLEAN = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFD]/;

describe('hostile supplier error text: the client sees our words, the operator log the supplier\'s, clipped (e2e)', () => {
  const raw: string[] = [];
  const log = createLogger({ level: 'info', destination: new Writable({ write: (chunk: Buffer, _e, done) => (raw.push(...String(chunk).split('\n').filter(Boolean)), done()) }) });
  let sandbox: RestSandbox;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let stack: Stack;
  let sku: string;

  const query = async () => {
    const response = await fetch(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($sku: ID!) { product(sku: $sku) { sku offers { __typename id available } } }', variables: { sku } }),
    });
    const text = await response.text();
    return { status: response.status, text, json: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
  };
  const linesSince = (from: number): Line[] => raw.slice(from).map((l) => JSON.parse(l) as Line);

  beforeAll(async () => {
    sandbox = await createRestSandbox({ seed: 14, credentials: CREDENTIALS });
    proxy = await startProxy(sandbox.url);
    stack = await startStack({
      config: testConfig({
        LOG_LEVEL: 'info',
        OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
        BRIGHTLINE_URL: proxy.url,
        BRIGHTLINE_CLIENT_ID: CREDENTIALS.clientId,
        BRIGHTLINE_CLIENT_SECRET: CREDENTIALS.clientSecret,
        OFFER_CACHE_TTL_MS: '0',
        BRIGHTLINE_POLL_INTERVAL_MS: '0',
        HARBORPROMO_POLL_INTERVAL_MS: '0',
        MAPLECART_POLL_INTERVAL_MS: '0',
        RECONCILE_INTERVAL_MS: '0',
      }),
      log,
      subgraphPorts: 'random',
      orderLoopMs: 0,
    });
    const page = await stack.stores.catalog.list(500, null);
    sku = page.items.find((p) => p.suppliers.length === 1 && p.suppliers[0]!.supplier === 'brightline')!.sku;
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => proxy?.server.close(resolve));
    await sandbox?.close();
  });

  it('passing through, the product has its Brightline offer', async () => {
    const { json } = await query();
    expect(json.errors).toBeUndefined();
    expect(json.data).toMatchObject({ product: { sku, offers: [{ __typename: 'BrightlineOffer' }] } });
  }, 30_000);

  it('a 400 with <script> tags, NUL, invalid UTF-8 and bidi marks: the client gets one short error naming the supplier and our code', async () => {
    proxy.mode.value = 'hostile';
    const from = raw.length;
    const { status, text, json } = await query();
    proxy.mode.value = 'pass';
    expect(status).toBe(200);
    expect(text.length, text.slice(0, 300)).toBeLessThan(2_000);
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain('<script');
    for (const error of json.errors!) expect(UNCLEAN.test(error.message), error.message).toBe(false);
    const brightline = json.errors!.filter((e) => e.extensions?.['supplier'] === 'brightline');
    expect(brightline).toHaveLength(1);
    expect(brightline[0]!.message).toMatch(/^Supplier brightline: /);
    expect(brightline[0]!.extensions).toMatchObject({ code: 'SUPPLIER_REJECTED', errorClass: 'logical', supplier: 'brightline' });

    // The operator log: the supplier's code and message from details, clipped and cleaned.
    const failed = linesSince(from).filter((l) => l['msg'] === 'supplier stock read failed' && l['supplier'] === 'brightline');
    expect(failed.length, raw.slice(from).join('\n').slice(0, 2_000)).toBeGreaterThan(0);
    const details = failed[0]!['details'] as Record<string, unknown>;
    expect(details['status']).toBe(400);
    expect(String(details['supplierCode'])).toMatch(new RegExp(`^${MARKER}<script>`));
    expect(String(details['supplierCode']).length).toBeLessThanOrEqual(200);
    expect(String(details['supplierMessage'])).toContain(`${MARKER} Refund gnp.exe approved`.slice(0, 28));
    expect(UNCLEAN.test(String(details['supplierMessage'])) || UNCLEAN.test(String(details['supplierCode']))).toBe(false);
    for (const line of raw.slice(from)) expect(line.length).toBeLessThan(8_192);

    // The operator console (`suppliers`) shows our code, class and operation: none of the supplier's words.
    const console_ = await postGraphql(stack.gateway.graphqlUrl, { query: '{ suppliers { name lastError } }' });
    const last = (console_.json.data.suppliers as { name: string; lastError: string | null }[]).find((x) => x.name === 'brightline')!.lastError;
    if (last !== null) expect(last).toMatch(/^[A-Z_]+ \((transient|logical|critical)\) [A-Za-z]+$/);
  }, 30_000);

  it('a 1 MB error code (past the error-body cap): the client answer stays small; no log line carries the megabyte', async () => {
    proxy.mode.value = 'huge';
    const from = raw.length;
    const { text, json } = await query();
    proxy.mode.value = 'pass';
    expect(text.length).toBeLessThan(2_000);
    expect(text).not.toContain(MARKER);
    const brightline = json.errors!.filter((e) => e.extensions?.['supplier'] === 'brightline');
    expect(brightline).toHaveLength(1);
    expect(brightline[0]!.message).toMatch(/^Supplier brightline/);
    expect(JSON.stringify(brightline[0]!.extensions)).not.toContain(MARKER);
    for (const line of raw.slice(from)) expect(line.length).toBeLessThan(8_192);
  }, 30_000);

  it('an order the supplier refuses with hostile text: the refusal reason served on the order is ours, short and clean', async () => {
    proxy.mode.value = 'hostile-orders';
    const fields = 'id lines { needsAttention } subOrders { supplier state rawStatus lastError }';
    const shipTo = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
    const placed = await postGraphql(stack.gateway.graphqlUrl, {
      query: `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${fields} } }`,
      variables: { input: { idempotencyKey: `hostile-${randomBytes(6).toString('hex')}`, shipTo, lines: [{ sku, quantity: 1 }] } },
    });
    proxy.mode.value = 'pass';
    expect(placed.json.errors).toBeUndefined();
    const read = await postGraphql(stack.gateway.graphqlUrl, { query: `query($id: ID!) { order(id: $id) { ${fields} } }`, variables: { id: placed.json.data.placeOrder.id } });
    const text = JSON.stringify(read.json);
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain('<script');
    const order = read.json.data.order as { lines: { needsAttention: string | null }[]; subOrders: { supplier: string; state: string; lastError: string | null }[] };
    const refused = order.subOrders.find((s) => s.supplier === 'brightline')!;
    expect(refused.state).toBe('FAILED');
    expect(refused.lastError).toMatch(/^SUPPLIER_REJECTED: brightline POST \/v1\/orders answered HTTP 400/);
    expect(refused.lastError!.length).toBeLessThanOrEqual(300);
    expect(order.lines[0]!.needsAttention).toContain('brightline refused');
    for (const value of [refused.lastError!, order.lines[0]!.needsAttention!]) expect(UNCLEAN.test(value), value).toBe(false);
  }, 30_000);
});
