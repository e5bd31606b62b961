/**
 * A PromoStandards supplier over SOAP 1.1 document/literal, behaving like a standard one by default: one endpoint
 * per service at its own path (configurable per instance), each serving its published WSDL (`?wsdl`, soap:address
 * rewritten to the real endpoint) and XSDs next to it; several parts per product; no Order Cancel service (it is
 * not a PromoStandards service; `cancelService: true` adds harborpromo's own). Answers are XML built to validate
 * against those XSDs (the tests check with xmllint). Pull only: no webhooks. Knobs: docs/suppliers/promostandards.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FaultController, malform, type FaultDecision, type FaultKnobs } from '../shared/faults.ts';
import { seededRandom } from '../shared/product-universe.ts';
import { createRequestWindow } from '../shared/request-window.ts';
import type { SandboxOptions, SandboxStats, SupplierSandbox } from '../shared/sandbox.ts';
import { buildCatalog } from './catalog.ts';
import { OrderBook, type AdvanceTarget, type DuplicatePoAnswer } from './orders.ts';
import { MSG, type SandboxState, type ServiceSpec, type SoapServiceKey } from './services/common.ts';
import { inventoryService } from './services/inventory.ts';
import { orderCancelService } from './services/order-cancel.ts';
import { orderStatusService } from './services/order-status.ts';
import { productDataService } from './services/product-data.ts';
import { purchaseOrderService } from './services/purchase-order.ts';
import { shipmentNotificationService } from './services/shipment-notification.ts';
import { SOAP_ENV_NS, WSSE_NS, XmlRejected, child, envelope, faultEnvelope, parseXml, textOf, type XNode } from './xml.ts';

export const SERVICES: readonly ServiceSpec[] = [
  inventoryService,
  productDataService,
  purchaseOrderService,
  orderStatusService,
  shipmentNotificationService,
  orderCancelService,
];

const SCHEMA_ROOT = path.resolve(import.meta.dirname, '../../schema');
const MAX_BODY_BYTES = 1_000_000;
const ADVANCE_TARGETS = new Set(['accepted', 'partially_shipped', 'shipped', 'delivered', 'backordered', 'on_hold', 'rejected']);

export interface SoapSandboxOptions extends SandboxOptions {
  /** Seeds the fault dice, so a run with error/reject/malformed rates is repeatable. @default 2 */
  readonly seed?: number;
  /** Credentials the sandbox accepts. @default a random password for id "harbor-distributor" */
  readonly credentials?: { readonly id: string; readonly password: string };
  /** Where each service is served (paths starting with /). @default each service's default path (/inventory/v2, …) */
  readonly paths?: Partial<Record<SoapServiceKey, string>>;
  /** Which catalog this instance carries (and its stock seed); see catalog.ts. @default the default catalog */
  readonly catalogSeed?: number;
  /** Old quirk: every part its own product. @default false (several parts per product, as real suppliers have) */
  readonly onePartPerProduct?: boolean;
  /** Serve harborpromo's own Order Cancel 1.0.0 service (not PromoStandards; a standard supplier has none). @default false */
  readonly cancelService?: boolean;
  /** How a repeated PO number is answered. @default an Error ServiceMessage, code 300 (see orders.ts DuplicatePoAnswer) */
  readonly duplicatePo?: DuplicatePoAnswer;
}

/** The SOAP sandbox's handle: the common one, plus its endpoints and faults per service. */
export interface SoapSandbox extends SupplierSandbox {
  /** Each served service's absolute endpoint URL (Order Cancel only when enabled). */
  readonly endpoints: Readonly<Partial<Record<SoapServiceKey, string>>>;
  /** Faults of one service only (e.g. Product Data down while Inventory answers); resetFaults() clears them too. */
  setServiceFaults(service: SoapServiceKey, knobs: Partial<FaultKnobs>): void;
  /** The productId a part belongs to (undefined when not carried). */
  productOf(supplierSku: string): string | undefined;
}

type Answer = { status: number; body: string; headers?: Record<string, string> };

