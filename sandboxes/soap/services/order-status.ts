/** Order Status 2.0.0 getOrderStatus (by PO, sales order or transactionId; allOpen) and getServiceMethods. */
import type { OrderLine, SandboxOrder } from '../orders.ts';
import { el } from '../xml.ts';
import { MSG, serviceMessages, text, type OperationSpec, type SandboxState, type ServiceMessage, type ServiceSpec } from './common.ts';

export const OS_NS = 'http://www.promostandards.org/WSDL/OrderStatus/2.0.0/';
export const OS_SHARED_NS = 'http://www.promostandards.org/WSDL/OrderStatus/2.0.0/SharedObjects/';

const root = (name: string, content: string[]) => el(`r:${name}`, content, { 'xmlns:r': OS_NS, 'xmlns:s': OS_SHARED_NS });
const statusMessages = (m: readonly ServiceMessage[]) => root('GetOrderStatusResponse', [serviceMessages('s:ServiceMessageArray', 's', m)]);
const quantity = (qname: string, value: number) => el(qname, [el('s:value', value), el('s:uom', 'EA')]);

function find(state: SandboxState, queryType: string, reference: string): SandboxOrder | undefined {
  if (queryType === 'poSearch') return state.orders.byPo(reference);
  if (queryType === 'soSearch') return state.orders.bySalesOrder(reference);
  return state.orders.byTransactionId(reference);
}

/** A backorder hold names the lines short at receipt (all lines when the hold came later); other holds are the order's. */
function lineIssue(order: SandboxOrder, line: OrderLine): string | null {
  if (order.issueCategory !== 'backOrderHold') return order.issueCategory;
  return line.short === true || !order.lines.some((l) => l.short === true) ? 'backOrderHold' : null;
}

/** Each line by its own shipments: shipped in full, partly, or not yet while others have shipped. */
function lineStatus(order: SandboxOrder, line: OrderLine): string {
  if (order.status === 'canceled') return 'canceled';
  if (line.shipped >= line.quantity) return order.status === 'complete' ? 'complete' : 'shipped';
  if (line.shipped > 0) return 'partiallyShipped';
  return order.status === 'partiallyShipped' || order.status === 'shipped' || order.status === 'complete' ? 'confirmed' : order.status;
}

function detail(order: SandboxOrder, withProducts: boolean): string {
  return el('s:OrderStatusDetail', [
    el('s:salesOrderNumber', order.salesOrderNumber),
    el('s:status', order.status),
    el('s:issueCategory', order.issueCategory),
    el('s:additionalExplanation', order.explanation),
    withProducts
      ? el(
          's:ProductArray',
          order.lines.map((line) =>
            el('s:Product', [
              el('s:productId', line.productId),
              el('s:partId', line.partId),
              el('s:salesOrderLineNumber', String(line.lineNumber)),
              el('s:purchaseOrderLineNumber', String(line.lineNumber)),
              quantity('s:QuantityOrdered', line.quantity),
              quantity('s:QuantityShipped', line.shipped),
              el('s:issueCategory', lineIssue(order, line)),
              el('s:status', lineStatus(order, line)),
            ]),
          ),
        )
      : '',
    el('s:validTimestamp', order.updatedAt),
  ]);
}

const statusOf = (order: SandboxOrder, withProducts: boolean): string =>
  el('s:OrderStatus', [el('s:purchaseOrderNumber', order.purchaseOrderNumber), el('s:OrderStatusDetailArray', [detail(order, withProducts)])]);

/** queryType allOpen: every order not complete or canceled, in one answer (160 when there is none). */
function allOpen(state: SandboxState, withProducts: boolean): { body: string } {
  const open = state.orders.all().filter((o) => o.status !== 'complete' && o.status !== 'canceled');
  if (open.length === 0) return { body: statusMessages([MSG.noResults]) };
  return { body: root('GetOrderStatusResponse', [el('s:OrderStatusArray', open.map((o) => statusOf(o, withProducts)))]) };
}

const getOrderStatus: OperationSpec = {
  name: 'getOrderStatus',
  messagesOnly: statusMessages,
  handle(request, state) {
    const queryType = text(request, OS_SHARED_NS, 'queryType');
    const reference = text(request, OS_SHARED_NS, 'referenceNumber');
    if (!queryType) return { body: statusMessages([MSG.required('queryType')]) };
    if (queryType === 'allOpen') return allOpen(state, text(request, OS_SHARED_NS, 'returnProductDetail') === 'true');
    if (!['poSearch', 'soSearch', 'transactionId'].includes(queryType)) return { body: statusMessages([MSG.notSupported(`queryType ${queryType}`)]) };
    if (!reference) return { body: statusMessages([MSG.required('referenceNumber')]) };
    const order = find(state, queryType, reference);
    if (!order) return { body: statusMessages([MSG.referenceNotFound(reference)]) };
    const withProducts = text(request, OS_SHARED_NS, 'returnProductDetail') === 'true';
    return {
      body: root('GetOrderStatusResponse', [
        el('s:OrderStatusArray', [statusOf(order, withProducts)]),
      ]),
    };
  },
};

const methodsMessages = (m: readonly ServiceMessage[]) => root('GetServiceMethodsResponse', [serviceMessages('s:ServiceMessageArray', 's', m)]);

const getServiceMethods: OperationSpec = {
  name: 'getServiceMethods',
  messagesOnly: methodsMessages,
  handle: () => ({
    body: root('GetServiceMethodsResponse', [
      el('s:ServiceMethodArray', ['getOrderStatus', 'getServiceMethods'].map((m) => el('s:serviceMethod', m))),
    ]),
  }),
};

export const orderStatusService: ServiceSpec = {
  key: 'orderStatus',
  defaultPath: '/order-status/v2',
  schemaDir: 'promostandards/order-status-2.0.0',
  wsdlFile: 'OrderStatusServiceV2.wsdl',
  ns: OS_NS,
  credentialNs: OS_SHARED_NS,
  wsVersion: '2.0.0',
  operations: new Map([
    ['GetOrderStatusRequest', getOrderStatus],
    ['GetServiceMethodsRequest', getServiceMethods],
  ]),
};
