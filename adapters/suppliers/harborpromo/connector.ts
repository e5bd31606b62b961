/**
 * Any supplier speaking the PromoStandards SOAP services (harborpromo is the first): Product Data, Inventory,
 * Purchase Order, Order Status, Order Shipment Notification, each at its own endpoint, and an optional supplier
 * Order Cancel service. Every decision made here (endpoints, batching, paging, cancel, status table, allocation) is
 * in docs/suppliers/promostandards.md.
 */
import type { AnswerLimits } from '../../core/answer-cap.ts';
import type { CallContext, ConnectorOperation, Lane, SupplierConnector } from '../../core/connector.ts';
import { RegistryError, isRegistryError, type ErrorCode } from '../../../kernel/errors.ts';
import type { CatalogItem, Money, SupplierOrderAck, SupplierOrderRef, SupplierOrderStatus, SupplierStock } from '../../../kernel/model.ts';
import { runAttempt } from '../../core/policies/traffic-attempt.ts';
import { withCallPolicies, type CallPolicyOptions } from '../../core/policies/with-call-policies.ts';
import type { OutboundPolicy } from '../../core/outbound-policy.ts';
import { silentLogger, type Logger } from '../../../platform/logger.ts';
import { createSoapServiceClient, type SoapServiceClient } from '../../soap/client.ts';
import type { Raw } from '../../soap/coerce.ts';
import { PROMOSTANDARDS_WSDL, errorFromMessages, serviceMessagesOf, supplierWsdl } from '../../soap/promostandards.ts';
import { ProductDirectory, mapLimit } from './directory.ts';
import { resolveServiceEndpoints, type PromoStandardsServiceKey, type ServiceEndpoints } from './endpoints.ts';
import { createInventoryReads } from './inventory-reads.ts';
import { mapInventory, mapOrderStatus, mapProduct, mapSellable, mapShipments, toSupplierStock } from './mapping.ts';
import * as rq from './requests.ts';

export { DEFAULT_SERVICE_PATHS, PROMOSTANDARDS_SERVICE_KEYS, type PromoStandardsServiceKey } from './endpoints.ts';

/** harborpromo's informational code on sendPO: "PO number already received, transactionId unchanged". */
export const DUPLICATE_PO_CODE = 210;
/** The supplier Order Cancel service's code: "order can no longer be canceled". */
export const NOT_CANCELLABLE_CODE = 310;
/**
 * Inventory 2.0.0 answers for one productId per call; SKUs a caller picks may each belong to another product, so
 * one call can only be promised for one SKU. Parts of one product cost one call all the same (docs: batching).
 */
export const MAX_STOCK_BATCH = 1;

/** The services a connector instance talks to (`pricing` is accepted in configuration, but prices come from Product Data). */
export type HarborService = Exclude<PromoStandardsServiceKey, 'pricing'>;

