/**
 * What the connector remembers of a PromoStandards supplier's catalog: which product each part belongs to
 * (Inventory 2.0.0 is asked per productId) and each product's unit cost (Inventory carries no price; Product Data
 * does). Both are slow-moving, so they are cached with a TTL; stock itself is never cached here.
 *
 * Stock never waits on Product Data: once a value is known it is served even when stale, and refreshed in the
 * background (one refresh per product at a time); a failed refresh keeps the last known value. Identical
 * getProduct calls in flight are shared.
 *
 * A shared load runs under a signal of its own (bounded by `refreshTimeoutMs`), never under the signal of the caller
 * that happened to start it: each caller waits on it with its own signal and, when that aborts, stops waiting
 * without cancelling the load the others still wait on (a first caller's deadline used to abort everyone's load).
 */
import type { Lane } from '../../core/connector.ts';
import type { Money } from '../../../kernel/model.ts';
import type { Raw } from '../../soap/coerce.ts';
import { RegistryError } from '../../../kernel/errors.ts';
import { unitCostOf, type SellablePart } from './mapping.ts';

export interface DirectoryOptions {
  /** `lane`: the lane of the caller that started the load (background refreshes: sync), for its rate-limit tokens. */
  readonly fetchSellable: (signal: AbortSignal, lane: Lane) => Promise<SellablePart[]>;
  readonly fetchProduct: (productId: string, signal: AbortSignal, lane: Lane) => Promise<Record<string, Raw>>;
  /** How long the sellable list serves catalog pages and part lookups before a refresh. @default 300000 */
  readonly sellableTtlMs?: number;
  /** How long a product's price is trusted before a refresh. @default 900000 */
  readonly priceTtlMs?: number;
  /** An unknown part triggers a reload of the sellable list at most this often. @default 60000 */
  readonly unknownPartRefreshMs?: number;
  /** Budget of a shared load (sellable list, a product's price), in the background or awaited by callers. @default 30000 */
  readonly refreshTimeoutMs?: number;
  /** Told about background refreshes that failed (the last known value stays). */
  readonly onRefreshError?: (what: string, error: unknown) => void;
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

/**
 * Waits for a shared load with one caller's signal: an abort ends this caller's wait (as CALL_ABORTED, which the
 * deadline policy turns into a timeout when the budget ran out), and the load goes on for the others.
 */
export function waitWith<T>(load: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortedWait());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedWait());
    signal.addEventListener('abort', onAbort, { once: true });
    load.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const abortedWait = (): RegistryError => new RegistryError('CALL_ABORTED', 'stopped waiting for a shared Product Data load: the caller aborted');

type Required2<T> = { [K in keyof T]-?: T[K] };

export class ProductDirectory {
  readonly #o: Required2<Omit<DirectoryOptions, 'onRefreshError'>> & Pick<DirectoryOptions, 'onRefreshError'>;
  #sellable: { parts: SellablePart[]; byPart: Map<string, string>; at: number } | null = null;
  #loading: Promise<SellablePart[]> | null = null;
  readonly #costs = new Map<string, { cost: Money | null; at: number }>();
  readonly #costLoads = new Map<string, Promise<Money | null>>();

  constructor(options: DirectoryOptions) {
    this.#o = { sellableTtlMs: 300_000, priceTtlMs: 900_000, unknownPartRefreshMs: 60_000, refreshTimeoutMs: 30_000, now: Date.now, ...options };
  }

