/** How Brightline renders its records on the wire (JSON shapes of the v1 API and of webhook payloads). */
import { formatPrice4, type BrightlineItem, type Inventory } from './inventory.ts';
import type { OrderRecord } from './orders.ts';

export function availabilityOf(inventory: Inventory, item: BrightlineItem) {
  return {
    partNumber: item.itemNumber,
    manufacturerPartNumber: item.product.mpn,
    manufacturer: item.product.manufacturer,
    status: inventory.status(item),
    // Per warehouse only, as distributors report it: there is deliberately no total field.
    warehouses: [...item.stock].map(([code, quantityAvailable]) => ({ warehouseCode: code, quantityAvailable })),
    pricing: {
      currency: 'USD',
      breaks: item.tiers.map((t) => ({ minQuantity: t.minQuantity, unitPrice: formatPrice4(t.unitPrice4) })),
    },
    factoryLeadTimeWeeks: item.factoryLeadTimeWeeks,
    lastUpdated: item.updatedAt,
  };
}

/** Universe products of one manufacturer and category form a style (as at the other suppliers, under Brightline's own numbers). */
const styleNumberOf = (item: BrightlineItem): string => `BLS-${String(item.product.index % 64).padStart(3, '0')}`;

export function catalogEntryOf(item: BrightlineItem) {
  const p = item.product;
  return {
    itemNumber: item.itemNumber,
    title: p.title,
    description: `${p.brand} ${p.category.toLowerCase()} in ${p.color}${p.size === 'OS' ? ', one size' : `, size ${p.size}`}. Manufacturer part ${p.mpn}.`,
    manufacturer: p.manufacturer,
    brand: p.brand,
    manufacturerPartNumber: p.mpn,
    upc: item.upc,
    category: p.category,
    // Brightline sells single pens as items of their own; everything else is a variant of a style.
    style:
      p.category === 'Pen'
        ? null
        : {
            styleNumber: styleNumberOf(item),
            name: `${p.brand} ${p.category}`,
            images: [{ url: `https://img.brightline.example/styles/${styleNumberOf(item)}.jpg`, altText: `${p.brand} ${p.category}` }],
          },
    attributes: [{ name: 'color', value: p.color }, ...(p.size === 'OS' ? [] : [{ name: 'size', value: p.size }])],
    // Every third item has no photo of its own yet.
    images: p.index % 3 === 2 ? [] : [{ url: `https://img.brightline.example/items/${item.itemNumber}.jpg`, altText: p.title }],
    lifecycle: item.lifecycle,
    minimumOrderQuantity: 1,
  };
}

/** Orders as the API returns them (a deep copy, so callers cannot reach into the book). */
export function orderOf(order: OrderRecord) {
  return structuredClone({
    orderId: order.orderId,
    customerOrderNumber: order.customerOrderNumber,
    status: order.status,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    shippingMethod: order.shippingMethod,
    shipTo: order.shipTo,
    lines: order.lines,
    shipments: order.shipments,
  });
}
