/**
 * The harborpromo sandbox: a PromoStandards supplier over SOAP 1.1 document/literal, one endpoint per service,
 * each serving its published WSDL (`?wsdl`, soap:address rewritten to the real endpoint) and XSDs next to it.
 * Answers are XML built to validate against those XSDs (the tests check with xmllint). Pull only: no webhooks.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FaultController, malform, type FaultKnobs } from '../shared/faults.ts';
import { seededRandom } from '../shared/product-universe.ts';
import { createRequestWindow } from '../shared/request-window.ts';
import type { SandboxOptions, SandboxStats, SupplierSandbox } from '../shared/sandbox.ts';
import { HARBOR_PARTS, initialStockOf } from './catalog.ts';
import { OrderBook, type AdvanceTarget } from './orders.ts';
import { MSG, type SandboxState, type ServiceSpec } from './services/common.ts';
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
}

type Answer = { status: number; body: string; headers?: Record<string, string> };

export async function createSoapSandbox(options: SoapSandboxOptions = {}): Promise<SupplierSandbox> {
  const credentials = options.credentials ?? { id: 'harbor-distributor', password: randomBytes(12).toString('base64url') };
  const faults = new FaultController(seededRandom(options.seed ?? 2));
  const state: SandboxState = { stock: new Map(), stockUpdatedAt: new Map(), orders: new OrderBook() };
  const started = new Date().toISOString();
  for (const part of HARBOR_PARTS) {
    state.stock.set(part.partId, initialStockOf(part));
    state.stockUpdatedAt.set(part.partId, started);
  }
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
      return { status: 500, body: faultEnvelope('Client', `Unknown operation {${request.ns}}${request.name} at ${service.path}`) };
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
    return { status: 200, body: faults.shouldMalform() ? malform(xml) : xml };
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
    await faults.delay();
    const { decision, retryAfterSeconds } = faults.decide();
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
      answer = soapAnswer(service, doc);
    }
    res.writeHead(answer.status, { 'content-type': 'text/xml; charset=utf-8', ...answer.headers });
    res.end(answer.body);
  }

  async function onSchemaFile(service: ServiceSpec, file: string, res: http.ServerResponse): Promise<void> {
    const text = await readFile(path.join(SCHEMA_ROOT, service.schemaDir, file), 'utf8');
    const body = file.endsWith('.wsdl') ? text.replace('location="[Endpoint URL]"', `location="${baseUrl}${service.path}"`) : text;
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
      if (method === 'POST' && route === 'reset-faults') return (faults.reset(), json(200, faults.knobs));
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
      const service = SERVICES.find((s) => s.path === url.pathname);
      if (service && req.method === 'POST') return void onSoap(service, raw, req, res).catch(fail);
      if (service && req.method === 'GET' && (url.searchParams.has('wsdl') || url.searchParams.has('WSDL'))) {
        return void onSchemaFile(service, service.wsdlFile, res).catch(fail);
      }
      // XSDs resolve relative to the endpoint, i.e. in the endpoint path's parent folder.
      const xsd = SERVICES.find((s) => url.pathname.startsWith(`${path.posix.dirname(s.path)}/`));
      const file = xsd && url.pathname.slice(path.posix.dirname(xsd.path).length + 1);
      if (xsd && file && req.method === 'GET' && /^[\w-]+\.xsd$/.test(file)) return void onSchemaFile(xsd, file, res).catch(fail);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const sandbox: SupplierSandbox = {
    kind: 'soap',
    url: baseUrl,
    credentials: { id: credentials.id, password: credentials.password },
    webhookSecret: null,
    setFaults: (knobs) => faults.set(knobs),
    resetFaults: () => faults.reset(),
    stats: (): SandboxStats => ({ total: stats.total, byOperation: { ...stats.byOperation }, maxStockBatch: stats.maxStockBatch, overLimit: requestWindow.overLimit() }),
    resetStats: () => {
      stats = { total: 0, byOperation: {}, maxStockBatch: 0 };
      requestWindow.resetCount();
    },
    supplierSkus: () => HARBOR_PARTS.map((p) => p.partId),
    stockOf: (sku) => state.stock.get(sku),
    driftStock: (sku, available) => {
      if (!state.stock.has(sku)) throw new Error(`harborpromo does not carry ${sku}`);
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
