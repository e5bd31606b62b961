import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createMemoryAuditLogStore } from '../../adapters/storage/memory/audit-log.ts';
import { expectRegistryCode } from '../../test/contract/registry-error-assert.ts';
import { createLogger } from '../logger.ts';
import type { AuditLogStore } from '../ports/audit-log.ts';
import { auditSafe, createAuditLog, type AuditAction } from './audit-log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }) });
  return { log, lines };
}

describe('audit log service', () => {
  it('stamps time and a sortable id, and stores what was done by whom on what', async () => {
    const store = createMemoryAuditLogStore();
    let t = Date.parse('2026-03-01T10:00:00.000Z');
    const audit = createAuditLog({ store, log: capture().log, now: () => new Date(t++) });
    const first = await audit.record({ actor: 'token:tok_1', action: 'token.issued', outcome: 'success', tenant: 'acme', target: 'token:tok_2', requestId: 'req-9' });
    const second = await audit.record({ actor: 'system', action: 'order.status_changed', outcome: 'failure', target: 'order:ord-1', reason: 'SUPPLIER_UNAVAILABLE' });
    expect(first).toMatchObject({ at: '2026-03-01T10:00:00.000Z', actor: 'token:tok_1', tenant: 'acme', action: 'token.issued', target: 'token:tok_2', outcome: 'success', requestId: 'req-9', reason: null });
    expect(second).toMatchObject({ tenant: null, requestId: null, reason: 'SUPPLIER_UNAVAILABLE' });
    expect(second.id > first.id).toBe(true);
    expect((await audit.list({}, 10, null)).items.map((e) => e.id)).toEqual([second.id, first.id]);
  });

  it('keeps personal data and free text out: such values are stored only as a hash', async () => {
    const audit = createAuditLog({ store: createMemoryAuditLogStore(), log: capture().log });
    const entry = await audit.record({ actor: 'subject:ada@example.com', action: 'token.used', outcome: 'denied', target: 'order:Ada Lovelace, 12 Analytical Row', reason: 'free text here' });
    const text = JSON.stringify(entry);
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('Lovelace');
    expect(entry.actor).toMatch(/^subject:sha256:[0-9a-f]{16}$/);
    expect(entry.actor).toBe(auditSafe('subject:ada@example.com'));
    expect(entry.target).toMatch(/^order:sha256:/);
    expect(entry.reason).toBe('OTHER');
  });

  it('refuses unknown actions and outcomes', async () => {
    const audit = createAuditLog({ store: createMemoryAuditLogStore(), log: capture().log });
    await expectRegistryCode(audit.record({ actor: 'system', action: 'order.deleted' as AuditAction, outcome: 'success' }), 'INVALID_INPUT');
    await expectRegistryCode(audit.record({ actor: 'system', action: 'order.placed', outcome: 'maybe' as 'success' }), 'INVALID_INPUT');
  });

  it('in the background: stores the entry, and logs (never throws) a store failure', async () => {
    const store = createMemoryAuditLogStore();
    const { log, lines } = capture();
    createAuditLog({ store, log }).recordInBackground({ actor: 'token:t1', action: 'token.used', outcome: 'success' });
    await new Promise((r) => setImmediate(r));
    expect((await store.list({}, 10, null)).items).toHaveLength(1);

    const failing: AuditLogStore = { append: async () => Promise.reject(new Error('mongo down')), list: store.list };
    expect(() => createAuditLog({ store: failing, log }).recordInBackground({ actor: 'token:t1', action: 'token.used', outcome: 'success' })).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: 'audit entry could not be stored', action: 'token.used' }));
  });
});
