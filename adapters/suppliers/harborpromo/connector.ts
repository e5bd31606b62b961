/**
 * harborpromo: a promotional-products supplier speaking PromoStandards over SOAP 1.1 (see
 * docs/suppliers/harborpromo-soap.md for every decision made here: batching, paging, cancel, status table).
 */
import type { CallContext, SupplierConnector } from '../../core/connector.ts';
import { RegistryError, isRegistryError, type ErrorCode } from '../../core/errors.ts';
import type { CatalogItem, SupplierOrderAck } from '../../core/model.ts';
import { withCallPolicies, type CallPolicyOptions } from '../../core/policies/with-call-policies.ts';
import type { RetryPolicy } from '../../core/policies/retry.ts';
import type { OutboundPolicy } from '../../core/outbound-policy.ts';
import { silentLogger, type Logger } from '../../../platform/logger.ts';
import { createSoapServiceClient, type SoapServiceClient } from '../../soap/client.ts';
import type { Raw } from '../../soap/coerce.ts';
import { PROMOSTANDARDS_WSDL, errorFromMessages, serviceMessagesOf, supplierWsdl } from '../../soap/promostandards.ts';
import { ProductDirectory, mapLimit } from './directory.ts';
import { mapInventory, mapOrderStatus, mapProduct, mapSellable, mapShipments, toSupplierStock } from './mapping.ts';
import * as rq from './requests.ts';

export const SUPPLIER = 'harborpromo';
/** harborpromo's informational code on sendPO: "PO number already received, transactionId unchanged". */
export const DUPLICATE_PO_CODE = 210;
/** harborpromo's Order Cancel code: "order can no longer be canceled". */
export const NOT_CANCELLABLE_CODE = 310;
/**
 * Inventory 2.0.0 answers for one productId per call, and every harborpromo part is its own product, so one call
 * can only ever be promised for one SKU. See the batching section of the docs.
 */
export const MAX_STOCK_BATCH = 1;

/** harborpromo's endpoints under its base URL. */
export const ENDPOINTS = {
  inventory: '/inventory/v2',
  productData: '/product-data/v2',
  purchaseOrder: '/po/v1',
  orderStatus: '/order-status/v2',
  shipmentNotification: '/osn/v2',
  orderCancel: '/order-cancel/v1',
} as const;

export type HarborService = keyof typeof ENDPOINTS;

/** Call policies (deadline, retry, rate limit, breaker, concurrency, metrics) are applied once, here. */
export interface HarborpromoConnectorOptions extends CallPolicyOptions {
  readonly baseUrl: string;
  readonly id: string;
  readonly password: string;
  /** Also send the credentials as a WS-Security UsernameToken. @default false */
  readonly wsSecurity?: boolean;
  /** Products per catalog page (one getProduct call each). @default 25 */
  readonly catalogPageSize?: number;
  /** Load part→product index and prices at creation (failures are logged, not thrown). @default true */
  readonly primeDirectory?: boolean;
  /** Budget for that priming. @default 30000 */
  readonly primeTimeoutMs?: number;
  readonly log?: Logger;
  /** Sees every request envelope as sent, per service and operation (tests check it against the XSDs). */
  readonly onRequestXml?: (service: HarborService, operation: string, xml: string) => void;
  /** HTTPS-only, TLS 1.2+ and pinning for every service endpoint (docs/security.md). @default none */
  readonly outbound?: OutboundPolicy;
}

const CURSOR_VERSION = 1;
const encodeCursor = (after: string): string => Buffer.from(JSON.stringify({ v: CURSOR_VERSION, after })).toString('base64url');
function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; after?: unknown };
    if (parsed.v === CURSOR_VERSION && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw new RegistryError('INVALID_INPUT', 'not a harborpromo catalog cursor', { supplier: SUPPLIER, operation: 'listCatalog' });
}

