import type { XNode } from '../xml.ts';
import { el, textOf } from '../xml.ts';
import type { OrderBook } from '../orders.ts';
import type { HarborCatalog } from '../catalog.ts';

/** What the operations read and change. */
export interface SandboxState {
  /** This instance's catalog (each instance may carry its own: `catalogSeed`). */
  readonly catalog: HarborCatalog;
  readonly stock: Map<string, number>;
  readonly stockUpdatedAt: Map<string, string>;
  readonly orders: OrderBook;
}

export interface ServiceMessage {
  readonly code: number;
  readonly description: string;
  readonly severity: 'Error' | 'Warning' | 'Information';
}

/** The PromoStandards messages the sandbox uses (codes from the standard's common error table). */
export const MSG = {
  authFailed: { code: 105, description: 'Authentication Credentials failed', severity: 'Error' },
  required: (fields: string) => ({ code: 120, description: `The following field(s) are required [${fields}]`, severity: 'Error' }),
  notSupported: (what: string) => ({ code: 125, description: `Not Supported: ${what}`, severity: 'Error' }),
  productNotFound: (id: string) => ({ code: 130, description: `productId not found: ${id}`, severity: 'Error' }),
  partNotFound: (id: string) => ({ code: 135, description: `partId not found: ${id}`, severity: 'Error' }),
  validation: (what: string) => ({ code: 140, description: `Data Validation Error: ${what}`, severity: 'Error' }),
  noResults: { code: 160, description: 'No Results Found', severity: 'Information' },
  referenceNotFound: (ref: string) => ({ code: 301, description: `Reference Number not found: ${ref}`, severity: 'Error' }),
  wsVersion: (v: string) => ({ code: 115, description: `wsVersion not found: ${v}`, severity: 'Error' }),
} as const satisfies Record<string, ServiceMessage | ((x: string) => ServiceMessage)>;

export interface OperationResult {
  readonly body: string;
  /** For getInventoryLevels: how many parts the request asked for (stats().maxStockBatch). */
  readonly stockBatch?: number;
}

export interface OperationSpec {
  /** Operation name as in the WSDL portType, used for stats. */
  readonly name: string;
  readonly handle: (request: XNode, state: SandboxState) => OperationResult;
  /** The operation's response element carrying only these messages (auth failures, validation errors). */
  readonly messagesOnly: (messages: readonly ServiceMessage[]) => string;
}

/** The services a PromoStandards supplier publishes, each at its own endpoint (plus the optional Order Cancel). */
export type SoapServiceKey = 'productData' | 'inventory' | 'purchaseOrder' | 'orderStatus' | 'shipmentNotification' | 'orderCancel';

export interface ServiceSpec {
  readonly key: SoapServiceKey;
  /** Default HTTP path of the endpoint, e.g. /inventory/v2 (each instance may serve it elsewhere: `paths`). */
  readonly defaultPath: string;
  /** Folder under schema/ holding the WSDL and XSDs. */
  readonly schemaDir: string;
  readonly wsdlFile: string;
  /** Namespace of the request elements (the Body's child). */
  readonly ns: string;
  /** Namespace of the id/password/wsVersion elements. */
  readonly credentialNs: string;
  readonly wsVersion: string;
  /** Keyed by the request element's local name, e.g. GetInventoryLevelsRequest. */
  readonly operations: ReadonlyMap<string, OperationSpec>;
}

/** ServiceMessage elements; `arrayQName` is where the standard puts the array, `s` the shared-objects prefix. */
export const serviceMessages = (arrayQName: string, s: string, messages: readonly ServiceMessage[]): string =>
  messages.length === 0
    ? ''
    : el(
        arrayQName,
        messages.map((m) =>
          el(`${s}:ServiceMessage`, [el(`${s}:code`, m.code), el(`${s}:description`, m.description.slice(0, 256)), el(`${s}:severity`, m.severity)]),
        ),
      );

export const text = (node: XNode, ns: string, name: string): string | undefined => {
  const value = textOf(node, ns, name);
  return value === undefined || value === '' ? undefined : value;
};

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
