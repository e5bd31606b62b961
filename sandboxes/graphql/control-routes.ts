/** The /__sandbox/ routes, for tests that drive the sandbox from another process. They ignore fault knobs. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultKnobs } from '../shared/faults.ts';
import type { GraphqlSandbox } from './index.ts';

type Control = Pick<
  GraphqlSandbox,
  | 'setFaults'
  | 'resetFaults'
  | 'stats'
  | 'resetStats'
  | 'driftStock'
  | 'setStock'
  | 'setUnitCost'
  | 'orders'
  | 'advanceOrder'
  | 'drainCostBucket'
  | 'supplierSkus'
  | 'stockOf'
>;

const ADVANCE_TARGETS = ['accepted', 'partially_shipped', 'shipped', 'delivered', 'backordered', 'on_hold', 'rejected'] as const;

function send(res: ServerResponse, status: number, value?: unknown): void {
  if (value === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

function body(raw: string): Record<string, unknown> {
  const parsed: unknown = raw.length === 0 ? {} : JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
  return parsed as Record<string, unknown>;
}

// The REST sandbox names these `sku` / `orderId`, the SOAP one `supplierSku` / `supplierOrderId`: take either.
const stockArgs = (b: Record<string, unknown>): [string, number] => {
  const sku = b['sku'] ?? b['supplierSku'];
  if (typeof sku !== 'string' || !Number.isInteger(b['available'])) throw new Error('expected { sku: string, available: integer }');
  return [sku, b['available'] as number];
};

export function handleControl(control: Control, req: IncomingMessage, res: ServerResponse, raw: string): void {
  const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
  try {
    switch (route) {
      case 'POST /__sandbox/faults':
        control.setFaults(body(raw) as Partial<FaultKnobs>);
        return send(res, 204);
      case 'POST /__sandbox/reset-faults':
        control.resetFaults();
        return send(res, 204);
      case 'GET /__sandbox/stats':
        return send(res, 200, control.stats());
      case 'POST /__sandbox/reset-stats':
        control.resetStats();
        return send(res, 204);
      case 'POST /__sandbox/drift':
        control.driftStock(...stockArgs(body(raw)));
        return send(res, 204);
      case 'POST /__sandbox/stock':
        control.setStock(...stockArgs(body(raw)));
        return send(res, 204);
      case 'POST /__sandbox/cost': {
        const b = body(raw);
        const sku = b['sku'] ?? b['supplierSku'];
        if (typeof sku !== 'string' || !Number.isInteger(b['unitCostCents'])) throw new Error('expected { sku: string, unitCostCents: integer }');
        control.setUnitCost(sku, b['unitCostCents'] as number);
        return send(res, 204);
      }
      case 'POST /__sandbox/advance': {
        const b = body(raw);
        const orderId = b['orderId'] ?? b['supplierOrderId'];
        const to = ADVANCE_TARGETS.find((t) => t === b['to']);
        if (typeof orderId !== 'string' || !to) throw new Error(`expected { orderId: string, to: ${ADVANCE_TARGETS.join('|')} }`);
        control.advanceOrder(orderId, to);
        return send(res, 204);
      }
      case 'POST /__sandbox/drain-cost': {
        const points = body(raw)['points'];
        if (typeof points !== 'number') throw new Error('expected { points: number }');
        control.drainCostBucket(points);
        return send(res, 204);
      }
      case 'GET /__sandbox/stock':
        return send(res, 200, control.supplierSkus().map((sku) => ({ sku, available: control.stockOf(sku) })));
      case 'GET /__sandbox/orders':
        return send(res, 200, control.orders());
      default:
        return send(res, 404, { error: `no sandbox route ${route}` });
    }
  } catch (error) {
    send(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}
