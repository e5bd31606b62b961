import { createHmac } from 'node:crypto';

/**
 * The shopper a storefront's server calls for (docs/security.md, "Forwarded shopper identity"). The storefront
 * names its shopper in `X-Shopper-Id` (a session, cart or customer id of its own) so each shopper gets a bucket of
 * their own. Trusted from storefront-class tokens only (request-rate-limit.ts); any other caller's header is ignored.
 * The value may be personal data (a customer number, even an e-mail): it is bounded here, only ever used as an
 * HMAC inside a bucket key, and never logged.
 */
export const SHOPPER_ID_HEADER = 'x-shopper-id';

/** 1-128 characters of a small alphabet: enough for UUIDs, numbers, `cust:123`, base64url session ids, e-mails. */
export const SHOPPER_ID_PATTERN = /^[A-Za-z0-9._:@+=/-]{1,128}$/;

export type ShopperIdReading = { readonly kind: 'absent' } | { readonly kind: 'valid'; readonly id: string } | { readonly kind: 'invalid' };

/** The header as sent: absent, one valid value, or anything else (repeated, empty, too long, other characters). */
export function readShopperId(value: string | readonly string[] | undefined): ShopperIdReading {
  if (value === undefined) return { kind: 'absent' };
  if (typeof value !== 'string' || !SHOPPER_ID_PATTERN.test(value)) return { kind: 'invalid' };
  return { kind: 'valid', id: value };
}

/**
 * Keyed hash of a shopper id within its tenant: 32 hex characters of HMAC-SHA256. Keyed (not a bare SHA-256) so a
 * key read out of Redis cannot be reversed by hashing a list of likely e-mails; the key derives from the gateway
 * signing secret, which every gateway instance shares, so all instances put one shopper in one bucket.
 */
export function createShopperHasher(secret: string): (tenant: string, shopperId: string) => string {
  const key = createHmac('sha256', secret).update('dropship/shopper-bucket/v1').digest();
  return (tenant, shopperId) => createHmac('sha256', key).update(`${tenant}\n${shopperId}`).digest('hex').slice(0, 32);
}
