/**
 * What every PromoStandards supplier shares: where the published WSDLs are, and what the standard's
 * ServiceMessage codes mean for us. Supplier connectors add their own codes on top.
 */
import path from 'node:path';
import { RegistryError, type ErrorCode } from '../../kernel/errors.ts';
import { asArray, asInt, asRecord, asText, type Raw } from './coerce.ts';
import { supplierTextForDetails } from './errors.ts';

const SCHEMA_ROOT = path.resolve(import.meta.dirname, '../../schema');

/** The published WSDLs, shipped unchanged in schema/promostandards/. */
export const PROMOSTANDARDS_WSDL = {
  inventory: path.join(SCHEMA_ROOT, 'promostandards/inventory-2.0.0/InventoryService.wsdl'),
  productData: path.join(SCHEMA_ROOT, 'promostandards/product-data-2.0.0/ProductDataService.wsdl'),
  purchaseOrder: path.join(SCHEMA_ROOT, 'promostandards/purchase-order-1.0.0/POService.wsdl'),
  orderStatus: path.join(SCHEMA_ROOT, 'promostandards/order-status-2.0.0/OrderStatusServiceV2.wsdl'),
  shipmentNotification: path.join(SCHEMA_ROOT, 'promostandards/order-shipment-notification-2.0.0/OrderShipmentNotificationService.wsdl'),
} as const;

export const supplierWsdl = (relative: string): string => path.join(SCHEMA_ROOT, relative);

export interface ServiceMessage {
  readonly code: number;
  readonly description: string;
  readonly severity: 'Error' | 'Warning' | 'Information';
}

/** The ServiceMessageArray of any PromoStandards response, coerced. */
export function serviceMessagesOf(response: Record<string, Raw>): ServiceMessage[] {
  const array = asRecord(response['ServiceMessageArray'], 'ServiceMessageArray');
  return asArray(array?.['ServiceMessage']).map((raw, i) => {
    const m = asRecord(raw, `ServiceMessage[${i}]`) ?? {};
    const severity = asText(m['severity'], 'ServiceMessage.severity');
    return {
      code: asInt(m['code'], 'ServiceMessage.code') ?? 0,
      description: asText(m['description'], 'ServiceMessage.description') ?? '',
      severity: severity === 'Warning' || severity === 'Information' ? severity : 'Error',
    };
  });
}

/**
 * The standard's common codes. Ours to fix (critical): 100 id not found, 104 account not authorized for the service,
 * 105 credentials failed, 115 wsVersion not found. The supplier's own trouble, worth a retry (transient): 110 its
 * authentication service is unavailable, 999 general error. Unknown ids are not-found; any other Error (missing or
 * invalid data, 120, 125, 140, ...) is a rejection of this request. 160 (no results) is not an error: the caller
 * reads the empty answer.
 */
const CODE_CLASSES: ReadonlyArray<[readonly number[], ErrorCode]> = [
  [[100, 104, 105, 115], 'MISCONFIGURED'],
  [[110, 999], 'SUPPLIER_UNAVAILABLE'],
  [[130, 135, 200, 301], 'SUPPLIER_NOT_FOUND'],
];

export function errorCodeFor(code: number): ErrorCode {
  return CODE_CLASSES.find(([codes]) => codes.includes(code))?.[1] ?? 'SUPPLIER_REJECTED';
}

/**
 * The first Error-severity message as a registry error, or null when the answer carries none (160 excepted). The
 * message is ours (supplier, operation, that a ServiceMessage refused the call); the supplier's own code and
 * description travel in `details` (operator logs and, on logical errors, clients), with the first messages of
 * the answer — every description cut out of our secrets (`redact`), then clipped and cleaned.
 */
export function errorFromMessages(
  messages: readonly ServiceMessage[],
  context: {
    readonly supplier: string;
    readonly operation: string;
    readonly overrides?: Readonly<Record<number, ErrorCode>>;
    /** Our secrets, cut out of every description before it is kept. */
    readonly secrets?: readonly string[];
  },
): RegistryError | null {
  const error = messages.find((m) => m.severity === 'Error' && m.code !== 160);
  if (!error) return null;
  const clean = (text: string) => supplierTextForDetails(text, context.secrets ?? []) ?? '';
  const code = context.overrides?.[error.code] ?? errorCodeFor(error.code);
  return new RegistryError(code, `${context.supplier} ${context.operation}: refused with an Error ServiceMessage (${ERROR_WORDS[code] ?? 'the supplier refused the request'})`, {
    supplier: context.supplier,
    operation: context.operation,
    details: {
      supplier: context.supplier,
      serviceMessageCode: error.code,
      serviceMessageDescription: clean(error.description),
      serviceMessages: messages.slice(0, 10).map((m) => ({ code: m.code, severity: m.severity, description: clean(m.description) })),
    },
  });
}

/** Our words for what a ServiceMessage code means to us, by the registry code it maps to. */
const ERROR_WORDS: Partial<Record<ErrorCode, string>> = {
  MISCONFIGURED: 'our account or request setup was refused',
  SUPPLIER_UNAVAILABLE: 'the supplier reports trouble on its side',
  SUPPLIER_NOT_FOUND: 'the supplier does not know the item or order',
  SUPPLIER_REJECTED: 'the supplier refused the request',
  ORDER_NOT_CANCELLABLE: 'the order can no longer be cancelled',
};
