/**
 * OpenTelemetry traces end to end (docs/operations.md, "Traces"; issue 16): the whole stack with its bundled
 * supplier sandboxes, real HTTP and graphql-ws, spans caught by an in-memory exporter behind the production span
 * pipeline (sampler, scrubbing processor). Asserts the span tree of a product query across the gateway, the three
 * supplier subgraphs, their DataLoader batches, connector calls and supplier HTTP requests under one trace id; a
 * supplier webhook's trace from arrival through the inbox, worker, stock write and event bus to the subscription
 * resolution whose result a graphql-ws client receives; and that no credential, token or customer personal data is
 * in any exported span. Runs on MongoDB and Redis when MONGO_URL / REDIS_URL are set, else embedded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestSandbox } from '../../sandboxes/rest/index.ts';
import { mintJwt, startSecureStack, type SecureStack } from '../security/support.ts';
import { openClient, subscribe, waitFor } from '../support/ws-clients.ts';
import { exportedText, traceIdOf, treeOf, waitForSpans } from '../support/span-tree.ts';

const SUPPLIERS = ['brightline', 'harborpromo', 'maplecart'] as const;
const SHIP_TO = { name: 'Grace Hopper', line1: '7 Cobol Court', city: 'Arlington', postalCode: 'VA 22201', country: 'US', email: 'grace.hopper@example.org', phone: '+1 703 555 0199' };
const MERCHANT_SECRET = `whsec_${Buffer.from('tracing-merchant-webhook-secret!').toString('base64')}`;

describe('traces (e2e)', () => {
  const exporter = new InMemorySpanExporter();
  let secure: SecureStack;
  let admin: string;
  let sku: string;
  let brightlineSku: string;
  let merchant: Server;
  const merchantHeaders: Record<string, string | string[] | undefined>[] = [];
  const clients: ReturnType<typeof openClient>[] = [];

  beforeAll(async () => {
    merchant = createServer((req, res) => {
      merchantHeaders.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    const merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/hooks`;
    // No offer cache: every query asks the suppliers, so the tree always reaches their HTTP requests.
    secure = await startSecureStack(
      { OFFER_CACHE_TTL_MS: '0', OTEL_SERVICE_NAME: 'dropship-test' },
      { spanExporter: exporter, orderWebhooks: [{ id: 'merchant-1', tenant: 't-admin', url: merchantUrl, secret: MERCHANT_SECRET }] },
    );
    admin = (await secure.issue('t-admin', ['admin'])).token;
    const products = (await secure.stack.stores.catalog.list(200, null)).items;
    const everywhere = products.find((p) => SUPPLIERS.every((s) => p.suppliers.some((m) => m.supplier === s)));
    if (!everywhere) throw new Error('the seeded catalog has no product every supplier carries');
    sku = everywhere.sku;
    brightlineSku = everywhere.suppliers.find((m) => m.supplier === 'brightline')!.supplierSku;
  }, 300_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await secure?.close();
    await new Promise((resolve) => merchant?.close(resolve));
  });

  it('a product query is one trace: gateway → plan → each supplier subgraph → DataLoader batch → connector call → supplier HTTP request', async () => {
    exporter.reset();
    const answer = await secure.query(admin, { query: `query ProductOffers($sku: ID!) { product(sku: $sku) { sku title offers { __typename id available } } }`, variables: { sku } });
    expect(answer.status).toBe(200);
    expect(answer.json.errors, JSON.stringify(answer.json.errors)).toBeUndefined();
    expect(answer.json.data.product.offers).toHaveLength(3);

    const spans = await waitForSpans(
      exporter,
      (all) => {
        const root = all.find((s) => s.name === 'gateway /graphql');
        return root !== undefined && SUPPLIERS.every((slug) => all.some((s) => s.name === `supplier-${slug} /graphql` && traceIdOf(s) === traceIdOf(root)));
      },
      'the query trace',
    );
    const tree = treeOf(spans, traceIdOf(spans.find((s) => s.name === 'gateway /graphql')!));
    expect(tree.root.name).toBe('gateway /graphql');
    expect(tree.root.kind).toBe(SpanKind.SERVER);
    expect(tree.root.resource.attributes['service.name']).toBe('dropship-test');
    // @apollo/gateway's own spans, on our provider.
    for (const name of ['gateway.request', 'gateway.validate', 'gateway.plan', 'gateway.execute']) expect(tree.named(name), name).not.toHaveLength(0);
    expect(tree.named('gateway.fetch').length).toBeGreaterThanOrEqual(5); // catalog, inventory, three suppliers
    for (const subgraph of ['catalog', 'inventory']) {
      const [server] = tree.named(`${subgraph} /graphql`);
      expect(server, subgraph).toBeDefined();
      expect(tree.ancestry(server!).slice(0, 1)).toEqual(['gateway.fetch']);
    }

    for (const slug of SUPPLIERS) {
      const [server] = tree.named(`supplier-${slug} /graphql`);
      expect(server!.kind).toBe(SpanKind.SERVER);
      // The subgraph continued the gateway's trace from the traceparent of the gateway's fetch.
      expect(tree.ancestry(server!)).toEqual(expect.arrayContaining(['gateway.fetch', 'gateway.execute', 'gateway.request', 'gateway /graphql']));
      const batch = tree.named('dataloader offers').find((s) => s.attributes['supplier.slug'] === slug);
      expect(batch, `${slug} batch`).toBeDefined();
      expect(tree.ancestry(batch!)).toContain(`supplier-${slug} /graphql`);
      const call = tree.named('supplier getStock').find((s) => s.attributes['supplier.slug'] === slug);
      expect(call, `${slug} connector call`).toBeDefined();
      expect(tree.ancestry(call!)[0]).toBe('dataloader offers');
      expect(call!.attributes).toMatchObject({ 'supplier.operation': 'getStock', 'supplier.lane': 'interactive' });
      // The traffic layer's decisions are events of the call.
      expect(call!.events.map((e) => e.name)).toContain('breaker');
      expect(call!.events.find((e) => e.name === 'breaker')!.attributes).toMatchObject({ decision: 'admitted' });
      expect(call!.events.map((e) => e.name)).toContain('rate_limit.acquired');
      const requests = tree.spans.filter((s) => s.kind === SpanKind.CLIENT && s.attributes['supplier.slug'] === slug && tree.ancestry(s).includes('supplier getStock'));
      expect(requests.length, `${slug} supplier requests`).toBeGreaterThanOrEqual(1);
      const stock = requests.find((s) => s.parentSpanContext?.spanId === call!.spanContext().spanId)!;
      expect(stock.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'http.response.status_code': 200 });
      expect(stock.attributes['url.path']).toMatch(/^\//);
    }
    if (process.env.MONGO_URL) {
      const reads = tree.spans.filter((s) => s.attributes['db.system'] === 'mongodb');
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.some((s) => tree.ancestry(s).includes('catalog /graphql'))).toBe(true);
    }
    // One trace id end to end: every span of the request hangs off the gateway's root (treeOf refuses a second root).
    expect(new Set(tree.spans.map(traceIdOf)).size).toBe(1);
  }, 60_000);

  it('a supplier webhook reaches a graphql-ws subscriber in one trace: arrival → inbox → worker → stock write → event → resolution', async () => {
    const client = openClient(secure.url, admin);
    clients.push(client);
    const sub = subscribe(client, `subscription($skus: [ID!]) { stockChanged(skus: $skus) { sku newAvailable product { title offers { __typename available } } } }`, { skus: [sku] });
    await waitFor(() => secure.stack.gateway.subscriptions!.subscribers === 1, 'the subscriber');
    exporter.reset();
    const brightline = secure.stack.sandboxes.get('brightline') as RestSandbox;
    const target = (brightline.stockOf(brightlineSku) ?? 0) + 17;
    brightline.setStock(brightlineSku, target); // the sandbox posts its signed webhook
    await brightline.webhooksIdle();
    const received = await sub.nth(1);
    expect(received.errors, JSON.stringify(received.errors)).toBeUndefined();
    expect(received.data.stockChanged).toMatchObject({ sku, newAvailable: target });

    const spans = await waitForSpans(exporter, (all) => all.some((s) => s.name === 'subscription event' && Number(s.attributes['subscription.deliveries']) >= 1), 'the delivery span');
    const event = spans.find((s) => s.name === 'subscription event')!;
    const tree = treeOf(spans, traceIdOf(event));
    expect(tree.root.name).toMatch(/^inventory \/webhooks/);
    expect(tree.root.kind).toBe(SpanKind.SERVER);
    expect(tree.root.attributes['http.response.status_code']).toBe(202);
    expect(tree.ancestry(event)).toEqual(expect.arrayContaining(['stock write', 'webhook ingest', tree.root.name]));
    const resolve = tree.named('subscription resolve');
    expect(resolve).toHaveLength(1);
    expect(tree.ancestry(resolve[0]!)[0]).toBe('subscription event');
    // The resolution ran through the gateway, whose fetches continued the same trace into the subgraphs.
    const resolution = tree.named('gateway.request').filter((s) => tree.ancestry(s).includes('subscription resolve'));
    expect(resolution).toHaveLength(1);
    expect(tree.named('supplier-brightline /graphql').some((s) => tree.ancestry(s).includes('subscription resolve'))).toBe(true);
    if (process.env.MONGO_URL) {
      expect(tree.named('mongodb webhookInbox.record').map((s) => tree.parentOf(s)?.name)).toEqual([tree.root.name]);
      expect(tree.spans.some((s) => s.attributes['db.system'] === 'mongodb' && tree.ancestry(s).includes('stock write'))).toBe(true);
    }
    if (process.env.REDIS_URL) expect(tree.named('redis events.publish').some((s) => tree.ancestry(s).includes('stock write'))).toBe(true);
    expect(new Set(tree.spans.map(traceIdOf)).size).toBe(1);
    sub.dispose();
  }, 60_000);

  it('no credential, token or personal data in any span: bearer tokens, a ship-to address, supplier credentials', async () => {
    exporter.reset();
    const jwt = await mintJwt(secure.key, { tenant: 't-admin', scope: 'admin' });
    for (const token of [admin, jwt]) {
      const answer = await secure.query(token, { query: `query Offers($sku: ID!) { product(sku: $sku) { sku offers { available } } }`, variables: { sku } });
      expect(answer.json.errors, JSON.stringify(answer.json.errors)).toBeUndefined();
    }
    const placed = await secure.query(admin, {
      query: `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`,
      variables: { input: { idempotencyKey: `trace-${Date.now()}`, shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] } },
    });
    expect(placed.json.errors, JSON.stringify(placed.json.errors)).toBeUndefined();
    await secure.stack.orderWebhooks.idle();
    await waitFor(() => merchantHeaders.length > 0, 'the merchant webhook');
    // The merchant backend is ours: the delivery carries W3C trace context.
    expect(merchantHeaders.at(-1)!['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);

    // The three requests, and the order's supplier calls (their spans are in the set being checked).
    const spans: readonly ReadableSpan[] = await waitForSpans(
      exporter,
      (all) => all.filter((s) => s.name === 'gateway /graphql').length >= 3 && all.some((s) => s.name === 'supplier placeOrder'),
      'the three requests and the supplier order call',
    );
    const secrets = [
      admin,
      jwt,
      ...jwt.split('.'),
      ...Object.values(SHIP_TO),
      MERCHANT_SECRET,
      ...SUPPLIERS.flatMap((slug) => Object.values(secure.stack.sandboxes.get(slug)!.credentials)),
    ].filter((s) => s.length >= 6);
    expect(secrets.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const span of spans) {
      const text = exportedText(span);
      for (const secret of secrets) if (text.includes(secret)) leaks.push(`${span.name}: ${secret.slice(0, 4)}…`);
      if (/Bearer\s+[A-Za-z0-9]/i.test(text) || /eyJ[A-Za-z0-9_-]{8,}/.test(text)) leaks.push(`${span.name}: a bearer token or JWT`);
    }
    expect(leaks).toEqual([]);
  }, 60_000);
});
