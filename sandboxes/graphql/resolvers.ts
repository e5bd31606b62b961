/**
 * The executable maplecart schema: SDL from schema-sdl.ts, resolvers over the sandbox's world and order book.
 * Store records are the GraphQL sources; these resolvers only shape them the way Shopify does.
 */
import { buildSchema, getDirectiveValues, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { badRequest, connection, gid, parseGid, type PageArgs } from './connection.ts';
import {
  displayFulfillmentStatus,
  fulfillmentOrderStatus,
  type InventoryBehaviour,
  type OrderBook,
  type OrderCreateInput,
  type SandboxFulfillment,
  type SandboxLineItem,
  type SandboxOrder,
} from './orders.ts';
import { MAPLECART_SDL } from './schema-sdl.ts';
import { countTerms, fieldsOf, parseSearchQuery, SearchSyntaxError, matches, type SearchQuery } from './search-query.ts';
import { LOCATIONS, SHOP_CURRENCY, SHOP_DOMAIN, decimalFromCents, totalAvailable, type SandboxLevel, type SandboxVariant, type World } from './world.ts';

/**
 * Most terms of one field (e.g. `sku:`) a productVariants search may carry; more is refused, as Shopify caps
 * query complexity. Per field, so a 50-SKU batch may still be narrowed by `product_status:`.
 */
export const MAX_SEARCH_TERMS = 50;

export interface ResolverContext {
  readonly world: World;
  readonly orders: OrderBook;
  /** Set by the fault knobs: mutations answer with a userError instead of acting. */
  readonly rejectMutations: boolean;
  /** Filled by orderCreate so the server can report `extensions.idempotency`. */
  idempotency: { key: string; replayed: boolean } | null;
  /** Largest number of SKUs asked for in one productVariants search, for the stats. */
  onStockBatch(size: number): void;
}

type Resolver<S = never, A = Record<string, never>> = GraphQLFieldResolver<S, ResolverContext, A>;
type ResolverMap = Record<string, Record<string, Resolver<any, any>>>;

interface LevelSource {
  readonly variant: SandboxVariant;
  readonly level: SandboxLevel;
}

function search(query: string | null | undefined, fields: readonly string[]): SearchQuery {
  try {
    return parseSearchQuery(query ?? '', fields);
  } catch (error) {
    if (error instanceof SearchSyntaxError) throw badRequest(error.message);
    throw error;
  }
}

const money = (cents: number) => ({ amount: decimalFromCents(cents), currencyCode: SHOP_CURRENCY });
const location = (id: number) => ({ id: gid('Location', id), name: LOCATIONS.find((l) => l.id === id)?.name ?? 'Unknown' });
const displayName = (v: SandboxVariant): string => (v.title === 'Default Title' ? v.product.title : `${v.product.title} - ${v.title}`);
const metafield = (namespace: string, key: string, value: string) => ({ namespace, key, value, type: 'single_line_text_field' });

const QUANTITY_NAMES = new Set(['available', 'committed', 'on_hand', 'incoming', 'reserved']);

function quantity(level: SandboxLevel, name: string): number {
  if (name === 'available') return level.available;
  if (name === 'committed') return level.committed;
  if (name === 'on_hand') return level.available + level.committed;
  return 0;
}

const query: Record<string, Resolver<unknown, any>> = {
  shop: () => ({ id: gid('Shop', 60_100_200), name: 'maplecart', myshopifyDomain: SHOP_DOMAIN, currencyCode: SHOP_CURRENCY }),
  productVariants: (_s, args: PageArgs & { query?: string | null }, ctx) => {
    const q = search(args.query, ['sku', 'barcode', 'id', 'product_id', 'inventory_item_id', 'product_status']);
    for (const field of fieldsOf(q)) {
      const terms = countTerms(q, field);
      if (terms > MAX_SEARCH_TERMS) {
        throw badRequest(`Search query has ${terms} ${field} terms; at most ${MAX_SEARCH_TERMS} are allowed`, 'MAX_SEARCH_TERMS_EXCEEDED');
      }
    }
    const skus = countTerms(q, 'sku');
    if (skus > 0) ctx.onStockBatch(skus);
    const found = ctx.world.variants.filter((v) =>
      matches(
        q,
        (field) => {
          if (field === 'sku') return v.sku;
          if (field === 'barcode') return v.barcode;
          if (field === 'id') return String(v.id);
          if (field === 'product_id') return String(v.product.id);
          if (field === 'product_status') return v.product.status;
          return String(v.inventoryItemId);
        },
        { listFields: ['product_status'] },
      ),
    );
    return connection(found, args, (v) => v.id);
  },
  inventoryItem: (_s, args: { id: string }, ctx) => {
    const id = parseGid('InventoryItem', args.id);
    return id === undefined ? null : (ctx.world.byInventoryItemId(id) ?? null);
  },
  order: (_s, args: { id: string }, ctx) => {
    const id = parseGid('Order', args.id);
    return id === undefined ? null : (ctx.orders.get(id) ?? null);
  },
  orders: (_s, args: PageArgs & { query?: string | null }, ctx) => {
    const q = search(args.query, ['source_identifier', 'name', 'id']);
    const found = ctx.orders.all().filter((o) =>
      matches(q, (field) => (field === 'source_identifier' ? o.sourceIdentifier : field === 'name' ? o.name : String(o.id))),
    );
    return connection(found, args, (o) => o.id);
  },
};

const mutation: Record<string, Resolver<unknown, any>> = {
  orderCreate: (_s, args: { order: OrderCreateInput; options?: { inventoryBehaviour?: InventoryBehaviour | null } | null }, ctx, info) => {
    if (ctx.rejectMutations) return { order: null, userErrors: [{ field: null, message: 'Order rejected by maplecart (simulated)', code: 'INVALID' }] };
    const directive = info.schema.getDirective('idempotent')!;
    const key = (getDirectiveValues(directive, info.fieldNodes[0]!, info.variableValues)?.['key'] as string | undefined) ?? null;
    const result = ctx.orders.create(args.order, args.options?.inventoryBehaviour ?? 'BYPASS', key);
    if (key !== null && result.order) ctx.idempotency = { key, replayed: result.replayed };
    return { order: result.order, userErrors: result.userErrors };
  },
  orderCancel: (_s, args: { orderId: string; reason: string; restock: boolean }, ctx) => {
    const fail = (errors: { field: readonly string[] | null; message: string; code: string | null }[]) => ({
      job: null,
      orderCancelUserErrors: errors,
      userErrors: errors.map(({ field, message }) => ({ field, message })),
    });
    if (ctx.rejectMutations) return fail([{ field: null, message: 'Cancellation rejected by maplecart (simulated)', code: 'INVALID' }]);
    const id = parseGid('Order', args.orderId);
    const errors = id === undefined ? [{ field: ['orderId'], message: 'Order does not exist', code: 'NOT_FOUND' }] : ctx.orders.cancel(id, { reason: args.reason, restock: args.restock });
    if (errors.length > 0) return fail(errors);
    return { job: { id: gid('Job', crypto.randomUUID()), done: true }, orderCancelUserErrors: [], userErrors: [] };
  },
};

const productVariant: Record<string, Resolver<SandboxVariant, any>> = {
  id: (v) => gid('ProductVariant', v.id),
  displayName: (v) => displayName(v),
  price: (v) => decimalFromCents(v.priceCents),
  inventoryQuantity: (v) => totalAvailable(v),
  inventoryItem: (v) => v,
  image: (v) => (v.imageUrl === null ? null : { url: v.imageUrl, altText: displayName(v) }),
  metafield: (v, args: { namespace?: string; key: string }) =>
    args.namespace === 'mm-google-shopping' && args.key === 'mpn' ? metafield('mm-google-shopping', 'mpn', v.mpn) : null,
};

const inventoryItem: Record<string, Resolver<SandboxVariant, any>> = {
  id: (v) => gid('InventoryItem', v.inventoryItemId),
  tracked: () => true,
  unitCost: (v) => money(v.unitCostCents),
  variant: (v) => v,
  inventoryLevels: (v, args: PageArgs) =>
    connection(v.levels.map((level): LevelSource => ({ variant: v, level })), args, (s) => s.level.locationId),
};

const inventoryLevel: Record<string, Resolver<LevelSource, any>> = {
  id: (s) => gid('InventoryLevel', `${s.level.locationId}?inventory_item_id=${s.variant.inventoryItemId}`),
  location: (s) => location(s.level.locationId),
  item: (s) => s.variant,
  updatedAt: (s) => s.level.updatedAt,
  quantities: (s, args: { names: string[] }) => {
    const unknown = args.names.filter((n) => !QUANTITY_NAMES.has(n));
    if (unknown.length > 0) throw badRequest(`Invalid quantity names: ${unknown.join(', ')}`, 'INVALID');
    return args.names.map((name) => ({ name, quantity: quantity(s.level, name), updatedAt: s.level.updatedAt }));
  },
};

const product: Record<string, Resolver<SandboxVariant['product'], any>> = {
  id: (p) => gid('Product', p.id),
  featuredImage: (p) => (p.featuredImageUrl === null ? null : { url: p.featuredImageUrl, altText: p.title }),
  metafield: (p, args: { namespace?: string; key: string }) =>
    args.namespace === 'custom' && args.key === 'manufacturer' ? metafield('custom', 'manufacturer', p.manufacturer) : null,
};

const order: Record<string, Resolver<SandboxOrder, any>> = {
  id: (o) => gid('Order', o.id),
  closed: (o) => o.cancelledAt !== null || fulfillmentOrderStatus(o) === 'CLOSED',
  displayFulfillmentStatus: (o) => displayFulfillmentStatus(o),
  shippingAddress: (o) => {
    const a = o.shippingAddress as Record<string, string | null | undefined> | null;
    if (!a) return null;
    const name = [a['firstName'], a['lastName']].filter(Boolean).join(' ');
    return { ...a, name, countryCodeV2: a['countryCode'] ?? null };
  },
  lineItems: (o, args: PageArgs) => connection(o.lineItems, args, (l) => l.id),
  fulfillmentOrders: (o, args: PageArgs) => connection([o], args, (x) => x.fulfillmentOrder.id),
  fulfillments: (o, args: { first?: number | null }) => o.fulfillments.slice(0, args.first ?? o.fulfillments.length),
};

const lineItem: Record<string, Resolver<SandboxLineItem, any>> = {
  id: (l) => gid('LineItem', l.id),
  sku: (l) => l.variant.sku,
  title: (l) => displayName(l.variant),
  unfulfilledQuantity: (l) => Math.max(0, l.currentQuantity - l.fulfilled),
  variant: (l) => l.variant,
  originalUnitPriceSet: (l) => ({ shopMoney: money(l.variant.priceCents) }),
};

const fulfillmentOrder: Record<string, Resolver<SandboxOrder, any>> = {
  id: (o) => gid('FulfillmentOrder', o.fulfillmentOrder.id),
  status: (o) => fulfillmentOrderStatus(o),
  requestStatus: (o) => o.fulfillmentOrder.requestStatus,
  fulfillmentHolds: (o) => o.fulfillmentOrder.holds,
  assignedLocation: () => ({ name: LOCATIONS[0]!.name, location: location(LOCATIONS[0]!.id) }),
  updatedAt: (o) => o.fulfillmentOrder.updatedAt,
};

const fulfillment: Record<string, Resolver<SandboxFulfillment, any>> = {
  id: (f) => gid('Fulfillment', f.id),
  trackingInfo: (f, args: { first?: number | null }) => [f.tracking].slice(0, args.first ?? 1),
  fulfillmentLineItems: (f, args: PageArgs) =>
    connection(
      f.lines.map((l) => ({ id: gid('FulfillmentLineItem', l.id), quantity: l.quantity, lineItem: l.lineItem, key: l.id })),
      args,
      (l) => l.key,
    ),
};

const RESOLVERS: ResolverMap = {
  Query: query,
  Mutation: mutation,
  ProductVariant: productVariant,
  InventoryItem: inventoryItem,
  InventoryLevel: inventoryLevel,
  Product: product,
  Order: order,
  LineItem: lineItem,
  FulfillmentOrder: fulfillmentOrder,
  Fulfillment: fulfillment,
};

/** Builds the schema from SDL and attaches the resolvers above, failing loudly on a name that drifted. */
export function createMaplecartSchema(): GraphQLSchema {
  const schema = buildSchema(MAPLECART_SDL);
  for (const [typeName, fields] of Object.entries(RESOLVERS)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`maplecart schema has no object type ${typeName}`);
    const defs = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const def = defs[fieldName];
      if (!def) throw new Error(`maplecart schema has no field ${typeName}.${fieldName}`);
      def.resolve = resolve;
    }
  }
  return schema;
}
