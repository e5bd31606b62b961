import type { SupplierConnector } from '../adapters/core/connector.ts';
import type { SupplierEntry } from '../platform/suppliers-file.ts';
import { familyOf } from './families/index.ts';
import type { ConnectorInputs } from './families/family.ts';

/**
 * Builds one supplier's production connector from its entry in the suppliers file, by its family's module
 * (stack/families/): protocol layer + mapping, wrapped once in the supplier's traffic policies (deadline, retries,
 * shared rate limits, breaker, concurrency cap, metrics), every HTTP exchange under its outbound policy (HTTPS only,
 * TLS 1.2+, pins: docs/security.md). Nothing is sent to the supplier here.
 */
export async function createConnector(inputs: ConnectorInputs): Promise<SupplierConnector> {
  const connector = await familyOf(inputs.entry.family).createConnector(inputs);
  return withAllocationRule(connector, inputs.entry);
}

/**
 * The entry's stock-allocation rule (`allocatesStockOnAccept`, docs/orders.md) over the family's default: the same
 * protocol is spoken by suppliers that lower their stock at acceptance and by others that do so at shipment.
 */
export function withAllocationRule(connector: SupplierConnector, entry: Pick<SupplierEntry, 'allocatesStockOnAccept'>): SupplierConnector {
  const rule = entry.allocatesStockOnAccept;
  if (rule === undefined || rule === connector.allocatesStockOnAccept) return connector;
  return new Proxy(connector, {
    get(target, property) {
      if (property === 'allocatesStockOnAccept') return rule;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
