import { z } from 'zod';
import { parseKek, type KeyEncryptionKey } from './secrets/key-encryption-key.ts';

/** Settings of docs/security.md, parsed for platform/config.ts. Messages never echo a value. */

/** SECRETS_KEK: the key new secrets are wrapped under. */
export const kekSetting = z
  .string()
  .optional()
  .transform((value, ctx): KeyEncryptionKey | undefined => {
    if (value === undefined || value.trim() === '') return undefined;
    const parsed = parseKek(value);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });

/** SECRETS_KEK_PREVIOUS: comma-separated keys still accepted for decryption during a rotation. */
export const previousKeksSetting = z
  .string()
  .optional()
  .transform((value, ctx): KeyEncryptionKey[] => {
    const keys: KeyEncryptionKey[] = [];
    for (const [i, part] of (value ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0).entries()) {
      const parsed = parseKek(part);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: ${parsed}` });
      else keys.push(parsed);
    }
    return keys;
  });

/** `<SLUG>_TLS_PINS`: comma-separated base64 sha256 SPKI pins. */
export const pinListSetting = z
  .string()
  .optional()
  .transform((value, ctx): string[] => {
    const pins = (value ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
    for (const pin of pins) if (!/^[A-Za-z0-9+/]{43}=$/.test(pin)) ctx.addIssue({ code: 'custom', message: 'a pin is base64 of a sha256 digest (44 characters)' });
    return pins;
  });

/** `true`/`false` (also 1/0) rather than z.coerce.boolean, which reads "false" as true. */
export const flagSetting = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((value) => value === 'true' || value === '1');

/** Spread into the config schema (platform/config.ts). */
export const securitySettings = {
  /** Plain http:// to loopback supplier URLs (local development against sandboxes you started yourself). */
  OUTBOUND_ALLOW_LOOPBACK_HTTP: flagSetting,
  SECRETS_KEK: kekSetting,
  SECRETS_KEK_PREVIOUS: previousKeksSetting,
};

type SecuritySettings = { [K in keyof typeof securitySettings]: z.output<(typeof securitySettings)[K]> };

/** Outbound calls to suppliers (adapters/core/outbound-policy.ts). */
export interface OutboundConfig {
  /** Allow http:// to loopback for configured supplier URLs; bundled sandboxes are always allowed. */
  readonly allowLoopbackHttp: boolean;
  /** SPKI pins per supplier slug; none = CA verification only. */
  readonly tlsPins: Readonly<Record<string, readonly string[]>>;
}

/** Supplier credentials at rest (platform/secrets). */
export interface SecretsConfig {
  /** Wraps new data keys; unset = no credential store in use. */
  readonly kek: KeyEncryptionKey | undefined;
  /** Still accepted for unwrapping during a rotation. */
  readonly previousKeks: readonly KeyEncryptionKey[];
}

export function outboundConfigOf(e: SecuritySettings): OutboundConfig {
  return Object.freeze({
    allowLoopbackHttp: e.OUTBOUND_ALLOW_LOOPBACK_HTTP,
    // Per supplier of the suppliers file (`<SLUG>_TLS_PINS`, else the entry's `tlsPins`): filled in by platform/config.ts.
    tlsPins: Object.freeze({}),
  });
}

export function secretsConfigOf(e: SecuritySettings): SecretsConfig {
  return Object.freeze({ kek: e.SECRETS_KEK, previousKeks: Object.freeze([...e.SECRETS_KEK_PREVIOUS]) });
}
