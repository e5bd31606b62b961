/**
 * The Brightline connector: Brightline's REST API (OAuth2 client credentials, batch availability, cursor-paged
 * catalog, orders keyed by customer order number) behind the SupplierConnector port, wrapped in call policies.
 * Protocol mechanics live in adapters/rest, vocabulary in mapping.ts; this file only sequences calls.
 */
import type { AnswerLimits } from '../../core/answer-cap.ts';
import type { CallContext, SupplierConnector } from '../../core/connector.ts';
import { RegistryError, isRegistryError } from '../../../kernel/errors.ts';
import { cleanSupplierText } from '../../core/supplier-text.ts';
import type { HealthReport, SupplierOrderRef } from '../../../kernel/model.ts';
import { withCallPolicies, type CallPolicyOptions } from '../../core/policies/with-call-policies.ts';
import { createClientCredentialsAuth, type ClientCredentialPair } from '../../rest/client-credentials.ts';
import { httpStatusOf, supplierCodeOf } from '../../rest/http-errors.ts';
import { createJsonClient, type JsonRequest } from '../../rest/json-client.ts';
import type { FetchLike } from '../../rest/transport.ts';
import { SUPPLIER, toCatalogPage, toOrderAck, toOrderRequest, toOrderStatus, toSupplierStocks } from './mapping.ts';
import { AvailabilityResponse, CatalogResponse, Health, Order, readBrightlineError, type OrderRequest } from './wire.ts';

export const MAX_STOCK_BATCH = 50;

export interface BrightlineConnectorOptions extends CallPolicyOptions {
  /** API root, e.g. https://api.brightline.example (the sandbox's `url`). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** @default `${baseUrl}/oauth/token` */
  readonly tokenUrl?: string;
  /** Catalog items per page (Brightline allows 1..100). @default 100 */
  readonly catalogPageSize?: number;
  /** Refresh the access token this long before it expires. @default 30000 */
  readonly tokenRefreshSkewMs?: number;
  /**
   * The client id and secret currently in force (the credential vault), read at each token request so a rotated
   * secret is used without a restart; `clientId` / `clientSecret` are the pair read at start.
   */
  readonly readCredentials?: () => Promise<ClientCredentialPair>;
  /** @default global fetch */
  readonly fetch?: FetchLike;
  /** Largest answer read per operation (suppliers file `maxAnswerBytes`). @default 8 MiB each */
  readonly answerLimits?: AnswerLimits;
}

const isSupplierAnswer = (error: unknown, status: number, code: string): boolean =>
  isRegistryError(error) && httpStatusOf(error) === status && supplierCodeOf(error) === code;

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const lineKeys = (lines: readonly { itemNumber: string; quantity: number }[]): string =>
  lines.map((l) => `${l.itemNumber}×${l.quantity}`).sort().join('|');
const sameLines = (existing: Order, sent: OrderRequest): boolean =>
  lineKeys(existing.lines.map((l) => ({ itemNumber: l.itemNumber, quantity: l.quantityOrdered }))) === lineKeys(sent.lines);

