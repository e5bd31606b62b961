/**
 * `/__sandbox/*` routes, so tests and tools in another process can drive the sandbox exactly as the in-process
 * handle does. They are exempt from faults (a sandbox that is "down" must still be told to come back up).
 */
import { z } from 'zod';
import { apiError, type JsonAnswer } from './http.ts';
import type { RestSandbox } from './server.ts';

const Faults = z
  .object({
    latencyMs: z.number().min(0),
    answerDelayMs: z.number().min(0),
    errorRate: z.number().min(0).max(1),
    throttle: z.object({ count: z.number().int().min(0), retryAfterSeconds: z.number().min(0) }).nullable(),
    down: z.boolean(),
    malformedRate: z.number().min(0).max(1),
    rejectRate: z.number().min(0).max(1),
  })
  .partial()
  .strict();
const StockChange = z.object({ sku: z.string(), available: z.number().int().min(0) });
const PriceChange = z.object({ sku: z.string(), unitPrice: z.string().regex(/^\d{1,6}(\.\d{1,4})?$/) });
const Advance = z.object({
  orderId: z.string(),
  to: z.enum(['accepted', 'partially_shipped', 'shipped', 'delivered', 'backordered', 'on_hold', 'rejected']),
});

function parse<T>(schema: z.ZodType<T>, rawBody: string): { ok: true; value: T } | { ok: false; answer: JsonAnswer } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody || '{}');
  } catch {
    return { ok: false, answer: apiError(400, 'INVALID_JSON', 'Body is not JSON') };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, answer: apiError(400, 'INVALID_REQUEST', z.prettifyError(parsed.error)) };
}

export function handleControl(sandbox: RestSandbox, method: string, pathname: string, rawBody: string): JsonAnswer {
  const route = `${method} ${pathname.replace(/^\/__sandbox/, '')}`;
  switch (route) {
    case 'POST /faults': {
      const knobs = parse(Faults, rawBody);
      if (!knobs.ok) return knobs.answer;
      sandbox.setFaults(knobs.value);
      return { status: 204 };
    }
    case 'POST /reset-faults':
      sandbox.resetFaults();
      return { status: 204 };
    case 'GET /stats':
      return { status: 200, body: sandbox.stats() };
    case 'POST /reset-stats':
      sandbox.resetStats();
      return { status: 204 };
    case 'GET /orders':
      return { status: 200, body: sandbox.orders() };
    case 'GET /stock':
      return { status: 200, body: sandbox.supplierSkus().map((sku) => ({ sku, available: sandbox.stockOf(sku) })) };
    case 'POST /drift':
    case 'POST /stock': {
      const change = parse(StockChange, rawBody);
      if (!change.ok) return change.answer;
      if (sandbox.stockOf(change.value.sku) === undefined) return apiError(404, 'UNKNOWN_ITEM', `No item ${change.value.sku}`);
      // drift changes stock silently; stock changes it and sends the inventory webhook.
      if (route === 'POST /drift') sandbox.driftStock(change.value.sku, change.value.available);
      else sandbox.setStock(change.value.sku, change.value.available);
      return { status: 204 };
    }
    case 'POST /price': {
      // A price change, as the supplier's own price list moves: silent, seen at the next availability read.
      const change = parse(PriceChange, rawBody);
      if (!change.ok) return change.answer;
      if (sandbox.stockOf(change.value.sku) === undefined) return apiError(404, 'UNKNOWN_ITEM', `No item ${change.value.sku}`);
      const [whole, fraction = ''] = change.value.unitPrice.split('.');
      sandbox.setListPrice(change.value.sku, Number(whole) * 10_000 + Number(fraction.padEnd(4, '0')));
      return { status: 204 };
    }
    case 'POST /advance': {
      const advance = parse(Advance, rawBody);
      if (!advance.ok) return advance.answer;
      try {
        sandbox.advanceOrder(advance.value.orderId, advance.value.to);
      } catch (error) {
        return apiError(409, 'CANNOT_ADVANCE', error instanceof Error ? error.message : String(error));
      }
      return { status: 204 };
    }
    default:
      return apiError(404, 'NOT_FOUND', `No control route ${route}`);
  }
}