/** Call policies (deadline, retry, rate limit, breaker, concurrency, metrics) are applied once, here. */
export interface PromoStandardsConnectorOptions extends CallPolicyOptions {
  /** The supplier's slug: names it in errors, logs and offer ids (`<slug>:<partId>`). */
  readonly supplier: string;
  /** Base URL; services not named in `services` are served under it at the default paths (endpoints.ts). */
  readonly url?: string;
  /** One endpoint per service: an absolute URL, or a path under `url`. No `orderCancel`: orders cannot be cancelled. */
  readonly services?: Readonly<Partial<Record<PromoStandardsServiceKey, string>>>;
  readonly credentials: { readonly id: string; readonly password: string };
  /**
   * Re-reads the credentials (credential store first, then environment) when the supplier refuses the ones in use
   * (MISCONFIGURED): with new values the call is sent once more with them, and they stay in use. A supplier that
   * refused us at start so recovers without a restart once the store holds the right secret. At most one read per
   * `credentialRecheckMs`; concurrent refusals share it.
   */
  readonly readCredentials?: () => Promise<{ readonly id: string; readonly password: string }>;
  /** @default 1000 */
  readonly credentialRecheckMs?: number;
  /**
   * Whether the supplier lowers its stock when it takes the PO (docs/orders.md). PromoStandards Inventory reports
   * what is available to sell, which real suppliers (and the sandbox) lower at PO receipt. @default true
   */
  readonly allocatesStockOnAccept?: boolean;
  /** Also send the credentials as a WS-Security UsernameToken. @default false */
  readonly wsSecurity?: boolean;
  /** Products per catalog page (one getProduct call each). @default 25 */
  readonly catalogPageSize?: number;
  /** Load part→product index and prices at creation (failures are logged, not thrown). @default false */
  readonly primeDirectory?: boolean;
  /** Budget for that priming, and of every shared Product Data load (part index, a price) callers wait on. @default 30000 */
  readonly primeTimeoutMs?: number;
  /** How long the sellable list (part → product) is trusted before a background refresh. @default 300000 */
  readonly sellableTtlMs?: number;
  /** How long a product's price is trusted before a background refresh. @default 900000 */
  readonly priceTtlMs?: number;
  /** How long a stock read waits, after Inventory answered, for a price never seen before (then: cost null). @default 1000 */
  readonly priceWaitMs?: number;
  readonly log?: Logger;
  /** Sees every request envelope as sent, per service and operation (tests check it against the XSDs). */
  readonly onRequestXml?: (service: HarborService, operation: string, xml: string) => void;
  /** HTTPS-only, TLS 1.2+ and pinning for every service endpoint (docs/security.md). @default none */
  readonly outbound?: OutboundPolicy;
  /**
   * Answer size caps keyed by connector operation (getStock, listCatalog, ...; the suppliers file's
   * `maxAnswerBytes`); each SOAP operation is capped as the connector operation it serves (SOAP_ANSWER_OPERATION).
   * @default answerLimits() (8 MiB each)
   */
  readonly answerLimits?: AnswerLimits;
}

/**
 * The connector operation whose answer cap a SOAP operation's answer gets. Product Data calls are the catalog's
 * (the directory counts them as listCatalog for rate limits too); Order Status and shipments serve tracking.
 */
export const SOAP_ANSWER_OPERATION: Readonly<Record<string, ConnectorOperation>> = {
  getInventoryLevels: 'getStock',
  getProductSellable: 'listCatalog',
  getProduct: 'listCatalog',
  sendPO: 'placeOrder',
  getOrderStatus: 'getOrderStatus',
  getOrderShipmentNotification: 'getOrderStatus',
  cancelOrder: 'cancelOrder',
  getServiceMethods: 'health',
};

const CURSOR_VERSION = 1;
const encodeCursor = (after: string): string => Buffer.from(JSON.stringify({ v: CURSOR_VERSION, after })).toString('base64url');
function decodeCursor(cursor: string, supplier: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; after?: unknown };
    if (parsed.v === CURSOR_VERSION && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw new RegistryError('INVALID_INPUT', `not a ${supplier} catalog cursor`, { supplier, operation: 'listCatalog' });
}

