/**
 * Reads and checks shared by slow-supplier.fault.test.ts and the bench:faults rows for a slow or missing supplier:
 * one `product` or `productPage` query as a client sends it, timed, and the rule every answer must keep while one
 * supplier is faulted (issue 12): HTTP 200 within the budget + 10 %, every product there, only the faulted
 * suppliers' offers degraded and each of them named.
 */
import { expect } from 'vitest';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { postGraphql } from '../support/stack-env.ts';

/** A supplier's attempt deadline in these rows; "slow" is twice it. */
export const ATTEMPT_DEADLINE_MS = 1_000;
/** The request budget of these rows (REQUEST_BUDGET_MS). */
export const BUDGET_MS = 3_000;

const OFFER = `__typename id supplier { name } available status stale asOf`;

export interface Offer {
  readonly __typename: string;
  readonly id: string;
  readonly supplier: { name: string } | null;
  readonly available: number | null;
  readonly stale: boolean | null;
}

export interface Read {
  readonly kind: 'product' | 'page';
  readonly status: number;
  readonly ms: number;
  readonly products: ({ sku: string; offers: Offer[] } | null)[];
  readonly offers: Offer[];
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];
  readonly degraded: { supplier: string; code: string }[];
}

async function timedRead(url: string, kind: Read['kind'], body: unknown): Promise<Read> {
  const started = performance.now();
  const { status, json } = await postGraphql(url, body);
  const ms = performance.now() - started;
  const products = kind === 'product' ? [json.data?.product ?? null] : (json.data?.productPage?.nodes ?? [null]);
  const offers = products.flatMap((p: { offers?: Offer[] } | null) => p?.offers ?? []);
  return { kind, status, ms, products, offers, errors: json.errors ?? [], degraded: json.extensions?.degradedSuppliers ?? [] };
}

export const readProduct = (url: string, sku: string): Promise<Read> =>
  timedRead(url, 'product', { query: `query($sku: ID!) { product(sku: $sku) { sku offers { ${OFFER} } } }`, variables: { sku } });

export const readPage = (url: string): Promise<Read> => timedRead(url, 'page', { query: `{ productPage(first: 20) { nodes { sku offers { ${OFFER} } } } }` });

const slugOf = (offer: Offer): string => SUPPLIERS.find((s) => s.offerType === offer.__typename)!.slug;

/**
 * The rule of a read while `faulted` suppliers are slow or down. `known`: their last known figures exist, so an
 * offer of theirs may be stale (named in degradedSuppliers) as well as null (named in an error) or, before the
 * fault bit, live; without, it must be null and named.
 */
export function checkRead(read: Read, expected: { faulted: readonly string[]; known: boolean }): void {
  const context = JSON.stringify({ kind: read.kind, status: read.status, ms: Math.round(read.ms), errors: read.errors, degraded: read.degraded }).slice(0, 2_000);
  expect(read.status, context).toBe(200);
  expect(read.ms, `answered within the budget + 10 %: ${context}`).toBeLessThanOrEqual(BUDGET_MS * 1.1);
  expect(read.products.length, context).toBeGreaterThan(0);
  for (const product of read.products) expect(product, `a product emptied: ${context}`).not.toBeNull();
  const namedInErrors = new Set(read.errors.map((e) => e.extensions?.['supplier']));
  const namedDegraded = new Set(read.degraded.map((d) => d.supplier));
  for (const offer of read.offers) {
    const slug = slugOf(offer);
    // The supplier's subgraph answered (it never timed out at the gateway): its own fields are there.
    expect(offer.supplier?.name, context).toBe(slug);
    if (!expected.faulted.includes(slug)) {
      expect({ slug, available: typeof offer.available, stale: offer.stale }, context).toEqual({ slug, available: 'number', stale: false });
      continue;
    }
    if (offer.available === null) {
      expect(namedInErrors.has(slug), `null ${slug} offer without an error naming it: ${context}`).toBe(true);
      expect(namedDegraded.has(slug), `null ${slug} offer without degradedSuppliers naming it: ${context}`).toBe(true);
    }
    else if (offer.stale) expect(namedDegraded.has(slug), `stale ${slug} offer without degradedSuppliers naming it: ${context}`).toBe(true);
    else expect(expected.known, `${slug} answered live while faulted from the start: ${context}`).toBe(true);
  }
  // No error or degradation names a healthy supplier.
  for (const name of [...namedInErrors, ...namedDegraded]) if (name !== undefined) expect(expected.faulted, context).toContain(name);
}
