import type { RegistryError } from '../../kernel/errors.ts';
import type { SupplierStock } from '../../kernel/model.ts';

/**
 * What an offer resolves from: the live figures; the last known figures when the supplier cannot answer now
 * (with the reason); a note that the supplier no longer lists the SKU; or the failure, when nothing is known.
 */
export type OfferResult =
  | { readonly kind: 'live'; readonly stock: SupplierStock; readonly cached: boolean }
  | { readonly kind: 'stale'; readonly stock: SupplierStock; readonly error: RegistryError }
  | { readonly kind: 'unlisted' }
  | { readonly kind: 'failed'; readonly error: RegistryError };

export interface OfferView {
  readonly id: string;
  readonly supplierSku: string;
  readonly result: OfferResult;
}
