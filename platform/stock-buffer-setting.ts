import { z } from 'zod';
import { jsonSetting } from './json-setting.ts';

/**
 * `STOCK_BUFFER`: the safety buffer never sold, as JSON — `{ "default": 2, "bySupplier": { "harborpromo": 5 },
 * "byProduct": { "DS-00070000100007": 0 } }`; the most specific wins (product, supplier, default). Documented in
 * docs/configuration.md and docs/inventory.md.
 */
const units = z.number().int().min(0).max(1_000_000);

const buffer = z
  .object({
    default: units.optional(),
    bySupplier: z.record(z.string(), units).optional(),
    byProduct: z.record(z.string(), units).optional(),
  })
  .strict();

export type StockBufferSetting = z.infer<typeof buffer>;

export const stockBufferSetting = jsonSetting(buffer, {} as StockBufferSetting, (v): StockBufferSetting => v);
