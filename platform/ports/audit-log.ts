/**
 * Port: the audit log (MongoDB `audit_log` in production, in-memory embedded). Append-only: the port has no update
 * or delete, and entries hold no secrets and no personal data — actors, tenants and targets are ids (see
 * platform/audit/audit-log.ts, which checks that, and docs/security.md for the action names).
 */

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEntry {
  /** Unique; sorts with `at` (newest-first paging is by (at, id)). */
  readonly id: string;
  /** ISO 8601. */
  readonly at: string;
  /** Who: `token:<id>`, `subject:<sub>`, `system`, `cli:<user>`. */
  readonly actor: string;
  /** The tenant acted for; null for platform-wide actions. */
  readonly tenant: string | null;
  /** What, from AUDIT_ACTIONS, e.g. `token.issued`. */
  readonly action: string;
  /** On what: `token:<id>`, `order:<id>`, `supplier-credential:<supplier>/<field>#v<n>`; null when nothing specific. */
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  /** The request it happened in, to join with logs; null outside requests. */
  readonly requestId: string | null;
  /** For `denied` / `failure`: the registry error code (e.g. FORBIDDEN); null otherwise. */
  readonly reason: string | null;
}

export interface AuditFilter {
  readonly action?: string;
  readonly tenant?: string;
  readonly actor?: string;
}

export interface AuditPage {
  readonly items: readonly AuditEntry[];
  readonly nextCursor: string | null;
}

export interface AuditLogStore {
  /** Inserts one entry; an id already stored is refused (INVALID_INPUT), never overwritten. */
  append(entry: AuditEntry): Promise<void>;
  /** Newest first, stable by (at, id); `first` is 1..500; `after` is a previous page's `nextCursor`. */
  list(filter: AuditFilter, first: number, after: string | null): Promise<AuditPage>;
}
