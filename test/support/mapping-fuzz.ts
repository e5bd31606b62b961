/**
 * The harness of the supplier mapping fuzz tests (issue 14): hostile values, the check that one mapping call throws
 * nothing but a registry error within a time bound, and the check that what it returns is within our ranges.
 *
 * The time bound is on a pathological input, not a performance figure: a backtracking expression or a quadratic loop
 * costs seconds on the 100,000-character values below, while every linear mapping call takes well under a
 * millisecond. The machine is shared (two cores, several test files at once), so a call over the bound is measured
 * twice more and fails only if it is over the bound every time: a slow input is slow each time, a preempted
 * process or a garbage collection is not.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import type { CatalogItem, SupplierOrderStatus, SupplierStock } from '../../kernel/model.ts';
import { SUPPLIER_RANGES } from '../../adapters/core/supplier-ranges.ts';
import { HOSTILE_TEXTS } from './hostile-text.ts';

/** Fixed, so CI runs the same payloads every time; a failure prints its seed, path and shrunk payload. */
export const FUZZ_SEED = 20_261_204;
/**
 * fast-check settings for a bounded CI run: the fixed seed, `numRuns`, and a report cut to a readable length (a
 * counterexample may hold a 100,000-character value; the seed and path reproduce it in full).
 */
export function fuzzSettings(numRuns: number): fc.Parameters<unknown> {
  return {
    seed: FUZZ_SEED,
    numRuns,
    reporter(details) {
      if (!details.failed) return;
      const report = fc.defaultReportMessage(details) ?? 'property failed';
      const cause = details.errorInstance instanceof Error ? details.errorInstance : undefined;
      throw new Error(report.length > 3000 ? `${report.slice(0, 3000)}… (cut)` : report, { cause });
    },
  };
}

/** Longest one mapping call may take, in milliseconds (generous: see above). */
export const MAX_MAPPING_CALL_MS = 50;
/** Longest message a mapping error may carry: ours, never a supplier's megabyte. */
const MAX_MESSAGE = 300;

const digits = (n: number, digit = '9') => digit.repeat(n);
let deep: unknown = 'bottom';
for (let i = 0; i < 20_000; i++) deep = i % 2 === 0 ? { a: deep } : [deep];
/** 20,000 levels of element and list: serialising it recursively overflows the stack. */
export const DEEP_NESTING = deep;

/** Text a hostile supplier sends where a number, price, date, id or word belongs. */
export const HOSTILE_STRINGS: readonly string[] = [
  digits(100_000),
  `0.${digits(100_000, '0')}1`,
  `1.${digits(100_000, '0')}1`,
  `${digits(100_000, '1')}x`,
  `${digits(100_000, '0')}`,
  `1.${digits(40, '3')}`,
  '0.1234567',
  '<'.repeat(100_000),
  ' '.repeat(100_000),
  `2026-01-01T00:00:00Z${' '.repeat(50_000)}`,
  'gid://shopify/InventoryItem/' + digits(50_000, '7') + 'x',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e300',
  '-1e300',
  '1e-300',
  '-0',
  '-1',
  '+7',
  '.5',
  '5.',
  '0x1F',
  '1_000',
  '١٢٣',
  '  12.50  ',
  '',
  '9999-12-31T23:59:59Z',
  '0001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '1969-07-20T20:17:00Z',
  'not a date',
  ...Object.values(HOSTILE_TEXTS),
];

/** Numbers a hostile supplier sends (JSON can carry ±Infinity as 1e400; the rest is a superset of what it can). */
export const HOSTILE_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e300,
  -1e300,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  -1,
  -0,
  1e9,
  1e9 + 1,
  2 ** 31,
  0.1 + 0.2,
  53,
  366,
];

export const hostileString = (): fc.Arbitrary<string> => fc.constantFrom(...HOSTILE_STRINGS);
export const hostileNumber = (): fc.Arbitrary<number> => fc.constantFrom(...HOSTILE_NUMBERS);