function createInner(options: BrightlineConnectorOptions): SupplierConnector {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const auth = createClientCredentialsAuth({
    tokenUrl: options.tokenUrl ?? `${baseUrl}/oauth/token`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    supplier: SUPPLIER,
    ...(options.tokenRefreshSkewMs === undefined ? {} : { refreshSkewMs: options.tokenRefreshSkewMs }),
    ...(options.readCredentials ? { readCredentials: options.readCredentials } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const client = createJsonClient({
    baseUrl,
    supplier: SUPPLIER,
    auth,
    readError: readBrightlineError,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.answerLimits ? { answerLimits: options.answerLimits } : {}),
  });
  const call = <T>(ctx: CallContext, operation: string, request: Omit<JsonRequest<T>, 'signal' | 'operation' | 'log'>): Promise<T> =>
    client.request({ ...request, signal: ctx.signal, operation, log: ctx.log });

  const findByCustomerOrderNumber = (customerOrderNumber: string, ctx: CallContext, operation: string) =>
    call(ctx, operation, { method: 'GET', path: '/v1/orders', query: { customerOrderNumber }, schema: Order });

  const fetchOrder = (ref: SupplierOrderRef, ctx: CallContext, operation: string) =>
    ref.supplierOrderId === null
      ? findByCustomerOrderNumber(ref.idempotencyKey, ctx, operation)
      : call(ctx, operation, { method: 'GET', path: `/v1/orders/${encodeURIComponent(ref.supplierOrderId)}`, schema: Order });

  return {
    supplier: SUPPLIER,
    protocol: 'rest',
    maxStockBatch: MAX_STOCK_BATCH,
    // Units are allocated when the order is created (OPEN = accepted); its stock reads drop then (docs/suppliers/brightline-rest.md).
    allocatesStockOnAccept: true,

    async getStock(supplierSkus, ctx) {
      const batches = chunk([...new Set(supplierSkus)], MAX_STOCK_BATCH);
      const pages = await Promise.all(
        batches.map(async (batch) => {
          const response = await call(ctx, 'getStock', { method: 'POST', path: '/v1/availability', body: { partNumbers: batch }, schema: AvailabilityResponse });
          return toSupplierStocks(response, new Set(batch));
        }),
      );
      return pages.flat();
    },

    async listCatalog(cursor, ctx) {
      const response = await call(ctx, 'listCatalog', {
        method: 'GET',
        path: '/v1/catalog',
        query: { pageSize: options.catalogPageSize ?? 100, pageToken: cursor },
        schema: CatalogResponse,
      });
      return toCatalogPage(response);
    },

    async placeOrder(order, ctx) {
      const body = toOrderRequest(order);
      try {
        const created = await call(ctx, 'placeOrder', { method: 'POST', path: '/v1/orders', body, schema: Order });
        return toOrderAck(created, false);
      } catch (error) {
        // Brightline answers a repeated customer order number with 409: the order exists, so read it back.
        if (!isSupplierAnswer(error, 409, 'DUPLICATE_CUSTOMER_ORDER_NUMBER')) throw error;
        const existing = await findByCustomerOrderNumber(order.idempotencyKey, ctx, 'placeOrder');
        if (!sameLines(existing, body)) {
          // Same key, different goods: a bug upstream of us. Claiming success would ship the wrong order.
          throw new RegistryError('SUPPLIER_REJECTED', `${SUPPLIER} already holds a different order under this customer order number`, {
            supplier: SUPPLIER,
            operation: 'placeOrder',
            // The id is the supplier's text: cleaned and clipped, and kept out of the message.
            details: { supplierOrderId: cleanSupplierText(existing.orderId, 100) ?? null },
          });
        }
        return toOrderAck(existing, true);
      }
    },

    async getOrderStatus(ref, ctx) {
      return toOrderStatus(await fetchOrder(ref, ctx, 'getOrderStatus'));
    },

    async cancelOrder(ref, ctx) {
      const orderId = ref.supplierOrderId ?? (await findByCustomerOrderNumber(ref.idempotencyKey, ctx, 'cancelOrder')).orderId;
      try {
        await call(ctx, 'cancelOrder', { method: 'POST', path: `/v1/orders/${encodeURIComponent(orderId)}/cancel`, body: {}, schema: Order });
      } catch (error) {
        if (!isSupplierAnswer(error, 409, 'ORDER_NOT_CANCELLABLE')) throw error;
        // The order id may be the supplier's text (read back by customer order number): details only, cleaned.
        throw new RegistryError('ORDER_NOT_CANCELLABLE', `${SUPPLIER} order can no longer be cancelled`, {
          supplier: SUPPLIER,
          operation: 'cancelOrder',
          cause: error,
          details: { ...(error as RegistryError).details, supplierOrderId: cleanSupplierText(orderId, 100) ?? null },
        });
      }
    },

    async health(ctx) {
      const started = performance.now();
      const { status } = await call(ctx, 'health', { method: 'GET', path: '/v1/health', schema: Health });
      const latencyMs = Math.round(performance.now() - started);
      return { ok: status === 'UP', latencyMs, detail: status === 'UP' ? null : `${SUPPLIER} reports status ${cleanSupplierText(status, 40) ?? '(unprintable)'}` };
    },

    async close() {
      auth.invalidate();
    },
  };
}

/**
 * Builds the Brightline connector, wrapped in call policies (deadline per attempt, retries on reads).
 * health() is wrapped once more so it reports supplier failures, including the policies' own timeouts, as
 * { ok: false } instead of throwing; only the caller's own abort still throws.
 */
export function createBrightlineConnector(options: BrightlineConnectorOptions): SupplierConnector {
  const connector = withCallPolicies(createInner(options), options);
  return {
    ...connector,
    async health(ctx): Promise<HealthReport> {
      const started = performance.now();
      try {
        return await connector.health(ctx);
      } catch (error) {
        if (isRegistryError(error) && error.code === 'CALL_ABORTED') throw error;
        const detail = isRegistryError(error) ? `${error.code}: ${error.message}` : String(error);
        return { ok: false, latencyMs: Math.round(performance.now() - started), detail };
      }
    },
  };
}
