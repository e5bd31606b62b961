import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Opaque API tokens (docs/security.md): `dsk_` + 32 random bytes (base64url). Only the SHA-256 of a token is
 * stored. A slow password hash (bcrypt, scrypt) is for secrets a human chose, which can be guessed; 256 random bits
 * cannot be, so a fast hash loses nothing, and it lets a lookup be one indexed equality match per request.
 */
export const API_TOKEN_PREFIX = 'dsk_';
const TOKEN_PATTERN = /^dsk_[A-Za-z0-9_-]{43}$/;

export interface NewApiTokenSecret {
  /** Shown to the caller once, never stored. */
  readonly token: string;
  readonly hash: string;
  /** The last four characters, stored to tell tokens apart in listings. */
  readonly hint: string;
  readonly id: string;
}

export const hashApiToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const looksLikeApiToken = (value: string): boolean => TOKEN_PATTERN.test(value);

export function generateApiToken(): NewApiTokenSecret {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiToken(token), hint: token.slice(-4), id: `tok_${randomUUID().replaceAll('-', '').slice(0, 20)}` };
}
