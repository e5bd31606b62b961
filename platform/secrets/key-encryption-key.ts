import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * A key-encryption key from the environment: `SECRETS_KEK=[<id>:]<base64 of 32 random bytes>`
 * (`openssl rand -base64 32`). Without an id, the id is derived from the key, so the same key always has the same
 * id and an id never reveals the key. The bytes are kept in a private field: the object prints, logs and
 * serialises as its id only.
 */
export class KeyEncryptionKey {
  readonly #key: Buffer;
  constructor(
    readonly id: string,
    key: Buffer,
  ) {
    this.#key = key;
  }
  /** The raw 32 bytes; only the env KMS calls this. */
  material(): Buffer {
    return this.#key;
  }
  toJSON(): { id: string } {
    return { id: this.id };
  }
  [inspect.custom](): string {
    return `KeyEncryptionKey(${this.id})`;
  }
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export const derivedKeyId = (key: Buffer): string => `kek-${createHash('sha256').update('dropship-kek-id\0').update(key).digest('hex').slice(0, 16)}`;

/** Parses `[<id>:]<base64>`; the message never echoes the value. */
export function parseKek(text: string): KeyEncryptionKey | string {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const id = colon >= 0 ? trimmed.slice(0, colon) : undefined;
  const encoded = colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
  if (id !== undefined && !KEY_ID.test(id)) return 'key id must be 1-64 of A-Z a-z 0-9 . _ -';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return 'key must be base64 (openssl rand -base64 32)';
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) return `key must decode to 32 bytes, not ${key.length}`;
  return new KeyEncryptionKey(id ?? derivedKeyId(key), key);
}