export async function createSoapSandbox(options: SoapSandboxOptions = {}): Promise<SoapSandbox> {
  const credentials = options.credentials ?? { id: 'harbor-distributor', password: randomBytes(12).toString('base64url') };
  const random = seededRandom(options.seed ?? 2);
  const faults = new FaultController(random);
  const serviceFaults = new Map<SoapServiceKey, FaultController>();
  const catalog = buildCatalog({
    ...(options.catalogSeed === undefined ? {} : { catalogSeed: options.catalogSeed }),
    ...(options.onePartPerProduct ? { onePartPerProduct: true } : {}),
  });
  const state: SandboxState = { catalog, stock: new Map(), stockUpdatedAt: new Map(), orders: new OrderBook(options.duplicatePo ? { duplicatePo: options.duplicatePo } : {}) };
  const started = new Date().toISOString();
  for (const part of catalog.parts) {
    state.stock.set(part.partId, catalog.initialStockOf(part));
    state.stockUpdatedAt.set(part.partId, started);
  }
  const served = SERVICES.filter((s) => s.key !== 'orderCancel' || options.cancelService === true);
  const pathOf = new Map<ServiceSpec, string>();
  for (const service of served) {
    const configured = options.paths?.[service.key];
    if (configured !== undefined && !/^\/[\w./-]*$/.test(configured)) throw new Error(`soap sandbox: path for ${service.key} must start with / (got ${configured})`);
    pathOf.set(service, configured ?? service.defaultPath);
  }
  if (new Set(pathOf.values()).size !== pathOf.size) throw new Error('soap sandbox: two services on one path');
  let stats = { total: 0, byOperation: {} as Record<string, number>, maxStockBatch: 0 };
  const requestWindow = createRequestWindow(options.publishedLimit);
  let baseUrl = '';

  const count = (operation: string) => {
    stats.total += 1;
    stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
  };

  function soapAnswer(service: ServiceSpec, doc: XNode | XmlRejected): Answer {
    if (doc instanceof XmlRejected) return { status: 500, body: faultEnvelope('Client', doc.message) };
    const body = doc.ns === SOAP_ENV_NS && doc.name === 'Envelope' ? child(doc, SOAP_ENV_NS, 'Body') : undefined;
    const request = body?.children[0];
    if (!request) return { status: 500, body: faultEnvelope('Client', 'Expected a SOAP 1.1 Envelope with a Body') };
    const operation = service.operations.get(request.name);
    if (!operation || request.ns !== service.ns) {
      return { status: 500, body: faultEnvelope('Client', `Unknown operation {${request.ns}}${request.name} at ${pathOf.get(service)}`) };
    }
    const id = textOf(request, service.credentialNs, 'id');
    const password = textOf(request, service.credentialNs, 'password');
    const token = child(child(child(doc, SOAP_ENV_NS, 'Header'), WSSE_NS, 'Security'), WSSE_NS, 'UsernameToken');
    const tokenOk = !token || (textOf(token, WSSE_NS, 'Username') === credentials.id && textOf(token, WSSE_NS, 'Password') === credentials.password);
    if (id !== credentials.id || password !== credentials.password || !tokenOk) {
      return { status: 200, body: envelope(operation.messagesOnly([MSG.authFailed])) };
    }
    const wsVersion = textOf(request, service.credentialNs, 'wsVersion') ?? '';
    if (wsVersion !== service.wsVersion) return { status: 200, body: envelope(operation.messagesOnly([MSG.wsVersion(wsVersion)])) };
    const result = operation.handle(request, state);
    if (result.stockBatch !== undefined) stats.maxStockBatch = Math.max(stats.maxStockBatch, result.stockBatch);
    const xml = envelope(result.body);
    const mangle = faults.shouldMalform() || (serviceFaults.get(service.key)?.shouldMalform() ?? false);
    return { status: 200, body: mangle ? malform(xml) : xml };
  }

  async function onSoap(service: ServiceSpec, raw: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let doc: XNode | XmlRejected;
    try {
      doc = parseXml(raw);
    } catch (error) {
      doc = error instanceof XmlRejected ? error : new XmlRejected(String(error));
    }
    const request = doc instanceof XmlRejected ? undefined : child(doc, SOAP_ENV_NS, 'Body')?.children[0];
    count(request ? (service.operations.get(request.name)?.name ?? 'unknown') : 'unparsed');
    // The published limit, checked by the gateway in front of the SOAP stack before any of it runs (a sandbox
    // that is down answers nothing at all, so it admits nothing either).
    const limited = faults.knobs.down ? ({ admitted: true } as const) : requestWindow.admit();
    if (!limited.admitted) {
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(limited.retryAfterSeconds) });
      res.end('Too Many Requests');
      return;
    }
    const own = serviceFaults.get(service.key);
    await own?.delay();
    await faults.delay();
    // A fault of this service alone wins; otherwise the sandbox-wide knobs decide.
    const mine: { decision: FaultDecision; retryAfterSeconds: number } = own ? own.decide() : { decision: 'ok', retryAfterSeconds: 0 };
    const { decision, retryAfterSeconds } = mine.decision === 'ok' ? faults.decide() : mine;
    if (decision === 'down') {
      req.socket.destroy();
      return;
    }
    let answer: Answer;
    if (decision === 'throttle') {
      // What an API gateway in front of a SOAP stack sends: no envelope, just 429 and when to come back.
      answer = { status: 429, body: 'Too Many Requests', headers: { 'content-type': 'text/plain', 'retry-after': String(retryAfterSeconds) } };
    } else if (decision === 'error') {
      answer = { status: 500, body: faultEnvelope('Server', 'Internal error while processing the request; please retry') };
    } else if (decision === 'reject') {
      answer = { status: 500, body: faultEnvelope('Client', 'The request was rejected by harborpromo') };
    } else {
      const ordersBefore = state.orders.all().length;
      answer = soapAnswer(service, doc);
      // A lost acknowledgement (fault knob): the PO is stored, its answer never arrives (or arrives too late).
      const lost = state.orders.all().length > ordersBefore ? faults.takeLostAck() : null;
      if (lost !== null) {
        if (lost.delayMs === null) return void req.socket.destroy();
        await new Promise((r) => setTimeout(r, lost.delayMs!));
      }
    }
    res.writeHead(answer.status, { 'content-type': 'text/xml; charset=utf-8', ...answer.headers });
    res.end(answer.body);
  }

  async function onSchemaFile(service: ServiceSpec, file: string, res: http.ServerResponse): Promise<void> {
    const text = await readFile(path.join(SCHEMA_ROOT, service.schemaDir, file), 'utf8');
    const body = file.endsWith('.wsdl') ? text.replace('location="[Endpoint URL]"', `location="${baseUrl}${pathOf.get(service)}"`) : text;
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(body);
  }

  function onControl(route: string, method: string, raw: string, res: http.ServerResponse): void {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const input = (): Record<string, unknown> => (raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
    try {
      if (method === 'POST' && route === 'faults') return (faults.set(input() as Partial<FaultKnobs>), json(200, faults.knobs));
      if (method === 'POST' && route === 'reset-faults') return (sandbox.resetFaults(), json(200, faults.knobs));
      if (method === 'POST' && route === 'service-faults') {
        const { service, ...knobs } = input();
        if (!served.some((s) => s.key === service)) throw new Error(`no service ${String(service)} here`);
        sandbox.setServiceFaults(service as SoapServiceKey, knobs as Partial<FaultKnobs>);
        return json(200, { service, ...serviceFaults.get(service as SoapServiceKey)!.knobs });
      }
      if (method === 'GET' && route === 'stats') return json(200, sandbox.stats());
      if (method === 'POST' && route === 'reset-stats') return (sandbox.resetStats(), json(200, sandbox.stats()));
      if (method === 'GET' && route === 'orders') return json(200, sandbox.orders());
      if (method === 'POST' && route === 'drift') {
        const { supplierSku, available } = input();
        sandbox.driftStock(String(supplierSku), Number(available));
        return json(200, { supplierSku, available: sandbox.stockOf(String(supplierSku)) });
      }
      if (method === 'POST' && route === 'advance') {
        const { supplierOrderId, to } = input();
        sandbox.advanceOrder(String(supplierOrderId), String(to) as AdvanceTarget);
        return json(200, { supplierOrderId, to });
      }
      return json(404, { error: `no control route ${method} /__sandbox/${route}` });
    } catch (error) {
      return json(400, { error: (error as Error).message });
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const raw = Buffer.concat(chunks).toString('utf8');
      const fail = (error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      };
      if (url.pathname.startsWith('/__sandbox/')) return onControl(url.pathname.slice('/__sandbox/'.length), req.method ?? 'GET', raw, res);
      const service = served.find((s) => pathOf.get(s) === url.pathname);
      if (service && req.method === 'POST') return void onSoap(service, raw, req, res).catch(fail);
      if (service && req.method === 'GET' && (url.searchParams.has('wsdl') || url.searchParams.has('WSDL'))) {
        return void onSchemaFile(service, service.wsdlFile, res).catch(fail);
      }
      // XSDs resolve relative to the endpoint, i.e. in the endpoint path's parent folder (which several services may
      // share: the file is looked up in each of them).
      if (req.method === 'GET') {
        for (const s of served) {
          const folder = path.posix.dirname(pathOf.get(s)!);
          const file = url.pathname.startsWith(`${folder === '/' ? '' : folder}/`) ? url.pathname.slice(folder === '/' ? 1 : folder.length + 1) : '';
          if (/^[\w-]+\.xsd$/.test(file) && existsSync(path.join(SCHEMA_ROOT, s.schemaDir, file))) return void onSchemaFile(s, file, res).catch(fail);
        }
      }
      // A standard supplier has no cancel service: its old path is as unknown as any other.
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const sandbox: SoapSandbox = {
    kind: 'soap',
    url: baseUrl,
    credentials: { id: credentials.id, password: credentials.password },
    webhookSecret: null,
    endpoints: Object.fromEntries(served.map((s) => [s.key, `${baseUrl}${pathOf.get(s)}`])),
    setFaults: (knobs) => faults.set(knobs),
    setServiceFaults: (service, knobs) => {
      const controller = serviceFaults.get(service) ?? new FaultController(random);
      controller.set(knobs);
      serviceFaults.set(service, controller);
    },
    resetFaults: () => {
      faults.reset();
      serviceFaults.clear();
    },
    productOf: (sku) => catalog.partById(sku)?.productId,
    stats: (): SandboxStats => ({ total: stats.total, byOperation: { ...stats.byOperation }, maxStockBatch: stats.maxStockBatch, overLimit: requestWindow.overLimit() }),
    resetStats: () => {
      stats = { total: 0, byOperation: {}, maxStockBatch: 0 };
      requestWindow.resetCount();
    },
    supplierSkus: () => catalog.parts.map((p) => p.partId),
    stockOf: (sku) => state.stock.get(sku),
    driftStock: (sku, available) => {
      if (!state.stock.has(sku)) throw new Error(`this sandbox does not carry ${sku}`);
      if (!Number.isInteger(available) || available < 0) throw new Error('available must be a non-negative integer');
      state.stock.set(sku, available);
      state.stockUpdatedAt.set(sku, new Date().toISOString());
    },
    orders: () => state.orders.all().map((o) => structuredClone(o)),
    advanceOrder: (supplierOrderId, to) => {
      const order = state.orders.byTransactionId(supplierOrderId) ?? state.orders.byPo(supplierOrderId);
      if (!order) throw new Error(`no order with transactionId or PO ${supplierOrderId}`);
      if (!ADVANCE_TARGETS.has(to)) throw new Error(`cannot advance to ${to}`);
      state.orders.advance(order, to);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return sandbox;
}
