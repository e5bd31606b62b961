/**
 * The audit log service: what other modules call to record admin actions, token use and order changes. It stamps
 * time and id, and keeps secrets and personal data out by construction: actor, tenant, target and request id must
 * be plain identifiers; anything else (an e-mail used as a subject, free text) is stored only as a hash of itself,
 * so entries still correlate without holding the value.
 */
import { createHash, randomBytes } from 'node:crypto';
import { registryError } from '../../kernel/errors.ts';
import type { Logger } from '../logger.ts';
import type { AuditEntry, AuditFilter, AuditLogStore, AuditOutcome, AuditPage } from '../ports/audit-log.ts';

/**
 * Every action name, documented in docs/security.md ("Audit log"). Add new ones here, `<noun>.<past participle>`.
 */
export const AUDIT_ACTIONS = [
  // Partner tokens (recorded by the auth layer).
  'token.issued',
  'token.revoked',
  'token.used',
  'token.denied',
  // Orders and the stock held for them (recorded by the orders and inventory services).
  'order.placed',
  'order.cancelled',
  'order.status_changed',
  'reservation.created',
  'reservation.released',
  'reservation.committed',
  // Operators.
  'supplier_credential.set',
  'supplier_credential.kek_rotated',
  'reconciliation.started',
  'admin.action',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  /** `token:<id>`, `subject:<sub>`, `system`, or `cli:<user>`. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly tenant?: string | null;
  /** `<kind>:<id>`, e.g. `order:ord-1`. Never a name, an address or a secret. */
  readonly target?: string | null;
  readonly requestId?: string | null;
  /** A registry error code for `denied` / `failure`. */
  readonly reason?: string | null;
}

export interface AuditLog {
  /** Appends one entry; rejects when the store fails (callers on an admin path should fail with it). */
  record(event: AuditEvent): Promise<AuditEntry>;
  /** For hot paths (token use): appends without waiting; a failure is logged, never thrown. */
  recordInBackground(event: AuditEvent): void;
  list(filter: AuditFilter, first: number, after: string | null): Promise<AuditPage>;
}

export interface AuditLogOptions {
  readonly store: AuditLogStore;
  readonly log: Logger;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

const PLAIN_ID = /^[A-Za-z0-9:._/#=+|-]{1,200}$/;
const REASON = /^[A-Z][A-Z0-9_]{0,63}$/;
const KNOWN = new Set<string>(AUDIT_ACTIONS);

/** The value when it is a plain identifier; otherwise `<prefix>sha256:<16 hex>` of it, so it never lands as is. */
export function auditSafe(value: string): string {
  if (PLAIN_ID.test(value)) return value;
  const colon = value.indexOf(':');
  // Keep a plain kind prefix (`subject:`) readable; hash what follows.
  const prefix = colon > 0 && /^[a-z_-]{1,32}$/.test(value.slice(0, colon)) ? value.slice(0, colon + 1) : '';
  return `${prefix}sha256:${createHash('sha256').update(value.slice(prefix.length)).digest('hex').slice(0, 16)}`;
}

const optional = (value: string | null | undefined): string | null => (value === undefined || value === null || value === '' ? null : auditSafe(value));

export function createAuditLog(options: AuditLogOptions): AuditLog {
  const now = options.now ?? (() => new Date());

  function entryOf(event: AuditEvent): AuditEntry {
    if (!KNOWN.has(event.action)) throw registryError('INVALID_INPUT', 'unknown audit action', { details: { action: auditSafe(String(event.action)) } });
    if (event.outcome !== 'success' && event.outcome !== 'denied' && event.outcome !== 'failure') {
      throw registryError('INVALID_INPUT', 'audit outcome is success, denied or failure', { details: { field: 'outcome' } });
    }
    const at = now();
    return {
      // Time first, so ids of one millisecond still sort after the previous one's, then randomness for uniqueness.
      id: `${at.getTime().toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`,
      at: at.toISOString(),
      actor: auditSafe(event.actor || 'system'),
      tenant: optional(event.tenant),
      action: event.action,
      target: optional(event.target),
      outcome: event.outcome,
      requestId: optional(event.requestId),
      reason: event.reason && REASON.test(event.reason) ? event.reason : event.reason ? 'OTHER' : null,
    };
  }

  return {
    async record(event) {
      const entry = entryOf(event);
      await options.store.append(entry);
      return entry;
    },
    recordInBackground(event) {
      let entry: AuditEntry;
      try {
        entry = entryOf(event);
      } catch (error) {
        options.log.error({ err: error, action: auditSafe(String(event.action)) }, 'audit entry refused');
        return;
      }
      options.store.append(entry).catch((error: unknown) => options.log.error({ err: error, action: entry.action, auditId: entry.id }, 'audit entry could not be stored'));
    },
    list: (filter, first, after) => options.store.list(filter, first, after),
  };
}
