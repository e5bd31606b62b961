import type { InboxEntry, InboxStatus, WebhookInbox } from '../../../platform/ports/webhook-inbox.ts';
import { inboxId } from '../../../platform/ports/webhook-inbox.ts';

/**
 * The embedded webhook inbox. `record` checks and inserts without awaiting in between, so it is atomic by
 * construction, like the unique-index insert of the MongoDB inbox. Entries are copied in and out.
 */
export function createMemoryWebhookInbox(): WebhookInbox {
  const entries = new Map<string, InboxEntry>();
  const copy = (entry: InboxEntry): InboxEntry => structuredClone(entry);

  const update = (id: string, change: (entry: InboxEntry) => InboxEntry) => {
    const entry = entries.get(id);
    if (entry !== undefined) entries.set(id, change(entry));
  };

  return {
    async record(newEntry) {
      const id = inboxId(newEntry.supplier, newEntry.deliveryId);
      const existing = entries.get(id);
      if (existing !== undefined) return { recorded: false, entry: copy(existing) };
      const entry: InboxEntry = { ...structuredClone(newEntry), id, status: 'pending', attempts: 0, note: null, processedAt: null };
      entries.set(id, entry);
      return { recorded: true, entry: copy(entry) };
    },

    async get(id) {
      const entry = entries.get(id);
      return entry === undefined ? null : copy(entry);
    },

    async due(now, limit) {
      return [...entries.values()]
        .filter((e) => e.status === 'pending' && e.dueAt <= now)
        .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id < b.id ? -1 : 1))
        .slice(0, limit)
        .map(copy);
    },

    async complete(ids, note, at) {
      for (const id of ids) update(id, (e) => ({ ...e, status: 'done', attempts: e.attempts + 1, note, processedAt: at }));
    },

    async fail(id, error, retryAt, giveUp) {
      update(id, (e) => ({ ...e, status: giveUp ? 'failed' : 'pending', attempts: e.attempts + 1, note: error, dueAt: retryAt, processedAt: giveUp ? retryAt : null }));
    },

    async sweep(before) {
      let removed = 0;
      for (const [id, e] of entries) {
        if (e.status !== 'pending' && e.receivedAt < before) {
          entries.delete(id);
          removed += 1;
        }
      }
      return removed;
    },

    async countByStatus() {
      const counts: Record<InboxStatus, number> = { pending: 0, done: 0, failed: 0 };
      for (const e of entries.values()) counts[e.status] += 1;
      return counts;
    },

    async clear() {
      entries.clear();
    },
  };
}
