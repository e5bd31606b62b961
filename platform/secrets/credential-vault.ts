/**
 * Supplier credentials at rest: sealed with envelope encryption before they reach the CredentialStore, opened only
 * in memory when a connector is built. Rotating the key-encryption key re-wraps data keys in place, one document at
 * a time, while old and new KEKs are both configured, so readers never see a credential they cannot open.
 */
import { registryError } from '../../kernel/errors.ts';
import type { CredentialStore, StoredCredential } from '../ports/credential-store.ts';
import { credentialContext, openSecret, rewrapSecret, sealSecret, type Kms } from './envelope.ts';

/** A credential as listed: everything but the value. */
export type CredentialInfo = Omit<StoredCredential, 'ciphertext'>;

export interface RotationSummary {
  /** The KEK every credential should now be wrapped under. */
  readonly kekId: string;
  readonly rewrapped: number;
  readonly alreadyCurrent: number;
  /** Versions that could not be re-wrapped (their KEK is not configured); the run carries on past them. */
  readonly failed: readonly { readonly supplier: string; readonly field: string; readonly version: number; readonly kekId: string }[];
}

export interface CredentialVault {
  /** Seals and stores `value` as the newest version; keeps the one before (rollback) and deletes older ones. */
  set(supplier: string, field: string, value: string): Promise<CredentialInfo>;
  /** The newest value of each stored field of a supplier, decrypted in memory; {} when none is stored. */
  read(supplier: string): Promise<Readonly<Record<string, string>>>;
  /** Newest version of every credential, without values. */
  list(): Promise<CredentialInfo[]>;
  /** Re-wraps every version not yet under the current KEK. Safe to re-run; concurrent runs do no harm. */
  rotate(): Promise<RotationSummary>;
}

export interface CredentialVaultOptions {
  readonly store: CredentialStore;
  /** Undefined when SECRETS_KEK is unset: reading then works only while nothing is stored. */
  readonly kms: Kms | undefined;
  /** @default () => new Date().toISOString() */
  readonly now?: () => string;
}

const MAX_VALUE_LENGTH = 8_192;
const infoOf = ({ ciphertext: _ciphertext, ...info }: StoredCredential): CredentialInfo => info;

export function createCredentialVault(options: CredentialVaultOptions): CredentialVault {
  const { store } = options;
  const now = options.now ?? (() => new Date().toISOString());
  const requireKms = (): Kms => {
    if (!options.kms) throw registryError('MISCONFIGURED', 'SECRETS_KEK is not set: supplier credentials cannot be sealed or opened');
    return options.kms;
  };

  return {
    async set(supplier, field, value) {
      if (value.length === 0 || value.length > MAX_VALUE_LENGTH) {
        throw registryError('INVALID_INPUT', `a credential value is 1 to ${MAX_VALUE_LENGTH} characters`, { details: { supplier, field } });
      }
      const sealed = await sealSecret(requireKms(), value, credentialContext(supplier, field));
      const stored = await store.add({ supplier, field, ...sealed, createdAt: now() });
      await store.deleteBelow(supplier, field, stored.version - 1);
      return infoOf(stored);
    },

    async read(supplier) {
      const latest = await store.latest(supplier);
      if (latest.length === 0) return {};
      if (!options.kms) {
        // Falling back to the environment here would quietly run on credentials the operator meant to replace.
        throw registryError('MISCONFIGURED', `supplier_credentials holds credentials for ${supplier}, but SECRETS_KEK is not set`, { supplier });
      }
      const values: Record<string, string> = {};
      for (const c of latest) values[c.field] = await openSecret(options.kms, c, credentialContext(c.supplier, c.field));
      return values;
    },

    async list() {
      return (await store.latest()).map(infoOf);
    },

    async rotate() {
      const kms = requireKms();
      let rewrapped = 0;
      let alreadyCurrent = 0;
      const failed: RotationSummary['failed'][number][] = [];
      for (const c of await store.all()) {
        if (c.kekId === kms.currentKekId) {
          alreadyCurrent += 1;
          continue;
        }
        let next;
        try {
          next = await rewrapSecret(kms, c, credentialContext(c.supplier, c.field));
        } catch {
          failed.push({ supplier: c.supplier, field: c.field, version: c.version, kekId: c.kekId });
          continue;
        }
        // False: another rotation got there first, which leaves it current all the same.
        if (await store.rewrap(c, c.kekId, next)) rewrapped += 1;
        else alreadyCurrent += 1;
      }
      return { kekId: kms.currentKekId, rewrapped, alreadyCurrent, failed };
    },
  };
}
