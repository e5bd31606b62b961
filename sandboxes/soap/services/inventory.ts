/** Inventory 2.0.0 getInventoryLevels: one productId per call, optionally filtered to some of its partIds. */
import { WAREHOUSES, splitStock } from '../catalog.ts';
import { childrenNamed, child, el } from '../xml.ts';
import { MSG, serviceMessages, text, type OperationSpec, type ServiceMessage, type ServiceSpec } from './common.ts';

export const INV_NS = 'http://www.promostandards.org/WSDL/Inventory/2.0.0/';
export const INV_SHARED_NS = 'http://www.promostandards.org/WSDL/Inventory/2.0.0/SharedObjects/';

const response = (content: string[]): string =>
  el('r:GetInventoryLevelsResponse', content, { 'xmlns:r': INV_NS, 'xmlns:s': INV_SHARED_NS });
const messagesOnly = (m: readonly ServiceMessage[]) => response([serviceMessages('s:ServiceMessageArray', 's', m)]);
/** Parts below this many units have a replenishment of RESTOCK_QUANTITY due in their lead time. */
const RESTOCK_BELOW = 10;
const RESTOCK_QUANTITY = 250;
const restockDate = (leadTimeDays: number): string => {
  const day = new Date(Date.now() + leadTimeDays * 86_400_000);
  day.setUTCHours(0, 0, 0, 0);
  return day.toISOString();
};

const quantity = (value: number) => el('s:Quantity', [el('s:uom', 'EA'), el('s:value', value)]);

const getInventoryLevels: OperationSpec = {
  name: 'getInventoryLevels',
  messagesOnly,
  handle(request, state) {
    const productId = text(request, INV_SHARED_NS, 'productId');
    if (!productId) return { body: messagesOnly([MSG.required('productId')]) };
    const parts = state.catalog.partsOfProduct(productId);
    if (parts.length === 0) return { body: messagesOnly([MSG.productNotFound(productId)]), stockBatch: 1 };
    const filter = child(child(request, INV_SHARED_NS, 'Filter'), INV_SHARED_NS, 'partIdArray');
    const wanted = filter ? childrenNamed(filter, INV_SHARED_NS, 'partId').map((n) => n.text) : null;
    const selected = wanted ? parts.filter((p) => wanted.includes(p.partId)) : parts;
    const missing = wanted ? wanted.filter((id) => !parts.some((p) => p.partId === id)) : [];
    const rows = selected.map((part) => {
      const total = state.stock.get(part.partId) ?? 0;
      const perWarehouse = splitStock(total);
      return el('s:PartInventory', [
        el('s:partId', part.partId),
        el('s:mainPart', true),
        el('s:partColor', part.product.color),
        el('s:labelSize', part.labelSize),
        el('s:partDescription', part.product.title),
        el('s:quantityAvailable', [quantity(total)]),
        el('s:manufacturedItem', false),
        el('s:buyToOrder', false),
        el('s:replenishmentLeadTime', part.leadTimeDays),
        el(
          's:InventoryLocationArray',
          WAREHOUSES.map((w, i) =>
            el('s:InventoryLocation', [
              el('s:inventoryLocationId', w.id),
              el('s:inventoryLocationName', w.name),
              el('s:postalCode', w.postalCode),
              el('s:country', 'US'),
              el('s:inventoryLocationQuantity', [quantity(perWarehouse[i]!)]),
              // A part that is low in its main warehouse has a replenishment on the way there.
              i === 0 && total < RESTOCK_BELOW
                ? el('s:FutureAvailabilityArray', [
                    el('s:FutureAvailability', [quantity(RESTOCK_QUANTITY), el('s:availableOn', restockDate(part.leadTimeDays))]),
                  ])
                : '',
            ]),
          ),
        ),
        el('s:lastModified', state.stockUpdatedAt.get(part.partId)),
      ]);
    });
    return {
      body: response([
        el('s:Inventory', [el('s:productId', productId), rows.length > 0 ? el('s:PartInventoryArray', rows) : '']),
        serviceMessages(
          's:ServiceMessageArray',
          's',
          missing.map((id) => ({ ...MSG.partNotFound(id), severity: 'Warning' as const })),
        ),
      ]),
      stockBatch: wanted ? wanted.length : parts.length,
    };
  },
};

export const inventoryService: ServiceSpec = {
  key: 'inventory',
  defaultPath: '/inventory/v2',
  schemaDir: 'promostandards/inventory-2.0.0',
  wsdlFile: 'InventoryService.wsdl',
  ns: INV_NS,
  credentialNs: INV_SHARED_NS,
  wsVersion: '2.0.0',
  operations: new Map([['GetInventoryLevelsRequest', getInventoryLevels]]),
};
