import { z } from 'zod';

/**
 * `SUPPLIER_LIMITS`: per-deployment overrides of the suppliers' published limits (stack/supplier-limits.ts), as
 * JSON keyed by supplier slug. A deployment on a different plan, or a test that needs a window of seconds rather
 * than a minute, sets only what differs; the bundled sandboxes enforce the same limits. Documented in
 * docs/configuration.md.
 */
const requestLimit = z
  .object({
    limit: z.number().int().min(1),
    perSeconds: z.number().positive().max(86_400),
    burst: z.number().int().min(1).optional(),
    safety: z.number().gt(0).lt(1).optional(),
  })
  .strict()
  .refine((l) => (l.burst ?? 1) <= l.limit, { message: 'burst must not exceed limit' });

const override = z
  .object({
    /** Requests per window per account (REST and SOAP sandboxes enforce it). */
    requests: requestLimit.optional(),
    /** A Shopify-style cost bucket (the GraphQL sandbox enforces it). */
    cost: z.object({ maximumAvailable: z.number().int().positive(), restoreRate: z.number().positive() }).strict().optional(),
    /** Calls in flight at once from one process. */
    maxConcurrent: z.number().int().min(1).max(256).optional(),
    /**
     * Guaranteed share of the supplier's budget per lane (docs/traffic-control.md, "Lanes"), over the defaults
     * { order: 0.2, interactive: 0.35, tracking: 0.15, sync: 0.3 }; the shares in effect may sum to at most 1.
     */
    lanes: z
      .object({ order: z.number().min(0).max(1), interactive: z.number().min(0).max(1), tracking: z.number().min(0).max(1), sync: z.number().min(0).max(1) })
      .partial()
      .strict()
      .refine((l) => Object.values({ order: 0.2, interactive: 0.35, tracking: 0.15, sync: 0.3, ...l }).reduce((a, b) => a + b, 0) <= 1 + 1e-9, {
        message: 'lane shares (with the defaults for lanes not given) sum to more than 1',
      })
      .optional(),
  })
  .strict();

export type SupplierLimitOverride = z.infer<typeof override>;

export const supplierLimitsSetting = z
  .string()
  .optional()
  .transform((raw, ctx): unknown => {
    if (raw === undefined || raw.trim() === '') return {};
    try {
      return JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a supplier slug'), override));
