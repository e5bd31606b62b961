/**
 * The maplecart sandbox: a Shopify-Admin-style GraphQL supplier on node:http. It shares no code with
 * adapters/: its schema, cost model, search syntax and webhooks are its own.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { FaultController, type FaultKnobs } from '../shared/faults.ts';
import { seededRandom } from '../shared/product-universe.ts';
import { createRequestWindow } from '../shared/request-window.ts';
import type { SandboxOptions, SandboxStats, SupplierSandbox } from '../shared/sandbox.ts';
import { handleControl } from './control-routes.ts';
import { CostBucket, type ThrottleStatus } from './cost.ts';
import { GRAPHQL_PATH, handleGraphql, type EndpointStats } from './graphql-endpoint.ts';
import { createOrderBook, type AdvanceTarget } from './orders.ts';
import { createMaplecartSchema } from './resolvers.ts';
import { createWebhookSender, orderPayload, webhookFor } from './webhooks.ts';
import { createWorld, totalAvailable, type SandboxVariant } from './world.ts';

export { GRAPHQL_PATH } from './graphql-endpoint.ts';
export { signWebhook } from './webhooks.ts';

export interface GraphqlSandboxOptions extends SandboxOptions {
  /** Supplier seed for stock levels and fault dice. @default 3 */
  readonly seed?: number;
  /** The app's leaky bucket. @default { maximumAvailable: 1000, restoreRate: 50 } (Shopify's standard plan) */
  readonly costBudget?: { readonly maximumAvailable: number; readonly restoreRate: number };
  /** Admin API token the sandbox accepts. @default a random `shpat_…` per instance */
  readonly accessToken?: string;
  /** Key the webhooks are signed with. @default random per instance */
  readonly webhookSecret?: string;
}

export interface GraphqlSandbox extends SupplierSandbox {
  /** Sets a SKU's total available (all at the first location) and sends inventory_levels/update webhooks. */
  setStock(supplierSku: string, available: number): void;
  /**
   * Changes what a SKU costs (its InventoryItem.unitCost): silent, as a cost edit sends no inventory_levels webhook;
   * seen at the next stock read (a poll, or the read-back of the next inventory webhook).
   */
  setUnitCost(supplierSku: string, unitCostCents: number): void;
  /** Empties the cost bucket down to `points`, to provoke a real cost-based THROTTLED. */
  drainCostBucket(points: number): void;
  throttleStatus(): ThrottleStatus;
  /** Resolves once every webhook sent so far has been delivered or has failed. */
  webhooksIdle(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseOrderId(supplierOrderId: string): number {
  const id = Number(/(\d+)$/.exec(supplierOrderId)?.[1]);
  if (!Number.isSafeInteger(id)) throw new Error(`maplecart sandbox: not an order id: ${supplierOrderId}`);
  return id;
}

export async function createGraphqlSandbox(options: GraphqlSandboxOptions = {}): Promise<GraphqlSandbox> {
  const seed = options.seed ?? 3;
  const accessToken = options.accessToken ?? `shpat_${randomBytes(16).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? randomBytes(24).toString('hex');
  const budget = options.costBudget ?? { maximumAvailable: 1_000, restoreRate: 50 };

  const world = createWorld(seed);
  const webhooks = createWebhookSender(options.webhookUrl, webhookSecret);
  const orders = createOrderBook(world, (event) => {
    const { topic, payload } = webhookFor(event);
    webhooks.send(topic, payload);
  });
  const faults = new FaultController(seededRandom(seed * 31 + 7));
  const bucket = new CostBucket(budget.maximumAvailable, budget.restoreRate);
  const stats: EndpointStats = { total: 0, byOperation: {}, maxStockBatch: 0, overLimit: 0 };
  const requestWindow = createRequestWindow(options.publishedLimit);
  const schema = createMaplecartSchema();

  const variantOrThrow = (sku: string): SandboxVariant => {
    const variant = world.bySku(sku);
    if (!variant) throw new Error(`maplecart sandbox: unknown SKU ${sku}`);
    return variant;
  };

  /** Puts every unit at the first location; returns the levels whose figure changed. */
  function assignStock(sku: string, available: number) {
    const variant = variantOrThrow(sku);
    const now = new Date().toISOString();
    const changed = variant.levels.filter((level, i) => level.available !== (i === 0 ? available : 0));
    variant.levels.forEach((level, i) => {
      level.available = i === 0 ? available : 0;
      level.updatedAt = now;
    });
    variant.updatedAt = now;
    return { variant, changed };
  }

  const sandbox: Omit<GraphqlSandbox, 'url' | 'close'> = {
    kind: 'graphql',
    credentials: Object.freeze({ accessToken }),
    webhookSecret,
    setFaults: (knobs: Partial<FaultKnobs>) => faults.set(knobs),
    resetFaults: () => faults.reset(),
    stats: (): SandboxStats => ({ total: stats.total, byOperation: { ...stats.byOperation }, maxStockBatch: stats.maxStockBatch, overLimit: stats.overLimit }),
    resetStats: () => {
      stats.total = 0;
      stats.byOperation = {};
      stats.maxStockBatch = 0;
      stats.overLimit = 0;
    },
    supplierSkus: () => world.variants.map((v) => v.sku),
    stockOf: (sku) => {
      const variant = world.bySku(sku);
      return variant ? Math.max(0, totalAvailable(variant)) : undefined;
    },
    driftStock: (sku, available) => {
      assignStock(sku, available);
    },
    setStock: (sku, available) => {
      const { variant, changed } = assignStock(sku, available);
      for (const level of changed) {
        const { topic, payload } = webhookFor({ type: 'inventory', variant, level });
        webhooks.send(topic, payload);
      }
    },
    setUnitCost: (sku, unitCostCents) => {
      if (!Number.isSafeInteger(unitCostCents) || unitCostCents < 0) throw new Error('maplecart sandbox: unitCostCents must be a non-negative integer');
      variantOrThrow(sku).unitCostCents = unitCostCents;
    },
    orders: () => orders.all().map(orderPayload),
    advanceOrder: (supplierOrderId, to: AdvanceTarget) => orders.advance(parseOrderId(supplierOrderId), to),
    drainCostBucket: (points) => bucket.drainTo(points),
    throttleStatus: () => bucket.status(),
    webhooksIdle: () => webhooks.idle(),
  };

  const deps = { schema, world, orders, faults, bucket, stats, accessToken, requestWindow };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((raw) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (path.startsWith('/__sandbox/')) return handleControl(sandbox, req, res, raw);
        if (path === GRAPHQL_PATH && req.method === 'POST') return handleGraphql(deps, req, res, raw);
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: 'Not Found' }));
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: error instanceof Error ? error.message : 'Internal error' }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    ...sandbox,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async close() {
      await webhooks.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
