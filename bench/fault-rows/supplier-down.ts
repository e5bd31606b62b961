/**
 * Fault rows: a supplier down (connections dropped), from the stack's start and going down mid-traffic (issue 12,
 * point 1). Measured by test/fault/slow-supplier-setting.ts (one run shared with supplier-slow.ts); the fault test
 * (test/fault/slow-supplier.fault.test.ts) asserts on the same observations.
 */
import { measureSupplierFaults } from '../../test/fault/slow-supplier-setting.ts';
import { summarize, type FaultRow, type FaultRowRunner } from './row.ts';
import { measuredOf, offersSummary } from './supplier-slow.ts';

export const supplierDownRow: FaultRowRunner = {
  name: 'supplier-down',
  async run(): Promise<FaultRow[]> {
    const o = await measureSupplierFaults();
    const atStart = o.atStart.filter((r) => r.offers.some((x) => x.__typename === 'BrightlineOffer'));
    return [
      summarize(
        `supplier down from start (brightline; harborpromo slow too), budget ${o.budgetMs} ms`,
        measuredOf(atStart, 'brightline'),
        o.atStartRecoveryMs.brightline,
        `${offersSummary(atStart, 'BrightlineOffer')}; an error names it (SUPPLIER_UNAVAILABLE, then SUPPLIER_CIRCUIT_OPEN), so does degradedSuppliers; other suppliers live; no 5xx`,
      ),
      summarize(
        `supplier goes down mid-traffic (brightline), budget ${o.budgetMs} ms`,
        measuredOf(o.downMid, 'brightline'),
        o.downRecoveryMs,
        `${offersSummary(o.downMid, 'BrightlineOffer')} (last known figures, named in degradedSuppliers); other suppliers live; no 5xx`,
      ),
    ];
  },
};
