import { z } from 'zod';

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

export const stockBufferSetting = z
  .string()
  .optional()
  .transform((raw, ctx): StockBufferSetting => {
    if (raw === undefined || raw.trim() === '') return {};
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
    const parsed = buffer.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(root)'}: ${issue.message}` });
      return z.NEVER;
    }
    return parsed.data;
  });
