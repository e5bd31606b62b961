/**
 * Purchase Order 1.0.0 sendPO. The PO number is the supplier's natural idempotency key: a PO number it has
 * already received is not entered again. By default the repeat is answered as most suppliers do — an Error
 * ServiceMessage (code 300) and no transactionId, so a client that took it for a refusal would lose track of an
 * order the supplier holds; the option `duplicatePo: information` gives harborpromo's old answer instead (the
 * original transactionId plus an Information message, code 210). See OrderBook.duplicatePo.
 */
import { child, childrenNamed, el } from '../xml.ts';
import { MSG, serviceMessages, text, type OperationSpec, type ServiceMessage, type ServiceSpec } from './common.ts';

export const PO_NS = 'http://www.promostandards.org/WSDL/PO/1.0.0/';
export const PO_SHARED_NS = 'http://www.promostandards.org/WSDL/PO/1.0.0/SharedObjects/';
/** harborpromo's old Information code for a repeated PO (the `information` option). */
export const DUPLICATE_PO_CODE = 210;

const response = (content: string[]) => el('r:SendPOResponse', content, { 'xmlns:r': PO_NS, 'xmlns:s': PO_SHARED_NS });
const messagesOnly = (m: readonly ServiceMessage[]) => response([serviceMessages('s:ServiceMessageArray', 's', m)]);

const sendPO: OperationSpec = {
  name: 'sendPO',
  messagesOnly,
  handle(request, state) {
    const po = child(request, PO_NS, 'PO');
    const orderNumber = po && text(po, PO_NS, 'orderNumber');
    if (!po || !orderNumber) return { body: messagesOnly([MSG.required('PO.orderNumber')]) };
    const existing = state.orders.byPo(orderNumber);
    if (existing) {
      const { severity, code } = state.orders.duplicatePo;
      if (severity === 'Error') return { body: messagesOnly([{ code, description: `Duplicate purchase order number: ${orderNumber} was already submitted`, severity }]) };
      return {
        body: response([
          el('r:transactionId', existing.transactionId),
          serviceMessages('s:ServiceMessageArray', 's', [{ code, description: `Purchase order ${orderNumber} was already received; transactionId unchanged`, severity }]),
        ]),
      };
    }
    const lines: { lineNumber: number; productId: string; partId: string; quantity: number }[] = [];
    const problems: ServiceMessage[] = [];
    for (const item of childrenNamed(child(po, PO_NS, 'LineItemArray'), PO_NS, 'LineItem')) {
      const lineNumber = Number(text(item, PO_NS, 'lineNumber'));
      for (const part of childrenNamed(child(item, PO_NS, 'PartArray'), PO_SHARED_NS, 'Part')) {
        const partId = text(part, PO_SHARED_NS, 'partId') ?? '';
        const quantity = Number(text(child(part, PO_SHARED_NS, 'Quantity')!, PO_SHARED_NS, 'value'));
        const known = state.catalog.partById(partId);
        if (!known) problems.push(MSG.partNotFound(partId));
        else if (!Number.isInteger(quantity) || quantity <= 0) problems.push(MSG.validation(`quantity of line ${lineNumber}`));
        else lines.push({ lineNumber, productId: known.productId, partId, quantity });
      }
    }
    if (lines.length === 0 && problems.length === 0) problems.push(MSG.required('LineItemArray.LineItem.PartArray'));
    if (problems.length > 0) return { body: messagesOnly(problems) };
    const shipment = child(child(po, PO_NS, 'ShipmentArray'), PO_SHARED_NS, 'Shipment');
    const contact = child(child(shipment, PO_SHARED_NS, 'ShipTo'), PO_SHARED_NS, 'ContactDetails');
    const field = (name: string) => (contact && text(contact, PO_SHARED_NS, name)) ?? '';
    // Stock is allocated at receipt; only the lines it cannot cover go on backOrderHold.
    const received = lines.map((line) => {
      const onHand = state.stock.get(line.partId) ?? 0;
      state.stock.set(line.partId, Math.max(0, onHand - line.quantity));
      state.stockUpdatedAt.set(line.partId, new Date().toISOString());
      return { ...line, short: line.quantity > onHand };
    });
    const order = state.orders.create({
      purchaseOrderNumber: orderNumber,
      lines: received,
      backordered: received.some((l) => l.short),
      shipTo: {
        attentionTo: field('attentionTo'),
        address1: field('address1'),
        city: field('city'),
        region: field('region'),
        postalCode: field('postalCode'),
        country: field('country'),
      },
    });
    return { body: response([el('r:transactionId', order.transactionId)]) };
  },
};

export const purchaseOrderService: ServiceSpec = {
  key: 'purchaseOrder',
  defaultPath: '/po/v1',
  schemaDir: 'promostandards/purchase-order-1.0.0',
  wsdlFile: 'POService.wsdl',
  ns: PO_NS,
  credentialNs: PO_SHARED_NS,
  wsVersion: '1.0.0',
  operations: new Map([['SendPORequest', sendPO]]),
};