  #loadSellable(signal: AbortSignal, lane: Lane): Promise<SellablePart[]> {
    // Callers arriving while a load runs share it rather than each asking the supplier.
    this.#loading ??= this.#o
      .fetchSellable(AbortSignal.timeout(this.#o.refreshTimeoutMs), lane)
      .then((parts) => {
        this.#sellable = { parts, byPart: new Map(parts.map((p) => [p.partId, p.productId])), at: this.#o.now() };
        return parts;
      })
      .finally(() => {
        this.#loading = null;
      });
    return waitWith(this.#loading, signal);
  }

  #background(what: string, load: (signal: AbortSignal) => Promise<unknown>): void {
    // Nobody waits: the load's own budget bounds it.
    load(new AbortController().signal).catch((error: unknown) => this.#o.onRefreshError?.(what, error));
  }

  /** The sellable list, from cache while fresh; always loaded fresh for catalog walks (`maxAgeMs`). */
  async sellable(signal: AbortSignal, maxAgeMs = this.#o.sellableTtlMs, lane: Lane = 'sync'): Promise<SellablePart[]> {
    if (this.#sellable && this.#o.now() - this.#sellable.at < maxAgeMs) return this.#sellable.parts;
    return this.#loadSellable(signal, lane);
  }

  /**
   * The productIds of parts, for stock reads: a known list is used even when stale (refreshed in the background),
   * so a Product Data outage does not stop stock. Parts the supplier does not sell are absent from the map.
   */
  async productsOf(partIds: readonly string[], signal: AbortSignal, lane: Lane = 'sync'): Promise<Map<string, string>> {
    if (!this.#sellable) await this.#loadSellable(signal, lane);
    else if (this.#o.now() - this.#sellable.at >= this.#o.sellableTtlMs && !this.#loading) this.#background('sellable list', (s) => this.#loadSellable(s, 'sync'));
    const unknown = partIds.filter((p) => !this.#sellable!.byPart.has(p));
    if (unknown.length > 0 && this.#o.now() - this.#sellable!.at >= this.#o.unknownPartRefreshMs) {
      // A part we have not seen: the list may be older than the part. At most one reload per interval; if Product
      // Data cannot answer, the part stays unknown for now rather than failing the parts we do know.
      await (this.#loading ? waitWith(this.#loading, signal) : this.#loadSellable(signal, lane)).catch((error: unknown) => this.#o.onRefreshError?.('sellable list', error));
    }
    const out = new Map<string, string>();
    for (const partId of partIds) {
      const productId = this.#sellable!.byPart.get(partId);
      if (productId !== undefined) out.set(partId, productId);
    }
    return out;
  }

  /** The productId of one part; undefined when the supplier does not sell it. */
  async productOf(partId: string, signal: AbortSignal, lane: Lane = 'sync'): Promise<string | undefined> {
    return (await this.productsOf([partId], signal, lane)).get(partId);
  }

  #loadCost(productId: string, signal: AbortSignal, lane: Lane): Promise<Money | null> {
    let load = this.#costLoads.get(productId);
    if (!load) {
      load = this.#o
        .fetchProduct(productId, AbortSignal.timeout(this.#o.refreshTimeoutMs), lane)
        .then((response) => this.remember(productId, response))
        .finally(() => this.#costLoads.delete(productId));
      this.#costLoads.set(productId, load);
    }
    return waitWith(load, signal);
  }

  /** Unit cost of a product, from cache while fresh, else one (shared) getProduct call. For orders. */
  async costOf(productId: string, signal: AbortSignal, lane: Lane = 'sync'): Promise<Money | null> {
    const cached = this.#costs.get(productId);
    if (cached && this.#o.now() - cached.at < this.#o.priceTtlMs) return cached.cost;
    return this.#loadCost(productId, signal, lane);
  }

  /**
   * The last known cost for a stock figure, without waiting on Product Data: stale → served as is and refreshed in
   * the background; unknown → `undefined` and `load` gives the (shared) getProduct call the caller may wait on.
   */
  lastKnownCost(productId: string): { known: true; cost: Money | null } | { known: false; load: (signal: AbortSignal, lane: Lane) => Promise<Money | null> } {
    const cached = this.#costs.get(productId);
    if (!cached) return { known: false, load: (signal, lane) => this.#loadCost(productId, signal, lane) };
    if (this.#o.now() - cached.at >= this.#o.priceTtlMs && !this.#costLoads.has(productId)) {
      this.#background(`price of ${productId}`, (s) => this.#loadCost(productId, s, 'sync'));
    }
    return { known: true, cost: cached.cost };
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
