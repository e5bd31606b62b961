/**
 * Request bodies for a PromoStandards supplier, as plain objects whose keys follow each XSD's sequence order (`soap`
 * serialises keys in insertion order; the adapter tests validate the resulting XML against the request XSDs).
 */
import { RegistryError } from '../../../kernel/errors.ts';
import type { Money, SupplierOrder } from '../../../kernel/model.ts';

export interface Credentials {
  readonly id: string;
  readonly password: string;
}

const auth = (wsVersion: string, c: Credentials) => ({ wsVersion, id: c.id, password: c.password });

/** Without `partIds`, every part of the product (the connector's default: one call answers for all of them). */
export const inventoryRequest = (c: Credentials, productId: string, partIds?: readonly string[]) => ({
  ...auth('2.0.0', c),
  productId,
  ...(partIds && partIds.length > 0 ? { Filter: { partIdArray: { partId: [...partIds] } } } : {}),
});

export const sellableRequest = (c: Credentials) => ({ ...auth('2.0.0', c), isSellable: true });

export const productRequest = (c: Credentials, productId: string) => ({
  ...auth('2.0.0', c),
  localizationCountry: 'US',
  localizationLanguage: 'en',
  productId,
});

export const orderStatusRequest = (c: Credentials, purchaseOrderNumber: string) => ({
  ...auth('2.0.0', c),
  queryType: 'poSearch',
  referenceNumber: purchaseOrderNumber,
  returnProductDetail: true,
});

/** Order Status queryType allOpen: every order the supplier has not closed, in one answer. */
export const openOrdersRequest = (c: Credentials) => ({
  ...auth('2.0.0', c),
  queryType: 'allOpen',
  returnProductDetail: true,
});

export const serviceMethodsRequest = (c: Credentials) => auth('2.0.0', c);

/** Order Shipment Notification queryType 1: by purchase order number. */
export const shipmentRequest = (c: Credentials, purchaseOrderNumber: string) => ({ ...auth('2.0.0', c), queryType: 1, referenceNumber: purchaseOrderNumber });

export const cancelRequest = (c: Credentials, purchaseOrderNumber: string) => ({ ...auth('1.0.0', c), purchaseOrderNumber });

// ---- money, without floats ----

function toScaled(amount: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) throw new RegistryError('INVALID_INPUT', `not a decimal amount: ${amount}`);
  const fraction = (m[3] ?? '').padEnd(scale, '0');
  if (fraction.length > scale) throw new RegistryError('INVALID_INPUT', `too many decimals: ${amount}`);
  return BigInt(`${m[1]}${m[2]}${fraction}`);
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

const scaleOf = (amounts: readonly string[]) => Math.max(2, ...amounts.map((a) => a.split('.')[1]?.length ?? 0));

export const multiplyAmount = (amount: string, quantity: number): string => {
  const scale = scaleOf([amount]);
  return fromScaled(toScaled(amount, scale) * BigInt(quantity), scale);
};

export const sumAmounts = (amounts: readonly string[]): string => {
  const scale = scaleOf(amounts);
  return fromScaled(amounts.reduce((sum, a) => sum + toScaled(a, scale), 0n), scale);
};

// ---- sendPO ----

/** ContactDetails limits from SharedObjectsPO.xsd: refuse rather than truncate an address. */
const LIMITS = { attentionTo: 35, companyName: 35, address1: 35, address2: 35, city: 30, region: 3, postalCode: 10, email: 128, phone: 32 } as const;

function checked(field: keyof typeof LIMITS, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value.length > LIMITS[field]) {
    throw new RegistryError('INVALID_INPUT', `shipTo.${field} is longer than the ${LIMITS[field]} characters the PO schema allows`, {
      details: { field, limit: LIMITS[field] },
    });
  }
  return value;
}

export interface PricedLine {
  readonly lineNumber: number;
  readonly supplierSku: string;
  readonly productId: string | null;
  readonly quantity: number;
  readonly unitCost: Money;
  readonly description: string;
}

/**
 * A Blank (undecorated) PO, blind-shipped to the end customer: the merchant is the seller of record. The PO
 * number is our idempotency key, which PromoStandards suppliers treat as unique per customer.
 */
export function sendPORequest(c: Credentials, order: SupplierOrder, lines: readonly PricedLine[], now: Date) {
  if (lines.length === 0) throw new RegistryError('INVALID_INPUT', 'an order needs at least one line');
  const currency = lines[0]!.unitCost.currency;
  if (lines.some((l) => l.unitCost.currency !== currency)) throw new RegistryError('INVALID_INPUT', 'all lines of one PO must be priced in one currency');
  for (const l of lines) {
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) throw new RegistryError('INVALID_INPUT', `line ${l.lineNumber}: quantity must be a positive integer`);
  }
  if (order.idempotencyKey.length === 0 || order.idempotencyKey.length > 64) throw new RegistryError('INVALID_INPUT', 'PO number must be 1..64 characters');
  const totals = lines.map((l) => multiplyAmount(l.unitCost.amount, l.quantity));
  const to = order.shipTo;
  if (!/^[A-Z]{2}$/.test(to.country)) throw new RegistryError('INVALID_INPUT', 'shipTo.country must be ISO 3166-1 alpha-2');
  return {
    ...auth('1.0.0', c),
    PO: {
      orderType: 'Blank',
      orderNumber: order.idempotencyKey,
      orderDate: now.toISOString(),
      totalAmount: sumAmounts(totals),
      rush: false,
      currency,
      ShipmentArray: {
        Shipment: [
          {
            allowConsolidation: false,
            blindShip: true,
            packingListRequired: true,
            FreightDetails: { carrier: 'UPS', service: 'GROUND' },
            ShipTo: {
              customerPickup: false,
              ContactDetails: dropUndefined({
                attentionTo: checked('attentionTo', to.name),
                companyName: checked('companyName', to.company),
                address1: checked('address1', to.line1),
                address2: checked('address2', to.line2),
                city: checked('city', to.city),
                region: checked('region', to.region),
                postalCode: checked('postalCode', to.postalCode),
                country: to.country,
                email: checked('email', to.email),
                phone: checked('phone', to.phone),
              }),
              shipmentId: 1,
            },
          },
        ],
      },
      LineItemArray: {
        LineItem: lines.map((l, i) =>
          dropUndefined({
            lineNumber: l.lineNumber,
            description: l.description,
            lineType: 'New',
            Quantity: { uom: 'EA', value: l.quantity },
            ToleranceDetails: { tolerance: 'ExactOnly' },
            allowPartialShipments: true,
            unitPrice: l.unitCost.amount,
            lineItemTotal: totals[i]!,
            productId: l.productId ?? undefined,
            PartArray: { Part: [{ partId: l.supplierSku, customerSupplied: false, Quantity: { uom: 'EA', value: l.quantity } }] },
          }),
        ),
      },
      termsAndConditions: 'Dropship: ship blind to the end customer; no supplier branding or prices in the parcel.',
    },
  };
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
