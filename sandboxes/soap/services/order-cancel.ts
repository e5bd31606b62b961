/**
 * harborpromo Order Cancel 1.0.0: the supplier's own, non-PromoStandards service (schema/harborpromo/), because
 * none of the PromoStandards services can cancel. Orders not yet in production are canceled at once; later ones
 * are refused with code 310, which harborpromo documents as "order can no longer be canceled".
 */
import { el } from '../xml.ts';
import { MSG, serviceMessages, text, type OperationSpec, type ServiceMessage, type ServiceSpec } from './common.ts';

export const CANCEL_NS = 'http://www.harborpromo.example/WSDL/OrderCancel/1.0.0/';
export const NOT_CANCELLABLE_CODE = 310;

const response = (content: string[]) => el('c:CancelOrderResponse', content, { 'xmlns:c': CANCEL_NS });
const messagesOnly = (m: readonly ServiceMessage[]) => response([serviceMessages('c:ServiceMessageArray', 'c', m)]);

const cancelOrder: OperationSpec = {
  name: 'cancelOrder',
  messagesOnly,
  handle(request, state) {
    const po = text(request, CANCEL_NS, 'purchaseOrderNumber');
    if (!po) return { body: messagesOnly([MSG.required('purchaseOrderNumber')]) };
    const order = state.orders.byPo(po);
    if (!order) return { body: messagesOnly([MSG.referenceNotFound(po)]) };
    const outcome = state.orders.cancel(order);
    if (outcome === 'too-late') {
      return {
        body: messagesOnly([{ code: NOT_CANCELLABLE_CODE, description: `Order ${po} is ${order.status} and can no longer be canceled`, severity: 'Error' }]),
      };
    }
    return { body: response([el('c:purchaseOrderNumber', po), el('c:status', 'canceled')]) };
  },
};

export const orderCancelService: ServiceSpec = {
  key: 'orderCancel',
  defaultPath: '/order-cancel/v1',
  schemaDir: 'harborpromo/order-cancel-1.0.0',
  wsdlFile: 'OrderCancelService.wsdl',
  ns: CANCEL_NS,
  credentialNs: CANCEL_NS,
  wsVersion: '1.0.0',
  operations: new Map([['CancelOrderRequest', cancelOrder]]),
};
