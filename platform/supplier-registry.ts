/**
 * Every supplier the graph knows, derived from the suppliers file (platform/suppliers-file.ts): adding a supplier is
 * one entry there + `npm run compose` (which generates its subgraph SDL and its offer stub in the inventory
 * subgraph) + a restart. Data only: the gateway and the schema generator read this without loading any adapter.
 *
 * `SUPPLIERS` is the process's suppliers: the committed demo file's until a process installs its configured file
 * (`useSuppliers`, called once by startStack and `npm run compose`). One suppliers file per process.
 */
import { DEFAULT_SUPPLIERS_FILE, FAMILIES, readSuppliersFile, type SupplierEntry, type SupplierFamilyName } from './suppliers-file.ts';

export type SupplierProtocol = 'rest' | 'soap' | 'graphql';

export interface SupplierDescriptor {
  /** Lower-case slug; also the subgraph name `supplier-<slug>`. */
  readonly slug: string;
  readonly displayName: string;
  readonly family: SupplierFamilyName;
  readonly protocol: SupplierProtocol;
  /** The concrete Offer type this supplier's subgraph owns: `<Slug>Offer`. */
  readonly offerType: string;
  /** Port of its subgraph in the default one-machine layout. */
  readonly defaultPort: number;
}

/** First subgraph port of the suppliers; entry N (from 0) gets FIRST_SUPPLIER_PORT + N unless it names its own. */
export const FIRST_SUPPLIER_PORT = 4201;

export const offerTypeOf = (slug: string): string => `${slug[0]!.toUpperCase()}${slug.slice(1)}Offer`;

export function descriptorsOf(entries: readonly SupplierEntry[]): readonly SupplierDescriptor[] {
  return Object.freeze(
    entries.map((e, i) =>
      Object.freeze({
        slug: e.slug,
        displayName: e.displayName,
        family: e.family,
        protocol: FAMILIES[e.family].protocol,
        offerType: offerTypeOf(e.slug),
        defaultPort: e.subgraphPort ?? FIRST_SUPPLIER_PORT + i,
      }),
    ),
  );
}

export let SUPPLIERS: readonly SupplierDescriptor[] = descriptorsOf(readSuppliersFile(DEFAULT_SUPPLIERS_FILE));

/** Makes a configured suppliers file the process's registry (live binding: every importer sees it). */
export function useSuppliers(entries: readonly SupplierEntry[]): readonly SupplierDescriptor[] {
  SUPPLIERS = descriptorsOf(entries);
  return SUPPLIERS;
}

export const supplierBySlug = (slug: string): SupplierDescriptor | undefined => SUPPLIERS.find((s) => s.slug === slug);

export const offerId = (slug: string, supplierSku: string): string => `${slug}:${supplierSku}`;

export function parseOfferId(id: string): { slug: string; supplierSku: string } | null {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return null;
  return { slug: id.slice(0, colon), supplierSku: id.slice(colon + 1) };
}