/** Waits for `promise` at most `ms`, then gives `fallback` (the promise goes on, e.g. to fill a cache). */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export async function createPromoStandardsConnector(options: PromoStandardsConnectorOptions): Promise<SupplierConnector> {
  const { supplier } = options;
  let credentials: rq.Credentials = { id: options.credentials.id, password: options.credentials.password };
  const log = options.log ?? silentLogger();
  // Every password we ever used stays redacted (a supplier may echo an old one); grows only on a credential change.
  const secrets: string[] = [credentials.password];
  const endpoints: ServiceEndpoints = resolveServiceEndpoints(supplier, options.url, options.services);
  if (endpoints.pricing) {
    log.info({ supplier, endpoint: endpoints.pricing }, 'PromoStandards pricing endpoint configured but not used: prices come from Product Data');
  }
  const limits = options.answerLimits;
  const soapLimits: AnswerLimits | undefined = limits && { maxBytes: (soapOperation) => limits.maxBytes(SOAP_ANSWER_OPERATION[soapOperation] ?? soapOperation) };
  const client = <Op extends string>(c: rq.Credentials, service: HarborService, endpoint: string, wsdlPath: string, operations: Record<Op, { kind: 'read' | 'write' }>) =>
    createSoapServiceClient<Op>({
      supplier,
      wsdlPath,
      endpoint,
      operations,
      secrets,
      ...(options.wsSecurity ? { wsSecurity: { username: c.id, password: c.password } } : {}),
      ...(options.onRequestXml ? { onRequestXml: (op: Op, xml: string) => options.onRequestXml!(service, op, xml) } : {}),
      ...(options.outbound ? { outbound: options.outbound } : {}),
      ...(soapLimits ? { answerLimits: soapLimits } : {}),
    });
  // Opened again only when credentials change and they travel in a WS-Security header too.
  const openServices = async (c: rq.Credentials) => {
    const [inventory, productData, purchaseOrder, orderStatus, shipments, orderCancel] = await Promise.all([
    client(c, 'inventory', endpoints.inventory, PROMOSTANDARDS_WSDL.inventory, { getInventoryLevels: { kind: 'read' } }),
    client(c, 'productData', endpoints.productData, PROMOSTANDARDS_WSDL.productData, { getProductSellable: { kind: 'read' }, getProduct: { kind: 'read' } }),
    client(c, 'purchaseOrder', endpoints.purchaseOrder, PROMOSTANDARDS_WSDL.purchaseOrder, { sendPO: { kind: 'write' } }),
    client(c, 'orderStatus', endpoints.orderStatus, PROMOSTANDARDS_WSDL.orderStatus, { getOrderStatus: { kind: 'read' }, getServiceMethods: { kind: 'read' } }),
    client(c, 'shipmentNotification', endpoints.shipmentNotification, PROMOSTANDARDS_WSDL.shipmentNotification, { getOrderShipmentNotification: { kind: 'read' } }),
    endpoints.orderCancel === null
      ? Promise.resolve(null)
      : client(c, 'orderCancel', endpoints.orderCancel, supplierWsdl('harborpromo/order-cancel-1.0.0/OrderCancelService.wsdl'), { cancelOrder: { kind: 'write' } }),
    ]);
    return { inventory, productData, purchaseOrder, orderStatus, shipments, orderCancel };
  };
  type Services = Awaited<ReturnType<typeof openServices>>;
  let services: Services = await openServices(credentials);
  const hasCancel = services.orderCancel !== null;

  let recheck: { at: number; read: Promise<void> } | null = null;
  /** True when credentials other than `used` are in use now (re-read from the store on a refusal). */
  async function fresherCredentials(used: rq.Credentials): Promise<boolean> {
    if (credentials !== used) return true;
    if (!options.readCredentials) return false;
    const now = Date.now();
    if (!recheck || now - recheck.at >= (options.credentialRecheckMs ?? 1_000)) {
      const read = options.readCredentials().then(async (next) => {
        if (next.id === credentials.id && next.password === credentials.password) return;
        const fresh = { id: next.id, password: next.password };
        if (!secrets.includes(fresh.password)) secrets.push(fresh.password);
        if (options.wsSecurity) services = await openServices(fresh);
        credentials = fresh;
        log.info({ supplier }, `${supplier}: refused our credentials; new ones from the credential store are in use from now on`);
      });
      recheck = { at: now, read: read.catch((error: unknown) => log.warn({ supplier, err: error }, `${supplier}: re-reading credentials failed`)) };
    }
    await recheck.read;
    return credentials !== used;
  }

  type CallOptions = { tolerate?: readonly number[]; overrides?: Readonly<Record<number, ErrorCode>> };
  /**
   * One call with the credentials in use (`request` builds the body from them); refused credentials are re-read
   * and, when they changed, the call is sent once more with the new ones.
   */
  async function call<Op extends string>(
    pick: (s: Services) => SoapServiceClient<Op>,
    operation: Op,
    request: (c: rq.Credentials) => Record<string, unknown>,
    signal: AbortSignal,
    opts: CallOptions = {},
  ): Promise<{ response: Record<string, Raw>; codes: number[] }> {
    const used = credentials;
    try {
      return await callOnce(pick(services), operation, request(used), signal, opts);
    } catch (error) {
      if (!(isRegistryError(error) && error.code === 'MISCONFIGURED') || !(await fresherCredentials(used))) throw error;
      return callOnce(pick(services), operation, request(credentials), signal, opts);
    }
  }

  /** One call; Error ServiceMessages become registry errors unless `tolerate` lists their code. */
  async function callOnce<Op extends string>(
    svc: SoapServiceClient<Op>,
    operation: Op,
    args: Record<string, unknown>,
    signal: AbortSignal,
    opts: CallOptions,
  ): Promise<{ response: Record<string, Raw>; codes: number[] }> {
    const response = await svc.call(operation, args, signal);
    const messages = serviceMessagesOf(response);
    const error = errorFromMessages(
      messages.filter((m) => !opts.tolerate?.includes(m.code)),
      { supplier, operation, secrets, ...(opts.overrides ? { overrides: opts.overrides } : {}) },
    );
    if (error) throw error;
    return { response, codes: messages.map((m) => m.code) };
  }

  /**
   * A Product Data call the directory makes on its own (part index, a price, a refresh: inside stock reads and
   * orders, or in the background) is a supplier request like any other: it takes its own rate-limit tokens and goes
   * through the catalog group's breaker, counted as `listCatalog` (the Product Data operation). No concurrency slot:
   * the call that waits on it may already hold one, and two waiting on each other's slots would deadlock.
   */
  const productDataCall = <T>(signal: AbortSignal, lane: Lane, send: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const ctx: CallContext = { signal, lane, log, requestId: `${supplier}:product-directory` };
    const maxWaitMs = typeof options.maxWaitMs === 'function' ? options.maxWaitMs(ctx, 'listCatalog') : (options.maxWaitMs ?? timeoutMs);
    const breaker = options.breakers?.catalog ?? options.breaker;
    const { concurrency: _slotHeldByCaller, ...policies } = options;
    return runAttempt({ ...policies, supplier, operation: 'listCatalog', ctx, timeoutMs, maxWaitMs, ...(breaker ? { breaker } : {}) }, (c) => send(c.signal));
  };

  const directory = new ProductDirectory({
    fetchSellable: (signal, lane) =>
      productDataCall(signal, lane, async (s) => mapSellable((await call((x) => x.productData, 'getProductSellable', rq.sellableRequest, s, { tolerate: [160] })).response)),
    fetchProduct: (productId, signal, lane) =>
      productDataCall(signal, lane, async (s) => (await call((x) => x.productData, 'getProduct', (c) => rq.productRequest(c, productId), s)).response),
    refreshTimeoutMs: options.primeTimeoutMs ?? 30_000,
    ...(options.sellableTtlMs === undefined ? {} : { sellableTtlMs: options.sellableTtlMs }),
    ...(options.priceTtlMs === undefined ? {} : { priceTtlMs: options.priceTtlMs }),
    // The last known value stays in use; operators see why it is getting old.
    onRefreshError: (what, error) => log.warn({ supplier, err: error }, `${supplier}: refreshing the ${what} failed; serving the last known one`),
  });

  // 130/135: the supplier no longer has the product or part; such SKUs are left out, as the port says.
  const inventoryReads = createInventoryReads({
    fetch: async (productId, ctx) =>
      mapInventory((await call((x) => x.inventory, 'getInventoryLevels', (c) => rq.inventoryRequest(c, productId), ctx.signal, { tolerate: [130, 135] })).response),
  });

  /**
   * The traffic layer took one set of tokens for the connector call; a `getStock` spanning several products sends one
   * Inventory request each, and every request after the first takes its own tokens from the same shared buckets, so
   * the supplier's published limit holds for multi-product reads too.
   */
  function meteredAfterFirst(ctx: CallContext): <T>(send: () => Promise<T>) => Promise<T> {
    let sent = 0;
    return async (send) => {
      sent += 1;
      if (sent === 1 || !options.limiter) return send();
      const permit = await options.limiter.acquire({ operation: 'getStock', lane: ctx.lane, signal: ctx.signal, maxWaitMs: options.timeoutMs ?? 10_000 });
      try {
        return await send();
      } finally {
        await permit.finish().catch((error: unknown) => ctx.log.warn({ supplier, err: error }, 'rate-limit bookkeeping failed'));
      }
    };
  }

  /** The cost to serve with a stock figure: the last known one, never a wait on a failing Product Data. */
  function costFor(productId: string, ctx: CallContext): () => Promise<Money | null> {
    const last = directory.lastKnownCost(productId);
    if (last.known) return async () => last.cost;
    // Never seen: ask now, beside the Inventory call, on a signal of its own so the answer still fills the cache.
    const load = last.load(AbortSignal.timeout(30_000), ctx.lane).catch((error: unknown) => {
      ctx.log.warn({ supplier, productId, err: error }, `${supplier}: no price for a stock figure; serving it without cost`);
      return null;
    });
    return () => within(load, options.priceWaitMs ?? 1_000, null);
  }

  const pageSize = options.catalogPageSize ?? 25;

  const inner: SupplierConnector = {
    supplier,
    protocol: 'soap',
    maxStockBatch: MAX_STOCK_BATCH,
    // PromoStandards Inventory reports stock available to sell, lowered at PO receipt: see the docs' allocation rule.
    allocatesStockOnAccept: options.allocatesStockOnAccept ?? true,

    async getStock(skus, ctx) {
      const readAt = new Date().toISOString();
      const productOf = await directory.productsOf([...new Set(skus)], ctx.signal, ctx.lane);
      const byProduct = new Map<string, Set<string>>();
      for (const [partId, productId] of productOf) byProduct.set(productId, (byProduct.get(productId) ?? new Set()).add(partId));
      const metered = meteredAfterFirst(ctx);
      // One Inventory call per product, whatever number of its parts were asked for (inventory-reads.ts).
      const results = await mapLimit([...byProduct], 4, async ([productId, partIds]): Promise<SupplierStock[]> => {
        const cost = costFor(productId, ctx);
        const parts = await inventoryReads.read(productId, ctx, metered);
        const unitCost = await cost();
        return parts.filter((p) => partIds.has(p.partId)).map((p) => toSupplierStock(p, unitCost, readAt));
      });
      return results.flat();
    },

    async listCatalog(cursor, ctx) {
      const after = cursor === null ? null : decodeCursor(cursor, supplier);
      const parts = await directory.sellable(ctx.signal, undefined, ctx.lane);
      const products = [...new Set(parts.map((p) => p.productId))].sort();
      const start = after === null ? 0 : products.findIndex((p) => p > after);
      const page = start < 0 ? [] : products.slice(start, start + pageSize);
      const sellable = new Set(parts.map((p) => p.partId));
      const items = await mapLimit(page, 4, async (productId): Promise<CatalogItem[]> => {
        const { response } = await call((x) => x.productData, 'getProduct', (c) => rq.productRequest(c, productId), ctx.signal, { tolerate: [130] });
        if (response['Product'] === undefined) return [];
        directory.remember(productId, response);
        return mapProduct(response).filter((item) => sellable.has(item.supplierSku));
      });
      const last = page[page.length - 1];
      const more = start >= 0 && start + pageSize < products.length;
      return { items: items.flat(), nextCursor: more && last ? encodeCursor(last) : null };
    },

    async placeOrder(order, ctx) {
      const productOf = await directory.productsOf(order.lines.map((l) => l.supplierSku), ctx.signal, ctx.lane);
      const lines = await Promise.all(
        order.lines.map(async (line): Promise<rq.PricedLine> => {
          const productId = productOf.get(line.supplierSku) ?? null;
          const unitCost = line.unitCost ?? (productId ? await directory.costOf(productId, ctx.signal, ctx.lane) : null);
          if (!unitCost) {
            throw new RegistryError('INVALID_INPUT', `no price known for ${line.supplierSku}: ${supplier} needs a unit price on every PO line`, {
              supplier,
              operation: 'placeOrder',
            });
          }
          return { lineNumber: line.lineNumber, supplierSku: line.supplierSku, productId, quantity: line.quantity, unitCost, description: line.supplierSku };
        }),
      );
      let sent: Awaited<ReturnType<typeof call>>;
      try {
        sent = await call((x) => x.purchaseOrder, 'sendPO', (c) => rq.sendPORequest(c, order, lines, new Date()), ctx.signal, {
          overrides: { 130: 'SUPPLIER_REJECTED', 135: 'SUPPLIER_REJECTED' },
        });
      } catch (error) {
        // Never refused blindly: most suppliers answer a PO number they already hold with an Error ServiceMessage
        // (the code is theirs to choose), so an Error is read back by PO number before it counts as a refusal.
        if (!isRegistryError(error) || error.details?.['serviceMessageCode'] === undefined) throw error;
        const existing = await readStatus(order.idempotencyKey, ctx).catch((readError: unknown) => {
          if (isRegistryError(readError) && readError.code === 'SUPPLIER_NOT_FOUND') return null;
          throw readError;
        });
        if (existing === null) throw error;
        ctx.log.info({ supplier, po: order.idempotencyKey, serviceMessageCode: error.details['serviceMessageCode'] }, `${supplier} already holds this PO: read back instead of a refusal`);
        // Order Status gives no transactionId: the supplier's sales order number(s) name the order from here on.
        return { supplierOrderId: existing.salesOrderNumbers.join(','), status: existing.status, rawStatus: existing.rawStatus, alreadyExisted: true };
      }
      const { response, codes } = sent;
      const transactionId = typeof response['transactionId'] === 'string' ? response['transactionId'] : undefined;
      if (!transactionId) throw new RegistryError('CONTRACT_VIOLATION', 'sendPO answered without a transactionId', { supplier, operation: 'sendPO' });
      if (!codes.includes(DUPLICATE_PO_CODE)) return { supplierOrderId: transactionId, status: 'submitted', rawStatus: 'received', alreadyExisted: false };
      // A repeat: read back where the existing order stands rather than claiming it was just received.
      const current = await readStatus(order.idempotencyKey, ctx);
      const ack: SupplierOrderAck = { supplierOrderId: transactionId, status: current.status, rawStatus: current.rawStatus, alreadyExisted: true };
      return ack;
    },

    async getOrderStatus(ref, ctx) {
      return reportOf(ref, await readStatus(ref.idempotencyKey, ctx), ctx);
    },

    // One Order Status call (queryType allOpen) for every open order; closed ones are absent and read one by one.
    async getOrderStatuses(refs, ctx) {
      const out = new Map<string, SupplierOrderStatus>();
      if (allOpenUnsupported || refs.length === 0) return out;
      let response: Record<string, Raw>;
      try {
        ({ response } = await call((x) => x.orderStatus, 'getOrderStatus', rq.openOrdersRequest, ctx.signal, { tolerate: [160] }));
      } catch (error) {
        // allOpen is optional for a supplier: one that refuses it (an Error ServiceMessage, e.g. 125 Not Supported)
        // has its orders read one by one from here on.
        if (!isRegistryError(error) || error.code !== 'SUPPLIER_REJECTED' || error.details?.['serviceMessageCode'] === undefined) throw error;
        allOpenUnsupported = true;
        log.info({ supplier, serviceMessageCode: error.details['serviceMessageCode'] }, `${supplier} does not answer Order Status allOpen: orders are tracked one call each`);
        return out;
      }
      if (response['OrderStatusArray'] === undefined) return out; // 160: no open orders
      const found = refs.flatMap((ref) => {
        const current = mapOrderStatus(response, ref.idempotencyKey);
        return current ? [[ref, current] as const] : [];
      });
      await mapLimit(found, 4, async ([ref, current]) => out.set(ref.idempotencyKey, await reportOf(ref, current, ctx)));
      return out;
    },

    async cancelOrder(ref, ctx) {
      if (!hasCancel) {
        // PromoStandards has no cancel service; a supplier without its own is cancelled with by phone or e-mail.
        throw new RegistryError('ORDER_NOT_CANCELLABLE', `${supplier} offers no order cancel service: cancel PO ${ref.idempotencyKey} with ${supplier} directly`, {
          supplier,
          operation: 'cancelOrder',
          details: { supplier, reason: 'no cancel service' },
        });
      }
      const { response } = await call((x) => x.orderCancel!, 'cancelOrder', (c) => rq.cancelRequest(c, ref.idempotencyKey), ctx.signal, {
        overrides: { [NOT_CANCELLABLE_CODE]: 'ORDER_NOT_CANCELLABLE' },
      });
      if (response['status'] !== 'canceled') {
        throw new RegistryError('CONTRACT_VIOLATION', 'cancelOrder answered neither canceled nor an error', { supplier, operation: 'cancelOrder' });
      }
    },

    async health(ctx) {
      const started = Date.now();
      try {
        await call((x) => x.orderStatus, 'getServiceMethods', rq.serviceMethodsRequest, ctx.signal);
        return { ok: true, latencyMs: Date.now() - started, detail: null };
      } catch (error) {
        const detail = isRegistryError(error) ? `${error.code}: ${error.message}` : String(error);
        return { ok: false, latencyMs: Date.now() - started, detail };
      }
    },

    async close() {
      // Nothing held: `soap` clients keep no sockets of their own beyond Node's agent pool.
    },
  };

  let allOpenUnsupported = false;

  /** An order's report from its Order Status, with its shipments (one OSN call) once anything shipped. */
  async function reportOf(ref: SupplierOrderRef, current: NonNullable<ReturnType<typeof mapOrderStatus>>, ctx: CallContext): Promise<SupplierOrderStatus> {
    let found: ReturnType<typeof mapShipments> = [];
    if (current.anyShipped) {
      const { response } = await call((x) => x.shipments, 'getOrderShipmentNotification', (c) => rq.shipmentRequest(c, ref.idempotencyKey), ctx.signal, { tolerate: [160, 301] });
      found = mapShipments(response);
    }
    return {
      supplierOrderId: ref.supplierOrderId ?? current.salesOrderNumbers.join(','),
      status: current.status,
      rawStatus: current.rawStatus,
      lines: current.lines,
      shipments: found,
      updatedAt: current.updatedAt,
    };
  }

  async function readStatus(purchaseOrderNumber: string, ctx: CallContext) {
    const { response } = await call((x) => x.orderStatus, 'getOrderStatus', (c) => rq.orderStatusRequest(c, purchaseOrderNumber), ctx.signal);
    const mapped = mapOrderStatus(response, purchaseOrderNumber);
    if (!mapped) {
      throw new RegistryError('SUPPLIER_NOT_FOUND', `${supplier} has no order for PO ${purchaseOrderNumber}`, { supplier, operation: 'getOrderStatus' });
    }
    return mapped;
  }

  if (options.primeDirectory ?? false) {
    try {
      await directory.prime(AbortSignal.timeout(options.primeTimeoutMs ?? 30_000));
    } catch (error) {
      // A supplier that is down at our start must not stop the gateway; lookups fill the directory lazily.
      log.warn({ supplier, err: error }, `${supplier}: product directory not primed`);
    }
  }

  return withCallPolicies(inner, options);
}

/** The options of the first, harborpromo-only factory (one base URL, today's default paths, no cancel service). */
export interface HarborpromoConnectorOptions extends Omit<PromoStandardsConnectorOptions, 'supplier' | 'url' | 'credentials' | 'primeDirectory'> {
  readonly baseUrl: string;
  readonly id: string;
  readonly password: string;
  /** @default 'harborpromo' */
  readonly supplier?: string;
  /** @default true (kept from the first factory) */
  readonly primeDirectory?: boolean;
}

/** Kept while the stack moves to `createPromoStandardsConnector`; the same connector under the old options. */
export function createHarborpromoConnector(options: HarborpromoConnectorOptions): Promise<SupplierConnector> {
  const { baseUrl, id, password, supplier, primeDirectory, ...rest } = options;
  return createPromoStandardsConnector({ ...rest, supplier: supplier ?? 'harborpromo', url: baseUrl, credentials: { id, password }, primeDirectory: primeDirectory ?? true });
}
