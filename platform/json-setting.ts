import { z } from 'zod';

/** Parses a JSON setting with `shape`, reporting paths and messages only (never the value). */
export function jsonSetting<S extends z.ZodTypeAny, T>(shape: S, empty: T, map: (v: z.output<S>) => T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      if (raw === undefined || raw.trim() === '') return empty;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
      const parsed = shape.safeParse(json);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(root)'}: ${issue.message}` });
        return z.NEVER;
      }
      return map(parsed.data);
    });
}