/** Any value at all, for a field of the wrong type: hostile scalars, lists, elements and deep nesting. */
export const hostileAny = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    hostileString(),
    hostileNumber(),
    fc.constant(DEEP_NESTING),
    fc.constant(null),
    fc.boolean(),
    fc.constant(new Date(Number.NaN)),
    fc.constant(new Date(Date.UTC(9999, 0, 1))),
    fc.array(hostileString(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), hostileString(), { maxKeys: 3 }),
  );

/** Plausible text: any Unicode, including control characters, lone surrogates and long runs. */
export const anyText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength }) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 1, arbitrary: hostileString() },
  );

/** Decimal text across what a decimal type allows, and past it. */
export const decimalText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 45 })).map(([whole, fraction]) =>
      fraction === '' ? whole.toString() : `${whole}.${fraction}`,
    ),
    fc.double().map(String),
    hostileString(),
  );

/** Integers across 64-bit doubles and past the safe range, as numbers. */
export const anyInteger = (): fc.Arbitrary<number> =>
  fc.oneof(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger(), fc.double({ noNaN: false }), hostileNumber());

/** ISO 8601 instants from year 1 to 9999, and hostile date text. */
export const dateText = (): fc.Arbitrary<string> =>
  fc.oneof(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()), hostileString());

/** Every value `singleLeafMutations` puts in each place: hostile text and numbers, a list, an element, deep nesting. */
export const MUTATIONS: readonly unknown[] = [...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, DEEP_NESTING, [DEEP_NESTING], {}, null, new Date(Number.NaN), new Date(Date.UTC(9999, 0, 1))];

/**
 * Each answer that differs from `base` in one place only — every leaf and every element in turn — by one of the
 * hostile values. Random answers rarely put a given hostile value at a given field; this sweep puts each one at
 * each field, with the rest of the answer plausible, so the mapping reads up to that field.
 */
export function* singleLeafMutations(base: unknown, values: readonly unknown[] = MUTATIONS): Generator<{ readonly path: string; readonly answer: unknown }> {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, at: (string | number)[]) => {
    if (at.length > 0) paths.push(at);
    if (node !== null && typeof node === 'object' && !(node instanceof Date)) {
      for (const [key, child] of Object.entries(node)) walk(child, [...at, Array.isArray(node) ? Number(key) : key]);
    }
  };
  walk(base, []);
  // In place, restored after each use: the mappings are pure, and cloning the base per mutation cost most of the run.
  for (const at of paths) {
    let parent = base as Record<string | number, unknown>;
    for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = at[at.length - 1]!;
    const original = parent[key];
    try {
      for (const value of values) {
        parent[key] = value;
        yield { path: at.join('.'), answer: base };
      }
    } finally {
      parent[key] = original;
    }
  }
}

/**
 * `count` answers from `answers` (fixed seed) that the mapping maps to something useful: the bases of a mutation
 * sweep. Fails when there are none, so a generator that drifts away from the mapping shows.
 */
export function mappableAnswers<A, T>(answers: fc.Arbitrary<A>, map: (answer: A) => T, useful: (mapped: T) => boolean, count = 2): A[] {
  const found: A[] = [];
  for (const answer of fc.sample(answers, { seed: FUZZ_SEED, numRuns: 500 })) {
    try {
      if (useful(map(answer))) found.push(answer);
    } catch {
      // A plausible answer may still break a rule the XSD cannot state (a status word, a PO we did not ask for).
    }
    if (found.length === count) return found;
  }
  throw new Error(`only ${found.length} of ${count} generated answers map to anything: the generator no longer fits the mapping`);
}

