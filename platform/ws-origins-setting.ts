import { z } from 'zod';

/**
 * WS_ALLOWED_ORIGINS: comma-separated browser origins allowed to open live subscriptions (`https://app.example.com`,
 * scheme and host and an optional port, nothing else), or `*`. Empty: no browser page may (non-browser clients send
 * no Origin and are unaffected). In AUTH_MODE=dev only loopback pages may, whatever this says.
 */
export const wsOriginsSetting = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0))
  .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/?#\s]+$/i.test(o)), 'each entry must be an origin (https://host[:port]) or *')
  .transform((list) => list.map((o) => (o === '*' ? o : new URL(o).origin)));
