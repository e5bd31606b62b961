import { registryError } from '../../kernel/errors.ts';

/**
 * The safety buffer: units of a (product, supplier) stock row that are never sold, because supplier figures lag and
 * drift. Configured as a default, per supplier, and per product (canonical SKU); the most specific setting wins:
 * product, then supplier, then the default. The buffer applies to each supplier row of a product on its own.
 */
export interface BufferPolicyConfig {
  /** @default 0 */
  readonly default?: number;
  /** Supplier slug → buffer. */
  readonly bySupplier?: Readonly<Record<string, number>>;
  /** Canonical SKU → buffer, overriding the supplier's. */
  readonly byProduct?: Readonly<Record<string, number>>;
}

export interface BufferPolicy {
  bufferFor(supplier: string, sku: string): number;
}

/** Validates the config once (a bad figure is a misconfiguration, found at startup, not at the first reservation). */
export function createBufferPolicy(config: BufferPolicyConfig = {}): BufferPolicy {
  const check = (where: string, n: unknown): number => {
    if (!Number.isSafeInteger(n) || (n as number) < 0) {
      throw registryError('MISCONFIGURED', `safety buffer ${where} must be a non-negative integer`, { details: { where } });
    }
    return n as number;
  };
  const fallback = check('default', config.default ?? 0);
  const bySupplier = new Map(Object.entries(config.bySupplier ?? {}).map(([k, v]) => [k, check(`for supplier ${k}`, v)]));
  const byProduct = new Map(Object.entries(config.byProduct ?? {}).map(([k, v]) => [k, check(`for product ${k}`, v)]));
  return {
    bufferFor: (supplier, sku) => byProduct.get(sku) ?? bySupplier.get(supplier) ?? fallback,
  };
}
