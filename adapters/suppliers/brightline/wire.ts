/**
 * Brightline's JSON shapes as our connector expects them (zod). Written from Brightline's API description,
 * never from the sandbox code. Status words are closed enums on purpose: a word we have not mapped is a
 * contract change we want to hear about (CONTRACT_VIOLATION), not a guess.
 */
import { z } from 'zod';

const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');
/** Prices come as decimal strings; a JSON number is tolerated and normalised by the mapping, never summed. */
const Price = z.union([z.string(), z.number()]);
const Count = z.number().int();
const NonNegative = z.number().int().nonnegative();

export const STOCK_STATUSES = ['IN_STOCK', 'LIMITED_STOCK', 'BACKORDER', 'OUT_OF_STOCK', 'END_OF_LIFE'] as const;
export const ORDER_STATUSES = ['OPEN', 'PROCESSING', 'BACKORDERED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'ON_HOLD', 'CANCELLED', 'REJECTED'] as const;

export const AvailabilityResult = z.object({
  partNumber: z.string().min(1),
  manufacturerPartNumber: z.string().nullish(),
  manufacturer: z.string().nullish(),
  status: z.enum(STOCK_STATUSES),
  warehouses: z.array(z.object({ warehouseCode: z.string(), quantityAvailable: Count })),
  pricing: z
    .object({
      currency: z.string().regex(/^[A-Z]{3}$/),
      breaks: z.array(z.object({ minQuantity: z.number().int().positive(), unitPrice: Price })),
    })
    .nullish(),
  factoryLeadTimeWeeks: z.number().nonnegative().nullish(),
  lastUpdated: Timestamp.nullish(),
});
export type AvailabilityResult = z.infer<typeof AvailabilityResult>;

export const AvailabilityResponse = z.object({
  timestamp: Timestamp,
  results: z.array(AvailabilityResult),
  notFound: z.array(z.string()).default([]),
});
export type AvailabilityResponse = z.infer<typeof AvailabilityResponse>;

export const CatalogEntry = z.object({
  itemNumber: z.string().min(1),
  title: z.string().min(1),
  description: z.string().nullish(),
  manufacturer: z.string().nullish(),
  brand: z.string().nullish(),
  manufacturerPartNumber: z.string().nullish(),
  upc: z.string().nullish(),
  category: z.string().nullish(),
  style: z
    .object({
      styleNumber: z.string().min(1),
      name: z.string().min(1),
      images: z.array(z.object({ url: z.string(), altText: z.string().nullish() })).nullish(),
    })
    .nullish(),
  attributes: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  images: z.array(z.object({ url: z.string(), altText: z.string().nullish() })).nullish(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const CatalogResponse = z.object({
  items: z.array(CatalogEntry),
  nextPageToken: z.string().nullish(),
});
export type CatalogResponse = z.infer<typeof CatalogResponse>;

export const Order = z.object({
  orderId: z.string().min(1),
  customerOrderNumber: z.string(),
  status: z.enum(ORDER_STATUSES),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  lines: z.array(
    z.object({
      lineNumber: z.number().int(),
      itemNumber: z.string(),
      quantityOrdered: NonNegative,
      quantityShipped: NonNegative,
      quantityBackordered: NonNegative,
      quantityCancelled: NonNegative.default(0),
    }),
  ),
  shipments: z
    .array(
      z.object({
        carrier: z.string().min(1),
        trackingNumber: z.string().min(1),
        shippedAt: Timestamp.nullish(),
        lines: z.array(z.object({ itemNumber: z.string(), quantity: NonNegative })),
      }),
    )
    .default([]),
});
export type Order = z.infer<typeof Order>;

export const Health = z.object({ status: z.string() });

/** Body of POST /v1/orders. */
export interface OrderRequest {
  readonly customerOrderNumber: string;
  readonly shippingMethod: 'GROUND';
  readonly shipTo: {
    readonly name: string;
    readonly company: string | null;
    readonly address1: string;
    readonly address2: string | null;
    readonly city: string;
    readonly state: string | null;
    readonly postalCode: string;
    readonly country: string;
    readonly phone: string | null;
    readonly email: string | null;
  };
  readonly lines: readonly { readonly lineNumber: number; readonly itemNumber: string; readonly quantity: number }[];
}

/**
 * Brightline's error envelope is `{ error: { code, message } }`; its OAuth endpoint uses RFC 6749's
 * `{ error, error_description }`. Both are read so every error names the supplier's own code.
 */
export function readBrightlineError(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string') {
    const description = (body as { error_description?: unknown }).error_description;
    return { code: error, ...(typeof description === 'string' ? { message: description } : {}) };
  }
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) };
  }
  return {};
}