/** Every single-leaf mutation of every base through `map`; a failure names the field that was mutated. */
export function sweepMutations<A>(bases: readonly A[], map: (answer: A) => unknown): number {
  let calls = 0;
  for (const base of bases) {
    for (const { path, answer } of singleLeafMutations(base)) {
      try {
        callMapping(() => map(answer as A));
      } catch (error) {
        throw new Error(`with a hostile value at ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      calls++;
    }
  }
  return calls;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RegistryError };

/**
 * One mapping call: it returns, or throws a registry error (anything else fails the test), within the time bound
 * (three tries, see the file's comment). A registry error must carry a short message of ours.
 */
export function callMapping<T>(call: () => T): Outcome<T> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: call() };
    } catch (error) {
      if (!isRegistryError(error)) {
        throw new Error(`the mapping threw something other than a RegistryError: ${String(error).slice(0, 200)}`, { cause: error });
      }
      outcome = { ok: false, error };
    }
    const ms = performance.now() - started;
    if (ms <= MAX_MAPPING_CALL_MS) {
      if (!outcome.ok) {
        expect(outcome.error.code).toBe('CONTRACT_VIOLATION');
        expect(outcome.error.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
      }
      return outcome;
    }
    fastest = Math.min(fastest, ms);
  }
  throw new Error(`one mapping call took ${fastest.toFixed(1)} ms on each of three tries (bound ${MAX_MAPPING_CALL_MS} ms)`);
}

/** A wire-schema check as the protocol clients make it: a mismatch is their CONTRACT_VIOLATION, not ours to map. */
export function viaSchema<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, payload: unknown): T | undefined {
  const parsed = schema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

const EARLIEST = Date.UTC(SUPPLIER_RANGES.earliestYear, 0, 1);
const LATEST = Date.UTC(SUPPLIER_RANGES.latestYear + 1, 0, 1);

function expectDateInRange(iso: string): void {
  expect(iso).toHaveLength(24);
  const ms = Date.parse(iso);
  expect(ms >= EARLIEST && ms < LATEST, iso).toBe(true);
}

const expectQuantity = (n: number) => expect(Number.isInteger(n) && n >= 0 && n <= SUPPLIER_RANGES.maxQuantity, String(n)).toBe(true);
const expectIdentifier = (id: string) => expect(id.length).toBeLessThanOrEqual(SUPPLIER_RANGES.maxIdentifierChars);

/** What a stock figure may hold once mapped, whatever the supplier said. */
export function expectStockInRange(stock: SupplierStock): void {
  expectIdentifier(stock.supplierSku);
  expectQuantity(stock.available);
  if (stock.cost !== null) {
    expect(stock.cost.currency).toMatch(/^[A-Z]{3}$/);
    expect(stock.cost.amount.length).toBeLessThanOrEqual(SUPPLIER_RANGES.maxPriceChars);
    expect(stock.cost.amount).toMatch(/^(0|[1-9]\d*)(\.\d{1,6})?$/);
  }
  if (stock.leadTimeDays !== null) expect(Number.isInteger(stock.leadTimeDays) && stock.leadTimeDays >= 0 && stock.leadTimeDays <= SUPPLIER_RANGES.maxLeadTimeDays).toBe(true);
  expectDateInRange(stock.asOf);
  for (const incoming of stock.incoming ?? []) {
    expectQuantity(incoming.quantity);
    expectDateInRange(incoming.availableOn);
  }
}

export function expectCatalogItemInRange(item: CatalogItem): void {
  expectIdentifier(item.supplierSku);
  if (item.gtin !== null) expect(item.gtin).toMatch(/^\d{14}$/);
  if (item.mpn !== null) expectIdentifier(item.mpn);
  if (item.manufacturer !== null) expectIdentifier(item.manufacturer);
}

export function expectOrderStatusInRange(status: Pick<SupplierOrderStatus, 'lines' | 'updatedAt'> & { shipments?: SupplierOrderStatus['shipments'] }): void {
  expectDateInRange(status.updatedAt);
  for (const line of status.lines) {
    expectIdentifier(line.supplierSku);
    for (const n of [line.ordered, line.shipped]) expect(Number.isSafeInteger(n)).toBe(true);
  }
  for (const shipment of status.shipments ?? []) {
    expectIdentifier(shipment.carrier);
    expectIdentifier(shipment.trackingNumber);
    if (shipment.shippedAt !== null) expectDateInRange(shipment.shippedAt);
    for (const line of shipment.lines) {
      expectIdentifier(line.supplierSku);
      expectQuantity(line.quantity);
    }
  }
}
