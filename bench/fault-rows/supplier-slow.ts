/**
 * Fault rows: a supplier slow at twice its attempt deadline, from the stack's start and turning slow mid-traffic
 * (issue 12, point 1). Measured by test/fault/slow-supplier-setting.ts (one run shared with supplier-down.ts); the
 * fault test (test/fault/slow-supplier.fault.test.ts) asserts on the same observations.
 */
import { measureSupplierFaults } from '../../test/fault/slow-supplier-setting.ts';
import type { Read } from '../../test/fault/slow-supplier-reads.ts';
import { summarize, type FaultRow, type FaultRowRunner } from './row.ts';

/** The row's figures; errors naming another faulted supplier (the at-start rows fault two at once) are left out. */
export const measuredOf = (reads: readonly Read[], supplier: string) =>
  reads.map((r) => ({
    ms: r.ms,
    status: r.status,
    codes: r.errors.filter((e) => [undefined, supplier].includes(e.extensions?.['supplier'] as string | undefined)).map((e) => String(e.extensions?.['code'] ?? 'NO_CODE')),
  }));

/** How the faulted supplier's offers came out, read by read: "N of M reads stale, K with null figures". */
export function offersSummary(reads: readonly Read[], offerType: string): string {
  const of = (r: Read) => r.offers.filter((x) => x.__typename === offerType);
  const stale = reads.filter((r) => of(r).some((x) => x.stale === true)).length;
  const empty = reads.filter((r) => of(r).some((x) => x.available === null)).length;
  return `${stale} of ${reads.length} reads served its offers stale, ${empty} with null figures`;
}

export const supplierSlowRow: FaultRowRunner = {
  name: 'supplier-slow',
  async run(): Promise<FaultRow[]> {
    const o = await measureSupplierFaults();
    const atStart = o.atStart.filter((r) => r.offers.some((x) => x.__typename === 'HarborpromoOffer'));
    return [
      summarize(
        `supplier slow at 2× its deadline from start (harborpromo; brightline down too), budget ${o.budgetMs} ms`,
        measuredOf(atStart, 'harborpromo'),
        o.atStartRecoveryMs.harborpromo,
        `${offersSummary(atStart, 'HarborpromoOffer')}; SUPPLIER_TIMEOUT names it (SUPPLIER_UNAVAILABLE for reads whose shared first Product Data load died with another read's deadline), so does degradedSuppliers; other suppliers live; no 5xx`,
      ),
      summarize(
        `supplier turns slow at 2× its deadline mid-traffic (harborpromo), budget ${o.budgetMs} ms`,
        measuredOf(o.slowMid, 'harborpromo'),
        o.slowRecoveryMs,
        `${offersSummary(o.slowMid, 'HarborpromoOffer')} (last known figures; degradedSuppliers SUPPLIER_TIMEOUT, then SUPPLIER_CIRCUIT_OPEN); other suppliers live; no 5xx`,
      ),
    ];
  },
};
