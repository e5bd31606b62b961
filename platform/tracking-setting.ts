import { z } from 'zod';
import { jsonSetting } from './json-setting.ts';

/**
 * `ORDER_TRACKING`: the order tracking loop's schedule (subgraphs/orders/tracking-loop.ts; docs/orders.md, "Tracking
 * at scale"), as JSON; every key optional over the loop's defaults. The documented tracking bound follows from these.
 */
const ms = z.number().int().min(100).max(7 * 86_400_000);
const shape = z
  .object({
    minIntervalMs: ms,
    maxIntervalMs: ms,
    ageDivisor: z.number().min(1).max(1_000),
    webhookMinIntervalMs: ms,
    webhookMaxIntervalMs: ms,
    pageSize: z.number().int().min(1).max(500),
    pagesPerCycle: z.number().int().min(1).max(100),
    walkIntervalMs: z.number().int().min(0).max(86_400_000),
    cycleBudgetMs: z.number().int().min(100).max(600_000),
  })
  .partial()
  .strict()
  .refine((s) => (s.minIntervalMs ?? 10_000) <= (s.maxIntervalMs ?? 600_000), { message: 'minIntervalMs must not exceed maxIntervalMs (defaults 10000 and 600000)' })
  .refine((s) => (s.webhookMinIntervalMs ?? 600_000) <= (s.webhookMaxIntervalMs ?? 3_600_000), { message: 'webhookMinIntervalMs must not exceed webhookMaxIntervalMs (defaults 600000 and 3600000)' });

export type OrderTrackingSetting = Readonly<Partial<Record<keyof z.output<typeof shape>, number>>>;

export const orderTrackingSetting = jsonSetting(shape, {} as OrderTrackingSetting, (v): OrderTrackingSetting =>
  Object.freeze(Object.fromEntries(Object.entries(v).filter(([, value]) => value !== undefined)) as OrderTrackingSetting),
);
