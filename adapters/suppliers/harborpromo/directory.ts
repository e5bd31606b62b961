/**
 * What the connector remembers of harborpromo's catalog: which product each part belongs to (Inventory 2.0.0 is
 * asked per productId) and each product's unit cost (Inventory carries no price; Product Data does). Both are
 * slow-moving, so they are cached with a TTL; stock itself is never cached here.
 */
import type { Money } from '../../core/model.ts';
import type { Raw } from '../../soap/coerce.ts';
import { unitCostOf, type SellablePart } from './mapping.ts';

export interface DirectoryOptions {
  readonly fetchSellable: (signal: AbortSignal) => Promise<SellablePart[]>;
  readonly fetchProduct: (productId: string, signal: AbortSignal) => Promise<Record<string, Raw>>;
  /** How long the sellable list serves catalog pages and part lookups. @default 300000 */
  readonly sellableTtlMs?: number;
  /** How long a product's price is trusted. @default 900000 */
  readonly priceTtlMs?: number;
  /** An unknown part triggers a reload of the sellable list at most this often. @default 60000 */
  readonly unknownPartRefreshMs?: number;
  readonly now?: () => number;
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class ProductDirectory {
  readonly #o: Required<DirectoryOptions>;
  #sellable: { parts: SellablePart[]; byPart: Map<string, string>; at: number } | null = null;
  #loading: Promise<SellablePart[]> | null = null;
  readonly #costs = new Map<string, { cost: Money | null; at: number }>();

  constructor(options: DirectoryOptions) {
    this.#o = { sellableTtlMs: 300_000, priceTtlMs: 900_000, unknownPartRefreshMs: 60_000, now: Date.now, ...options };
  }

  /** The sellable list, from cache while fresh. */
  async sellable(signal: AbortSignal, maxAgeMs = this.#o.sellableTtlMs): Promise<SellablePart[]> {
    if (this.#sellable && this.#o.now() - this.#sellable.at < maxAgeMs) return this.#sellable.parts;
    // Callers arriving while a load runs share it rather than each asking the supplier.
    this.#loading ??= this.#o
      .fetchSellable(signal)
      .then((parts) => {
        this.#sellable = { parts, byPart: new Map(parts.map((p) => [p.partId, p.productId])), at: this.#o.now() };
        return parts;
      })
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }

  /** The productId of a part; undefined when harborpromo does not sell it. */
  async productOf(partId: string, signal: AbortSignal): Promise<string | undefined> {
    await this.sellable(signal);
    const known = this.#sellable?.byPart.get(partId);
    if (known !== undefined) return known;
    await this.sellable(signal, this.#o.unknownPartRefreshMs);
    return this.#sellable?.byPart.get(partId);
  }

  /** Unit cost of a product, from cache or one getProduct call. */
  async costOf(productId: string, signal: AbortSignal): Promise<Money | null> {
    const cached = this.#costs.get(productId);
    if (cached && this.#o.now() - cached.at < this.#o.priceTtlMs) return cached.cost;
    const response = await this.#o.fetchProduct(productId, signal);
    return this.remember(productId, response);
  }

  /** Keeps the price of a getProduct answer the connector fetched anyway (catalog pages). */
  remember(productId: string, response: Record<string, Raw>): Money | null {
    const cost = unitCostOf(response);
    this.#costs.set(productId, { cost, at: this.#o.now() });
    return cost;
  }

  /** Loads the sellable list and every product's price, a few calls at a time. */
  async prime(signal: AbortSignal, concurrency = 4): Promise<void> {
    const parts = await this.sellable(signal, 0);
    const products = [...new Set(parts.map((p) => p.productId))];
    await mapLimit(products, concurrency, (productId) => this.costOf(productId, signal));
  }
}
