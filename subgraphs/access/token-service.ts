import { registryError } from '../../kernel/errors.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import { generateApiToken } from '../../platform/auth/api-token.ts';
import { isKnownScope, KNOWN_SCOPES, TENANT_PATTERN } from '../../platform/auth/principal.ts';
import { CLASS_SCOPES, inferredTokenClass, isTokenClass, scopesOutsideClass, TOKEN_CLASSES } from '../../platform/auth/token-class.ts';
import type { ApiTokenRecord, TokenFilter, TokenStore } from '../../platform/ports/token-store.ts';

export interface IssueTokenRequest {
  readonly tenant: string;
  /** Empty, null or undefined: the class's default scopes (platform/auth/token-class.ts). */
  readonly scopes?: readonly string[] | null | undefined;
  /** storefront, partner or operator; null or undefined: `operator` when the scopes hold admin, else `partner`. */
  readonly tokenClass?: string | null | undefined;
  /** Limit to these suppliers; null or undefined for all. */
  readonly suppliers?: readonly string[] | null | undefined;
  readonly label?: string | null | undefined;
  /** 1..3650; null or undefined for a token that does not expire. */
  readonly expiresInDays?: number | null | undefined;
}

/** Who acts: recorded on the token (`subject`) and in the audit log (`actor`, docs/security.md). */
export interface TokenActor {
  /** `token:<id>`, `subject:<sub>` or `cli:<user>`. */
  readonly actor: string;
  /** Stored as the token's `createdBy`. */
  readonly subject: string;
  readonly requestId?: string | undefined;
}

export interface IssuedToken {
  /** The only time the token exists outside the caller's hands. */
  readonly token: string;
  readonly record: ApiTokenRecord;
}

export interface TokenService {
  issue(request: IssueTokenRequest, by: TokenActor): Promise<IssuedToken>;
  list(filter: TokenFilter): Promise<ApiTokenRecord[]>;
  revoke(id: string, by: TokenActor): Promise<ApiTokenRecord | null>;
}

const invalid = (message: string, field: string) => registryError('INVALID_INPUT', message, { details: { field } });

/**
 * Issuing, listing and revoking partners' API tokens: the `access` subgraph's mutations and `npm run tokens` both
 * use this, so both validate alike. Who may call it is decided outside: the `admin` scope, or direct database access.
 */
export function createTokenService(options: { tokens: TokenStore; knownSuppliers: readonly string[]; audit?: AuditLog | undefined; now?: () => number }): TokenService {
  const now = options.now ?? Date.now;
  return {
    async issue(request, by) {
      if (!TENANT_PATTERN.test(request.tenant)) throw invalid('tenant must be 1-63 of a-z, 0-9, _ and -, starting with a letter or digit', 'tenant');
      const given = [...new Set(request.scopes ?? [])];
      const unknown = given.filter((s) => !isKnownScope(s));
      if (unknown.length > 0) throw invalid(`unknown scope ${unknown.join(', ')} (known: ${KNOWN_SCOPES.join(', ')})`, 'scopes');
      if (request.tokenClass != null && !isTokenClass(request.tokenClass)) throw invalid(`unknown token class (known: ${TOKEN_CLASSES.join(', ')})`, 'tokenClass');
      if (request.tokenClass == null && given.length === 0) throw invalid('a token needs a class or at least one scope', 'scopes');
      const tokenClass = request.tokenClass ?? inferredTokenClass(given);
      const scopes = given.length > 0 ? given : [...CLASS_SCOPES[tokenClass].defaults];
      // A storefront or partner token never carries admin, whoever issues it.
      const outside = scopesOutsideClass(tokenClass, scopes);
      if (outside.length > 0) throw invalid(`a ${tokenClass} token may not carry ${outside.join(', ')} (allowed: ${CLASS_SCOPES[tokenClass].allowed.join(', ')})`, 'scopes');
      const suppliers = request.suppliers == null ? null : [...new Set(request.suppliers)];
      if (suppliers !== null) {
        if (suppliers.length === 0) throw invalid('suppliers, when given, must name at least one supplier', 'suppliers');
        const unknownSuppliers = suppliers.filter((s) => !options.knownSuppliers.includes(s));
        if (unknownSuppliers.length > 0) throw invalid(`unknown supplier ${unknownSuppliers.join(', ')}`, 'suppliers');
      }
      const label = request.label ?? null;
      if (label !== null && label.length > 100) throw invalid('label is at most 100 characters', 'label');
      const days = request.expiresInDays ?? null;
      if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) throw invalid('expiresInDays is 1..3650', 'expiresInDays');
      const secret = generateApiToken();
      const issuedAt = now();
      const record: ApiTokenRecord = {
        id: secret.id,
        hash: secret.hash,
        hint: secret.hint,
        tenant: request.tenant,
        scopes: scopes.sort(),
        tokenClass,
        suppliers: suppliers === null ? null : suppliers.sort(),
        label,
        createdBy: by.subject,
        createdAt: new Date(issuedAt).toISOString(),
        expiresAt: days === null ? null : new Date(issuedAt + days * 86_400_000).toISOString(),
        revokedAt: null,
      };
      await options.tokens.insert(record);
      if (options.audit) {
        try {
          await options.audit.record({ actor: by.actor, action: 'token.issued', outcome: 'success', tenant: record.tenant, target: `token:${record.id}`, requestId: by.requestId ?? null });
        } catch (error) {
          // An issued token nobody can account for is not left behind: it is revoked before the failure is reported.
          await options.tokens.revoke(record.id, new Date(now()).toISOString()).catch(() => undefined);
          throw error;
        }
      }
      return { token: secret.token, record };
    },
    list: (filter) => options.tokens.list(filter),
    async revoke(id, by) {
      const revoked = await options.tokens.revoke(id, new Date(now()).toISOString());
      if (revoked && options.audit) {
        await options.audit.record({ actor: by.actor, action: 'token.revoked', outcome: 'success', tenant: revoked.tenant, target: `token:${id}`, requestId: by.requestId ?? null });
      }
      return revoked;
    },
  };
}
