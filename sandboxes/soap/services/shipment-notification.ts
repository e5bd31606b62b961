/** Order Shipment Notification 2.0.0: packages with carrier and tracking number, by PO (1) or sales order (2). */
import { WAREHOUSES } from '../catalog.ts';
import type { SandboxOrder } from '../orders.ts';
import { el } from '../xml.ts';
import { MSG, serviceMessages, text, type OperationSpec, type ServiceMessage, type ServiceSpec } from './common.ts';

export const OSN_NS = 'http://www.promostandards.org/WSDL/OrderShipmentNotificationService/2.0.0/';
export const OSN_SHARED_NS = 'http://www.promostandards.org/WSDL/OrderShipmentNotificationService/2.0.0/SharedObjects/';

const response = (content: string[]) =>
  el('r:GetOrderShipmentNotificationResponse', content, { 'xmlns:r': OSN_NS, 'xmlns:s': OSN_SHARED_NS });
// In this service the array is declared locally in the service namespace, its entries in SharedObjects.
const messagesOnly = (m: readonly ServiceMessage[]) => response([serviceMessages('r:ServiceMessageArray', 's', m)]);

const address = (qname: string, a: { address1: string; city: string; region: string; postalCode: string; country: string }) =>
  el(qname, [
    el('s:address1', a.address1.slice(0, 35)),
    el('s:city', a.city),
    el('s:region', a.region),
    el('s:postalCode', a.postalCode),
    el('s:country', a.country || 'US'),
  ]);

function notification(order: SandboxOrder): string {
  const inFull = order.lines.every((l) => l.shipped >= l.quantity);
  const from = WAREHOUSES[0]!;
  return el('r:OrderShipmentNotification', [
    el('s:purchaseOrderNumber', order.purchaseOrderNumber),
    el('r:purchaseOrderShippedInFull', inFull),
    el('r:SalesOrderArray', [
      el('r:SalesOrder', [
        el('s:salesOrderNumber', order.salesOrderNumber),
        el('r:salesOrderShippedInFull', inFull),
        el('r:ShipmentArray', [
          el('r:Shipment', [
            el('r:destinationShippedInFull', inFull),
            el('r:customerPickup', false),
            address('r:shipFromAddress', { address1: '4500 Harbor Logistics Way', city: 'Reno', region: 'NV', postalCode: from.postalCode, country: 'US' }),
            address('r:shipToAddress', order.shipTo),
            el('r:shipmentDestinationType', 'Residential'),
            el(
              'r:PackageArray',
              order.packages.map((pkg) =>
                el('r:Package', [
                  el('r:id', pkg.id),
                  el('s:trackingNumber', pkg.trackingNumber),
                  el('r:shipmentDate', pkg.shippedAt),
                  el('s:FreightDetails', [el('s:carrier', pkg.carrier), el('s:service', pkg.service)]),
                  el(
                    'r:ItemArray',
                    pkg.items.map((item) =>
                      el('r:Item', [
                        el('s:supplierProductId', item.productId),
                        el('s:supplierPartId', item.partId),
                        el('r:purchaseOrderLineNumber', item.lineNumber),
                        el('s:Quantity', [el('s:value', item.quantity), el('s:uom', 'EA')]),
                      ]),
                    ),
                  ),
                  el('r:preProductionProof', 'No'),
                ]),
              ),
            ),
          ]),
        ]),
      ]),
    ]),
  ]);
}

const getOrderShipmentNotification: OperationSpec = {
  name: 'getOrderShipmentNotification',
  messagesOnly,
  handle(request, state) {
    const queryType = text(request, OSN_SHARED_NS, 'queryType');
    const reference = text(request, OSN_SHARED_NS, 'referenceNumber');
    if (queryType !== '1' && queryType !== '2') return { body: messagesOnly([MSG.notSupported(`queryType ${queryType ?? ''}`)]) };
    if (!reference) return { body: messagesOnly([MSG.required('referenceNumber')]) };
    const order = queryType === '1' ? state.orders.byPo(reference) : state.orders.bySalesOrder(reference);
    if (!order) return { body: messagesOnly([MSG.referenceNotFound(reference)]) };
    if (order.packages.length === 0) return { body: messagesOnly([MSG.noResults]) };
    return { body: response([el('r:OrderShipmentNotificationArray', [notification(order)])]) };
  },
};

export const shipmentNotificationService: ServiceSpec = {
  key: 'shipmentNotification',
  defaultPath: '/osn/v2',
  schemaDir: 'promostandards/order-shipment-notification-2.0.0',
  wsdlFile: 'OrderShipmentNotificationService.wsdl',
  ns: OSN_NS,
  credentialNs: OSN_SHARED_NS,
  wsVersion: '2.0.0',
  operations: new Map([['GetOrderShipmentNotificationRequest', getOrderShipmentNotification]]),
};