export async function createHarborpromoConnector(options: HarborpromoConnectorOptions): Promise<SupplierConnector> {
  const credentials: rq.Credentials = { id: options.id, password: options.password };
  const base = options.baseUrl.replace(/\/+$/, '');
  const client = <Op extends string>(service: HarborService, wsdlPath: string, operations: Record<Op, { kind: 'read' | 'write' }>) =>
    createSoapServiceClient<Op>({
      supplier: SUPPLIER,
      wsdlPath,
      endpoint: `${base}${ENDPOINTS[service]}`,
      operations,
      ...(options.wsSecurity ? { wsSecurity: { username: options.id, password: options.password } } : {}),
      ...(options.onRequestXml ? { onRequestXml: (op: Op, xml: string) => options.onRequestXml!(service, op, xml) } : {}),
      ...(options.outbound ? { outbound: options.outbound } : {}),
    });
  const [inventory, productData, purchaseOrder, orderStatus, shipments, orderCancel] = await Promise.all([
    client('inventory', PROMOSTANDARDS_WSDL.inventory, { getInventoryLevels: { kind: 'read' } }),
    client('productData', PROMOSTANDARDS_WSDL.productData, { getProductSellable: { kind: 'read' }, getProduct: { kind: 'read' } }),
    client('purchaseOrder', PROMOSTANDARDS_WSDL.purchaseOrder, { sendPO: { kind: 'write' } }),
    client('orderStatus', PROMOSTANDARDS_WSDL.orderStatus, { getOrderStatus: { kind: 'read' }, getServiceMethods: { kind: 'read' } }),
    client('shipmentNotification', PROMOSTANDARDS_WSDL.shipmentNotification, { getOrderShipmentNotification: { kind: 'read' } }),
    client('orderCancel', supplierWsdl('harborpromo/order-cancel-1.0.0/OrderCancelService.wsdl'), { cancelOrder: { kind: 'write' } }),
  ]);

  /** One call; Error ServiceMessages become registry errors unless `tolerate` lists their code. */
  async function call<Op extends string>(
    svc: SoapServiceClient<Op>,
    operation: Op,
    args: Record<string, unknown>,
    signal: AbortSignal,
    opts: { tolerate?: readonly number[]; overrides?: Readonly<Record<number, ErrorCode>> } = {},
  ): Promise<{ response: Record<string, Raw>; codes: number[] }> {
    const response = await svc.call(operation, args, signal);
    const messages = serviceMessagesOf(response);
    const error = errorFromMessages(
      messages.filter((m) => !opts.tolerate?.includes(m.code)),
      { supplier: SUPPLIER, operation, ...(opts.overrides ? { overrides: opts.overrides } : {}) },
    );
    if (error) throw error;
    return { response, codes: messages.map((m) => m.code) };
  }

  const directory = new ProductDirectory({
    fetchSellable: async (signal) => mapSellable((await call(productData, 'getProductSellable', rq.sellableRequest(credentials), signal, { tolerate: [160] })).response),
    fetchProduct: async (productId, signal) => (await call(productData, 'getProduct', rq.productRequest(credentials, productId), signal)).response,
  });

  const pageSize = options.catalogPageSize ?? 25;

  const inner: SupplierConnector = {
    supplier: SUPPLIER,
    protocol: 'soap',
    maxStockBatch: MAX_STOCK_BATCH,
    // Kept false on purpose (safe side) — see docs/suppliers/harborpromo-soap.md "Stock and accepted orders".
    allocatesStockOnAccept: false,

    async getStock(skus, ctx) {
      const readAt = new Date().toISOString();
      const chunks: string[][] = [];
      for (let i = 0; i < skus.length; i += MAX_STOCK_BATCH) chunks.push(skus.slice(i, i + MAX_STOCK_BATCH));
      const results = await mapLimit(chunks, 4, async (chunk) => {
        const byProduct = new Map<string, string[]>();
        for (const sku of chunk) {
          const productId = await directory.productOf(sku, ctx.signal);
          if (productId !== undefined) byProduct.set(productId, [...(byProduct.get(productId) ?? []), sku]);
        }
        const stock = [];
        for (const [productId, partIds] of byProduct) {
          // 130/135: the supplier no longer has the product or part; such SKUs are left out, as the port says.
          const { response } = await call(inventory, 'getInventoryLevels', rq.inventoryRequest(credentials, productId, partIds), ctx.signal, { tolerate: [130, 135] });
          const cost = await directory.costOf(productId, ctx.signal);
          stock.push(...mapInventory(response).filter((p) => partIds.includes(p.partId)).map((p) => toSupplierStock(p, cost, readAt)));
        }
        return stock;
      });
      return results.flat();
    },

    async listCatalog(cursor, ctx) {
      const after = cursor === null ? null : decodeCursor(cursor);
      const parts = await directory.sellable(ctx.signal);
      const products = [...new Set(parts.map((p) => p.productId))].sort();
      const start = after === null ? 0 : products.findIndex((p) => p > after);
      const page = start < 0 ? [] : products.slice(start, start + pageSize);
      const sellable = new Set(parts.map((p) => p.partId));
      const items = await mapLimit(page, 4, async (productId): Promise<CatalogItem[]> => {
        const { response } = await call(productData, 'getProduct', rq.productRequest(credentials, productId), ctx.signal, { tolerate: [130] });
        if (response['Product'] === undefined) return [];
        directory.remember(productId, response);
        return mapProduct(response).filter((item) => sellable.has(item.supplierSku));
      });
      const last = page[page.length - 1];
      const more = start >= 0 && start + pageSize < products.length;
      return { items: items.flat(), nextCursor: more && last ? encodeCursor(last) : null };
    },

    async placeOrder(order, ctx) {
      const lines = await Promise.all(
        order.lines.map(async (line): Promise<rq.PricedLine> => {
          const productId = (await directory.productOf(line.supplierSku, ctx.signal)) ?? null;
          const unitCost = line.unitCost ?? (productId ? await directory.costOf(productId, ctx.signal) : null);
          if (!unitCost) {
            throw new RegistryError('INVALID_INPUT', `no price known for ${line.supplierSku}: harborpromo needs a unit price on every PO line`, {
              supplier: SUPPLIER,
              operation: 'placeOrder',
            });
          }
          return { lineNumber: line.lineNumber, supplierSku: line.supplierSku, productId, quantity: line.quantity, unitCost, description: line.supplierSku };
        }),
      );
      const { response, codes } = await call(purchaseOrder, 'sendPO', rq.sendPORequest(credentials, order, lines, new Date()), ctx.signal, {
        overrides: { 130: 'SUPPLIER_REJECTED', 135: 'SUPPLIER_REJECTED' },
      });
      const transactionId = typeof response['transactionId'] === 'string' ? response['transactionId'] : undefined;
      if (!transactionId) throw new RegistryError('CONTRACT_VIOLATION', 'sendPO answered without a transactionId', { supplier: SUPPLIER, operation: 'sendPO' });
      if (!codes.includes(DUPLICATE_PO_CODE)) return { supplierOrderId: transactionId, status: 'submitted', rawStatus: 'received', alreadyExisted: false };
      // A repeat: read back where the existing order stands rather than claiming it was just received.
      const current = await readStatus(order.idempotencyKey, ctx);
      const ack: SupplierOrderAck = { supplierOrderId: transactionId, status: current.status, rawStatus: current.rawStatus, alreadyExisted: true };
      return ack;
    },

    async getOrderStatus(ref, ctx) {
      const current = await readStatus(ref.idempotencyKey, ctx);
      let found: ReturnType<typeof mapShipments> = [];
      if (current.anyShipped) {
        const { response } = await call(shipments, 'getOrderShipmentNotification', rq.shipmentRequest(credentials, ref.idempotencyKey), ctx.signal, { tolerate: [160, 301] });
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
    },

    async cancelOrder(ref, ctx) {
      const { response } = await call(orderCancel, 'cancelOrder', rq.cancelRequest(credentials, ref.idempotencyKey), ctx.signal, {
        overrides: { [NOT_CANCELLABLE_CODE]: 'ORDER_NOT_CANCELLABLE' },
      });
      if (response['status'] !== 'canceled') {
        throw new RegistryError('CONTRACT_VIOLATION', 'cancelOrder answered neither canceled nor an error', { supplier: SUPPLIER, operation: 'cancelOrder' });
      }
    },

    async health(ctx) {
      const started = Date.now();
      try {
        await call(orderStatus, 'getServiceMethods', rq.serviceMethodsRequest(credentials), ctx.signal);
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

  async function readStatus(purchaseOrderNumber: string, ctx: CallContext) {
    const { response } = await call(orderStatus, 'getOrderStatus', rq.orderStatusRequest(credentials, purchaseOrderNumber), ctx.signal);
    const mapped = mapOrderStatus(response, purchaseOrderNumber);
    if (!mapped) {
      throw new RegistryError('SUPPLIER_NOT_FOUND', `harborpromo has no order for PO ${purchaseOrderNumber}`, { supplier: SUPPLIER, operation: 'getOrderStatus' });
    }
    return mapped;
  }

  if (options.primeDirectory ?? true) {
    const log = options.log ?? silentLogger();
    try {
      await directory.prime(AbortSignal.timeout(options.primeTimeoutMs ?? 30_000));
    } catch (error) {
      // A supplier that is down at our start must not stop the gateway; lookups fill the directory lazily.
      log.warn({ supplier: SUPPLIER, err: isRegistryError(error) ? error.code : String(error) }, 'harborpromo directory not primed');
    }
  }

  return withCallPolicies(inner, options);
}
