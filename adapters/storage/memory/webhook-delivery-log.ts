import { earliestDue, newestFirst, pageSize, type WebhookDeliveryLog, type WebhookDeliveryRecord } from '../../../platform/ports/webhook-delivery-log.ts';

/** The order webhook delivery log in process memory (embedded mode and tests): records are copied in and out. */
export function createMemoryWebhookDeliveryLog(): WebhookDeliveryLog {
  const records = new Map<string, WebhookDeliveryRecord>();
  return {
    async create(record) {
      if (records.has(record.id)) return false;
      records.set(record.id, structuredClone(record));
      return true;
    },
    async get(id) {
      const found = records.get(id);
      return found === undefined ? null : structuredClone(found);
    },
    async update(record) {
      records.set(record.id, structuredClone(record));
    },
    async list(tenant, options = {}) {
      return [...records.values()]
        .filter((r) => (tenant === null || r.tenant === tenant) && (options.state === undefined || r.state === options.state))
        .sort(newestFirst)
        .slice(0, pageSize(options.limit))
        .map((r) => structuredClone(r));
    },
    async pending(limit) {
      return [...records.values()].filter((r) => r.state === 'pending').sort(earliestDue).slice(0, Math.max(1, limit)).map((r) => structuredClone(r));
    },
    async clear() {
      records.clear();
    },
  };
}
