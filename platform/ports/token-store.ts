/**
 * Port: partners' API tokens (MongoDB `api_tokens` in production, in-memory embedded). Only the SHA-256 hash of a
 * token is stored, under a unique index, so a token is found by hashing what the caller sent (docs/security.md).
 */

export interface ApiTokenRecord {
  /** `tok_…`: shown in listings and used to revoke; not a secret. */
  readonly id: string;
  /** Hex SHA-256 of the token. */
  readonly hash: string;
  readonly hint: string;
  readonly tenant: string;
  readonly scopes: readonly string[];
  /**
   * storefront, partner or operator (platform/auth/token-class.ts), set at issue. Absent on tokens issued before
   * classes existed: they act as `inferredTokenClass(scopes)`. Kept a string here: the authenticator validates it.
   */
  readonly tokenClass?: string | undefined;
  /** Supplier slugs the token may see; null when not limited. */
  readonly suppliers: readonly string[] | null;
  readonly label: string | null;
  /** Subject of whoever issued it (a token id, a JWT subject, or `cli`). */
  readonly createdBy: string;
  readonly createdAt: string;
  /** ISO 8601; null when it never expires. */
  readonly expiresAt: string | null;
  /** ISO 8601; null while active. */
  readonly revokedAt: string | null;
}

export interface TokenFilter {
  readonly tenant?: string;
  /** @default false */
  readonly includeRevoked?: boolean;
}

export interface TokenStore {
  /** Stores a new token. Throws on a duplicate id or hash (never expected: both are random). */
  insert(record: ApiTokenRecord): Promise<void>;
  /** The token with this hash, revoked and expired ones included (the caller decides), else null. */
  findByHash(hash: string): Promise<ApiTokenRecord | null>;
  get(id: string): Promise<ApiTokenRecord | null>;
  /** Oldest first, at most 1000. */
  list(filter: TokenFilter): Promise<ApiTokenRecord[]>;
  /**
   * Marks the token revoked at `at` unless it already is (the first revocation time is kept); returns the token
   * as stored afterwards, or null when there is no such token. Idempotent.
   */
  revoke(id: string, at: string): Promise<ApiTokenRecord | null>;
  clear(): Promise<void>;
}
