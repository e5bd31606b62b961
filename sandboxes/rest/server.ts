/**
 * The Brightline sandbox: a distributor-style JSON API on node:http (OAuth2 client credentials, batch
 * availability, cursor-paged catalog, orders keyed by customer order number, signed webhooks), with the shared
 * fault knobs. It shares no code with adapters/: it is the supplier, not a mirror of our connector.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultController, malform, type FaultKnobs } from '../shared/faults.ts';
import { seededRandom } from '../shared/product-universe.ts';
import { createRequestWindow } from '../shared/request-window.ts';
import type { SandboxOptions, SupplierSandbox } from '../shared/sandbox.ts';
import { matchApiRoute } from './api-routes.ts';
import { handleControl } from './control-routes.ts';
import { apiError, BodyTooLargeError, readBody, writeJson, type JsonAnswer } from './http.ts';
import { availabilityOf, orderOf } from './representation.ts';
import { createInventory } from './inventory.ts';
import { createTokenIssuer, type ClientCredentials } from './oauth.ts';
import { createStatsCounter } from './stats.ts';
import { createOrderBook, type AdvanceTarget, type StatusChange } from './orders.ts';
import { createWebhookSender } from './webhooks.ts';

export interface RestSandboxOptions extends SandboxOptions {
  /** Seeds fault dice and tracking numbers; unset uses Math.random. Stock and catalog are always the same. */
  readonly seed?: number;
  /** Lifetime of issued access tokens. @default 3600 */
  readonly tokenTtlSeconds?: number;
  /** @default DEFAULT_CREDENTIALS */
  readonly credentials?: ClientCredentials;
  /** Secret for the webhook HMAC. @default DEFAULT_WEBHOOK_SECRET */
  readonly webhookSecret?: string;
}

export interface RestSandbox extends SupplierSandbox {
  readonly kind: 'rest';
  /** The credentials it started with (a rotation changes what it accepts, not this). */
  readonly credentials: Readonly<{ clientId: string; clientSecret: string }>;
  readonly webhookSecret: string;
  /** Client-secret rotation, as the supplier's portal does it: accept a second secret, then retire the old one. */
  acceptClientSecret(secret: string): void;
  /** Refuses `secret` from now on and revokes the access tokens granted with it. */
  retireClientSecret(secret: string): void;
  /** Token grants made with `secret`, and token requests refused for bad client credentials. */
  tokenGrants(secret: string): { granted: number; refused: number };
  /** Changes stock as a real stock movement would: sends an `inventory.updated` webhook (driftStock does not). */
  setStock(supplierSku: string, available: number): void;
  /** Changes an item's list price silently (a price change shows in the next availability read; no webhook). */
  setListPrice(supplierSku: string, unitPrice4: number): void;
  /** Resolves once webhook deliveries in flight have finished (delivered or given up). */
  webhooksIdle(): Promise<void>;
}

/** Fixed development values: fine in a sandbox, never used by a real supplier. */
export const DEFAULT_CREDENTIALS: ClientCredentials = Object.freeze({ clientId: 'brightline-dev-client', clientSecret: 'brightline-dev-secret' });
export const DEFAULT_WEBHOOK_SECRET = 'whsec_brightline_dev_0123456789';

const TOKEN_PATH = '/oauth/token';

