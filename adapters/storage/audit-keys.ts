import { registryError } from '../../kernel/errors.ts';
import type { AuditEntry, AuditFilter } from '../../platform/ports/audit-log.ts';

/** Newest first: later `at` first, then larger id. Negative when `a` comes before `b`. */
export const compareNewestFirst = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] === b[0] ? (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0) : a[0] < b[0] ? 1 : -1;

export const auditSortKey = (entry: AuditEntry): [string, string] => [entry.at, entry.id];

export function auditMatches(entry: AuditEntry, filter: AuditFilter): boolean {
  return (filter.action === undefined || entry.action === filter.action)
    && (filter.tenant === undefined || entry.tenant === filter.tenant)
    && (filter.actor === undefined || entry.actor === filter.actor);
}

export function checkAuditEntry(entry: AuditEntry): void {
  if (!entry.id || Number.isNaN(Date.parse(entry.at)) || !entry.action || !entry.actor) {
    throw registryError('INVALID_INPUT', 'an audit entry needs id, at, actor and action', { details: { field: 'entry' } });
  }
}

export const duplicateAuditId = (id: string) => registryError('INVALID_INPUT', 'an audit entry with this id exists; entries are never replaced', { details: { id } });
