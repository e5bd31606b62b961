import type DataLoader from 'dataloader';
import type { SubgraphContext } from '../context.ts';
import type { OfferFailures } from './offer-failures.ts';
import type { OfferResult } from './offer-view.ts';

export interface SupplierContext extends SubgraphContext {
  /** Per request: batches every offer of this supplier asked for in one tick into one supplier call. */
  readonly offers: DataLoader<string, OfferResult>;
  /** Supplier failures met while resolving this request's offers, reported once each. */
  readonly failures: OfferFailures;
}
