/**
 * Every supplier the graph knows. Adding a supplier = one entry here + its connector in adapters/suppliers/<slug>/
 * + `npm run compose` (which generates its subgraph SDL and its offer stub in the inventory subgraph).
 * Data only: the gateway and the schema generator read this without loading any adapter.
 */
export type SupplierProtocol = 'rest' | 'soap' | 'graphql';

export interface SupplierDescriptor {
  /** Lower-case slug; also the subgraph name `supplier-<slug>`. */
  readonly slug: string;
  readonly displayName: string;
  readonly protocol: SupplierProtocol;
  /** The concrete Offer type this supplier's subgraph owns. */
  readonly offerType: string;
  /** Port of its subgraph in the default one-machine layout. */
  readonly defaultPort: number;
}

export const SUPPLIERS: readonly SupplierDescriptor[] = [
  { slug: 'brightline', displayName: 'Brightline Distribution', protocol: 'rest', offerType: 'BrightlineOffer', defaultPort: 4201 },
  { slug: 'harborpromo', displayName: 'Harbor Promo Supply', protocol: 'soap', offerType: 'HarborpromoOffer', defaultPort: 4202 },
  { slug: 'maplecart', displayName: 'Maplecart Wholesale', protocol: 'graphql', offerType: 'MaplecartOffer', defaultPort: 4203 },
];

export const supplierBySlug = (slug: string): SupplierDescriptor | undefined => SUPPLIERS.find((s) => s.slug === slug);

export const offerId = (slug: string, supplierSku: string): string => `${slug}:${supplierSku}`;

export function parseOfferId(id: string): { slug: string; supplierSku: string } | null {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return null;
  return { slug: id.slice(0, colon), supplierSku: id.slice(colon + 1) };
}
