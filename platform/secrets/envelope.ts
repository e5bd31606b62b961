/**
 * Envelope encryption with AES-256-GCM (node:crypto). Each secret gets its own random 256-bit data key; the value
 * is encrypted with it, and the data key is wrapped (encrypted) by a key-encryption key held by a `Kms`: the
 * environment's SECRETS_KEK here, a cloud KMS in deployments that have one. Only the sealed form is ever stored.
 *
 * Both layers carry additional authenticated data: the secret's context (e.g. `supplier-credential/brightline/
 * clientSecret`), so a sealed value copied onto another supplier or field fails to open instead of being used
 * there. A KEK rotation re-wraps data keys only (`rewrap`): values are never decrypted to be re-encrypted.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { registryError } from '../../kernel/errors.ts';
import type { KeyEncryptionKey } from './key-encryption-key.ts';

/** A data key wrapped by a KEK: the KEK's id and the wrapped bytes (opaque, KMS-specific, base64url). */
export interface WrappedKey {
  readonly kekId: string;
  readonly wrapped: string;
}

/**
 * Wraps and unwraps data keys. A cloud KMS implements this with its Encrypt/Decrypt calls, passing `context` as the
 * encryption context; the env implementation below uses AES-256-GCM with the context as AAD.
 */
export interface Kms {
  /** The KEK new data keys are wrapped under. */
  readonly currentKekId: string;
  wrapKey(dataKey: Buffer, context: string): Promise<WrappedKey>;
  /** Unwraps under the KEK named in `key` (current, or a previous one during a rotation). */
  unwrapKey(key: WrappedKey, context: string): Promise<Buffer>;
}

/** What is stored: the KEK id (to find what still needs re-wrapping) and everything else in one string. */
export interface SealedSecret {
  readonly kekId: string;
  /** `v1.<wrapped data key>.<iv>.<ciphertext>.<tag>`, base64url parts. */
  readonly ciphertext: string;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const b64 = (buffer: Buffer): string => buffer.toString('base64url');

function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Throws whatever node:crypto throws on a bad tag; callers turn it into their own error. */
function gcmDecrypt(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

const cannotOpen = (context: string, why: string) =>
  registryError('MISCONFIGURED', `cannot decrypt ${context}: ${why}`, { details: { context } });

/**
 * The KMS of SECRETS_KEK (current) and SECRETS_KEK_PREVIOUS (accepted for unwrapping only): old and new keys both
 * work while a rotation is rolled out.
 */
export function createEnvKms(options: { current: KeyEncryptionKey; previous?: readonly KeyEncryptionKey[] }): Kms {
  const keys = new Map<string, KeyEncryptionKey>();
  for (const kek of [...(options.previous ?? []), options.current]) keys.set(kek.id, kek);
  // The KEK id is authenticated too, so a wrapped key relabelled with another id does not unwrap.
  const aadFor = (context: string, kekId: string) => `${context}|kek:${kekId}`;
  return {
    currentKekId: options.current.id,
    async wrapKey(dataKey, context) {
      const { iv, ciphertext, tag } = gcmEncrypt(options.current.material(), dataKey, aadFor(context, options.current.id));
      return { kekId: options.current.id, wrapped: b64(Buffer.concat([iv, ciphertext, tag])) };
    },
    async unwrapKey(key, context) {
      const kek = keys.get(key.kekId);
      if (!kek) throw cannotOpen(context, `key-encryption key ${key.kekId} is not configured (SECRETS_KEK / SECRETS_KEK_PREVIOUS)`);
      const raw = Buffer.from(key.wrapped, 'base64url');
      try {
        return gcmDecrypt(kek.material(), raw.subarray(0, IV_BYTES), raw.subarray(IV_BYTES, raw.length - TAG_BYTES), raw.subarray(raw.length - TAG_BYTES), aadFor(context, key.kekId));
      } catch {
        throw cannotOpen(context, `data key does not unwrap under ${key.kekId} (wrong key, or tampered)`);
      }
    },
  };
}

function parse(sealed: SealedSecret, context: string): { wrapped: WrappedKey; iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const parts = sealed.ciphertext.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw cannotOpen(context, 'not a v1 envelope');
  const [, wrapped, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  return { wrapped: { kekId: sealed.kekId, wrapped }, iv: Buffer.from(iv, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url'), tag: Buffer.from(tag, 'base64url') };
}

/** Encrypts `plaintext` under a fresh data key, wrapped by the KMS's current KEK, bound to `context`. */
export async function sealSecret(kms: Kms, plaintext: string, context: string): Promise<SealedSecret> {
  const dataKey = randomBytes(32);
  try {
    const { iv, ciphertext, tag } = gcmEncrypt(dataKey, Buffer.from(plaintext, 'utf8'), context);
    const wrapped = await kms.wrapKey(dataKey, context);
    return { kekId: wrapped.kekId, ciphertext: [VERSION, wrapped.wrapped, b64(iv), b64(ciphertext), b64(tag)].join('.') };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts in memory; MISCONFIGURED when the KEK is unknown, the context differs, or anything was altered. */
export async function openSecret(kms: Kms, sealed: SealedSecret, context: string): Promise<string> {
  const parts = parse(sealed, context);
  const dataKey = await kms.unwrapKey(parts.wrapped, context);
  try {
    return gcmDecrypt(dataKey, parts.iv, parts.ciphertext, parts.tag, context).toString('utf8');
  } catch {
    throw cannotOpen(context, 'value does not decrypt (tampered, or sealed for another context)');
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key under the current KEK; the encrypted value itself is unchanged. */
export async function rewrapSecret(kms: Kms, sealed: SealedSecret, context: string): Promise<SealedSecret> {
  const parts = parse(sealed, context);
  const dataKey = await kms.unwrapKey(parts.wrapped, context);
  try {
    const wrapped = await kms.wrapKey(dataKey, context);
    const [version, , iv, ciphertext, tag] = sealed.ciphertext.split('.');
    return { kekId: wrapped.kekId, ciphertext: [version, wrapped.wrapped, iv, ciphertext, tag].join('.') };
  } finally {
    dataKey.fill(0);
  }
}

/** The AAD of a supplier credential: binds its ciphertext to this supplier and this field. */
export const credentialContext = (supplier: string, field: string): string => `supplier-credential/${supplier}/${field}`;
