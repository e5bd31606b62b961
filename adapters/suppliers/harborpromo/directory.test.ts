import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../../kernel/errors.ts';
import type { Raw } from '../../soap/coerce.ts';
import { ProductDirectory } from './directory.ts';
import type { SellablePart } from './mapping.ts';

/** A supplier call that answers after `ms`, or fails as the SOAP client does when its signal aborts. */
function slowCall<T>(ms: number, value: T, seen: AbortSignal[]): (signal: AbortSignal) => Promise<T> {
  return (signal) => {
    seen.push(signal);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => resolve(value), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new RegistryError('CALL_ABORTED', 'aborted'));
      });
    });
  };
}

const parts: SellablePart[] = [{ productId: 'P1', partId: 'P1-RED' } as SellablePart];
const product = { Product: { productId: 'P1' } } as unknown as Record<string, Raw>;

describe('ProductDirectory shared loads', () => {
  // Broke: the first caller's deadline aborted the sellable load every other caller shared (they got CALL_ABORTED).
  it('first caller aborting does not abort the sellable load the others share', async () => {
    const signals: AbortSignal[] = [];
    const fetchSellable = slowCall(80, parts, signals);
    const directory = new ProductDirectory({ fetchSellable, fetchProduct: async () => product });
    const first = new AbortController();
    const firstWait = directory.productsOf(['P1-RED'], first.signal);
    const secondWait = directory.productsOf(['P1-RED'], new AbortController().signal);
    setTimeout(() => first.abort(), 10);
    await expect(firstWait).rejects.toMatchObject({ code: 'CALL_ABORTED' });
    expect(await secondWait).toEqual(new Map([['P1-RED', 'P1']]));
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });

  // Same bug on a product's price shared by stock reads and orders.
  it('first caller aborting does not abort the price load the others share', async () => {
    const signals: AbortSignal[] = [];
    const fetchProduct = (_id: string, signal: AbortSignal) => slowCall(80, product, signals)(signal);
    const directory = new ProductDirectory({ fetchSellable: async () => parts, fetchProduct });
    const first = new AbortController();
    const firstWait = directory.costOf('P1', first.signal);
    const secondWait = directory.costOf('P1', new AbortController().signal);
    setTimeout(() => first.abort(), 10);
    await expect(firstWait).rejects.toMatchObject({ code: 'CALL_ABORTED' });
    await expect(secondWait).resolves.toBeDefined();
    expect(signals).toHaveLength(1);
  });

  it('a shared load is bounded by its own budget, not by any caller', async () => {
    const signals: AbortSignal[] = [];
    const directory = new ProductDirectory({ fetchSellable: slowCall(10_000, parts, signals), fetchProduct: async () => product, refreshTimeoutMs: 50 });
    const started = Date.now();
    await expect(directory.sellable(new AbortController().signal)).rejects.toMatchObject({ code: 'CALL_ABORTED' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(signals[0]!.aborted).toBe(true);
  });
});