export async function createRestSandbox(options: RestSandboxOptions = {}): Promise<RestSandbox> {
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  const faults = new FaultController(random);
  const inventory = createInventory();
  const webhooks = createWebhookSender({ url: options.webhookUrl, secret: webhookSecret });
  const tokens = createTokenIssuer({ credentials, ttlSeconds: options.tokenTtlSeconds ?? 3600 });
  const onStatusChange = ({ order, previousStatus }: StatusChange) =>
    webhooks.send('order.status_changed', {
      orderId: order.orderId,
      customerOrderNumber: order.customerOrderNumber,
      status: order.status,
      previousStatus,
      updatedAt: order.updatedAt,
    });
  const orders = createOrderBook(inventory, { random, onStatusChange });
  const closing = new AbortController();

  const requestWindow = createRequestWindow(options.publishedLimit);
  const stats = createStatsCounter(() => requestWindow.overLimit());
  const apiDeps = { inventory, orders, onStockBatch: (n: number) => stats.stockBatch(n) };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      // The listener goes when the timer fires: a sandbox under load would otherwise collect one per request.
      const onClose = () => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => (closing.signal.removeEventListener('abort', onClose), resolve()), ms);
      closing.signal.addEventListener('abort', onClose, { once: true });
    });

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.count('token', { api: false });
    const form = new URLSearchParams(await readBody(req));
    const grant = tokens.grant(req.headers.authorization, form);
    const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
    if (grant.ok) return writeJson(res, { status: 200, body: grant.body, headers: noStore });
    const challenge: Record<string, string> = grant.status === 401 ? { 'www-authenticate': 'Basic realm="brightline"' } : {};
    writeJson(res, { status: grant.status, body: grant.body, headers: { ...noStore, ...challenge } });
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = matchApiRoute(apiDeps, req.method ?? 'GET', url.pathname);
    stats.count(route?.operation ?? 'unknown', { api: true });
    // The published limit is checked first, as the supplier's API gateway would: such a request never reaches the
    // API, so it consumes no fault decision.
    const limited = requestWindow.admit();
    if (!limited.admitted) {
      await readBody(req);
      const retryAfter = String(limited.retryAfterSeconds);
      return writeJson(res, apiError(429, 'RATE_LIMITED', 'Too many requests: published rate limit exceeded', {}, { 'retry-after': retryAfter }));
    }
    // The fate of a request is decided when it arrives, so a slow request cannot pick up a later test's knobs.
    const { decision, retryAfterSeconds } = faults.decide();
    const latencyMs = faults.knobs.latencyMs;
    const answerDelayMs = faults.knobs.answerDelayMs;
    const mangle = faults.shouldMalform() ? malform : undefined;
    const rawBody = await readBody(req);
    if (latencyMs > 0) await sleep(latencyMs);
    const answer = ((): JsonAnswer => {
      if (decision === 'throttle') {
        return apiError(429, 'RATE_LIMITED', 'Too many requests', {}, { 'retry-after': String(retryAfterSeconds) });
      }
      if (decision === 'error') return apiError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable');
      if (decision === 'reject') return apiError(400, 'INVALID_REQUEST', 'The request was rejected');
      const auth = tokens.verify(req.headers.authorization);
      if (auth !== 'ok') {
        const why = auth === 'missing' ? 'Bearer token required' : auth === 'expired' ? 'The access token expired' : 'The access token is not valid';
        return apiError(401, 'INVALID_TOKEN', why, {}, { 'www-authenticate': `Bearer realm="brightline", error="invalid_token"` });
      }
      if (!route) return apiError(404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}`);
      return route.handle(url, rawBody);
    })();
    // Made now, sent later: the answer describes the supplier as it was before the delay.
    if (answerDelayMs > 0) await sleep(answerDelayMs);
    // A lost acknowledgement (fault knob): the order is stored, its answer never arrives (or arrives too late).
    const lost = route?.operation === 'orders.create' && answer.status === 201 ? faults.takeLostAck() : null;
    if (lost !== null) {
      if (lost.delayMs === null) return void req.socket.destroy();
      await sleep(lost.delayMs);
    }
    writeJson(res, answer, mangle);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname.startsWith('/__sandbox/')) {
      return writeJson(res, handleControl(handleObject, req.method ?? 'GET', url.pathname, await readBody(req)));
    }
    if (faults.knobs.down) {
      req.socket.destroy();
      return;
    }
    if (url.pathname === TOKEN_PATH && req.method === 'POST') return token(req, res);
    return api(req, res, url);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const answer =
        error instanceof BodyTooLargeError
          ? apiError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large')
          : apiError(500, 'INTERNAL_ERROR', 'Unexpected sandbox failure');
      writeJson(res, answer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const itemOrThrow = (sku: string) => {
    const item = inventory.get(sku);
    if (!item) throw new Error(`brightline sandbox does not carry ${sku}`);
    return item;
  };

  const handleObject: RestSandbox = {
    kind: 'rest',
    url: `http://${host}:${address.port}`,
    credentials: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
    webhookSecret,
    acceptClientSecret: (secret) => tokens.acceptSecret(secret),
    retireClientSecret: (secret) => tokens.retireSecret(secret),
    tokenGrants: (secret) => ({ granted: tokens.grantsWith(secret), refused: tokens.refusedGrants() }),
    setFaults: (knobs: Partial<FaultKnobs>) => faults.set(knobs),
    resetFaults: () => faults.reset(),
    stats: () => stats.snapshot(),
    resetStats: () => {
      stats.reset();
      requestWindow.resetCount();
    },
    supplierSkus: () => inventory.items.map((i) => i.itemNumber),
    stockOf: (sku) => {
      const item = inventory.get(sku);
      return item ? inventory.available(item) : undefined;
    },
    driftStock: (sku, available) => inventory.setAvailable(itemOrThrow(sku), available),
    setListPrice: (sku, unitPrice4) => inventory.setListPrice(itemOrThrow(sku), unitPrice4),
    setStock: (sku, available) => {
      const item = itemOrThrow(sku);
      inventory.setAvailable(item, available);
      const { partNumber, manufacturerPartNumber, status, warehouses, lastUpdated } = availabilityOf(inventory, item);
      webhooks.send('inventory.updated', { partNumber, manufacturerPartNumber, status, warehouses, lastUpdated });
    },
    orders: () => orders.all().map(orderOf),
    advanceOrder: (orderId: string, to: AdvanceTarget) => {
      const order = orders.byId(orderId);
      if (!order) throw new Error(`brightline sandbox has no order ${orderId}`);
      orders.advance(order, to);
    },
    webhooksIdle: () => webhooks.idle(),
    close: async () => {
      closing.abort();
      webhooks.close();
      await webhooks.idle();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return handleObject;
}
