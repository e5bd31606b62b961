/**
 * Port: supplier credentials, sealed (MongoDB `supplier_credentials` in production, in-memory embedded). The store
 * only ever sees ciphertext: sealing and opening happen in platform/secrets (envelope encryption), in memory.
 * Each (supplier, field) has numbered versions; the newest is the one in use.
 */

export interface CredentialKey {
  readonly supplier: string;
  /** The credential's name in the supplier's config, e.g. `clientSecret`. */
  readonly field: string;
  readonly version: number;
}

export interface StoredCredential extends CredentialKey {
  /** The sealed envelope (platform/secrets/envelope.ts); never the value. */
  readonly ciphertext: string;
  /** The key-encryption key its data key is wrapped under. */
  readonly kekId: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

export type NewCredential = Omit<StoredCredential, 'version'>;

export interface CredentialStore {
  /** Stores the next version of (supplier, field) and returns it; concurrent writers get distinct versions. */
  add(credential: NewCredential): Promise<StoredCredential>;
  /** The newest version of every field, of one supplier or of all; ordered by supplier, field. */
  latest(supplier?: string): Promise<StoredCredential[]>;
  /** Every version, ordered by supplier, field, version (KEK rotation walks them all). */
  all(): Promise<StoredCredential[]>;
  /**
   * Replaces one version's sealed value if it is still wrapped under `fromKekId` (a KEK rotation re-wrapping its
   * data key). False when it is not (already re-wrapped, or gone).
   */
  rewrap(key: CredentialKey, fromKekId: string, next: { readonly ciphertext: string; readonly kekId: string }): Promise<boolean>;
  /** Deletes the versions of (supplier, field) below `version`; returns how many. */
  deleteBelow(supplier: string, field: string, version: number): Promise<number>;
  clear(): Promise<void>;
}
