/**
 * Issue 14, CPU bound for parsing: the longest synchronous step when a REST or GraphQL supplier answers with the
 * worst JSON we can think of at the answer cap — JSON.parse and zod validation with the connectors' real schemas
 * (brightline stock/catalog, maplecart stock/catalog through the GraphQL envelope) — without and with the JSON
 * budget (adapters/core/json-budget.ts). Run: `node --expose-gc --import tsx bench/answer-parse.ts` (figures in docs/security.md).
 */
import { z } from 'zod';
import { DEFAULT_MAX_ANSWER_BYTES } from '../adapters/core/answer-cap.ts';
import { checkJsonShape, DEFAULT_JSON_BUDGET } from '../adapters/core/json-budget.ts';
import { graphqlErrorSchema } from '../adapters/graphql/errors.ts';
import { catalogDataSchema, stockDataSchema } from '../adapters/suppliers/maplecart/documents.ts';
import { AvailabilityResponse, CatalogResponse } from '../adapters/suppliers/brightline/wire.ts';

const CAP = DEFAULT_MAX_ANSWER_BYTES;
const RUNS = 5;

/** A flat string, as readCappedText's join gives (a concatenation is a rope: its first scan would flatten it). */
const flat = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** `head` + as many `item`s (comma-joined) as fit in `bytes` + `tail`; at most `maxItems` of them. */
function fill(head: string, item: string, tail: string, bytes: number, maxItems = Infinity): string {
  const n = Math.min(maxItems, Math.floor((bytes - head.length - tail.length) / (item.length + 1)));
  return flat(head + Array(n).fill(item).join(',') + tail);
}

const envelope = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(graphqlErrorSchema).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});

interface Case {
  readonly name: string;
  /** Builds the answer, at most `bytes` long and, when given, with at most about `maxItems` repeated items. */
  readonly build: (bytes: number, maxItems?: number) => string;
  readonly validate: (json: unknown) => unknown;
}

const ts = '"2025-01-01T00:00:00Z"';
const gql = (schema: z.ZodType) => (json: unknown) => {
  const e = envelope.safeParse(json);
  return e.success && e.data.data ? schema.safeParse(e.data.data) : e;
};
const cases: Case[] = [
  {
    name: 'brightline stock: one result, tiny warehouses (valid)',
    build: (b, m) => fill(`{"timestamp":${ts},"results":[{"partNumber":"p","status":"IN_STOCK","warehouses":[`, '{"warehouseCode":"","quantityAvailable":0}', ']}]}', b, m),
    validate: (j) => AvailabilityResponse.safeParse(j),
  },
  {
    name: 'brightline stock: minimal results (valid)',
    build: (b, m) => fill(`{"timestamp":${ts},"results":[`, `{"partNumber":"p","status":"IN_STOCK","warehouses":[],"lastUpdated":${ts}}`, ']}', b, m),
    validate: (j) => AvailabilityResponse.safeParse(j),
  },
  {
    name: 'brightline stock: every warehouse invalid (one zod issue each)',
    build: (b, m) => fill(`{"timestamp":${ts},"results":[{"partNumber":"p","status":"IN_STOCK","warehouses":[`, '{}', ']}]}', b, m),
    validate: (j) => AvailabilityResponse.safeParse(j),
  },
  {
    name: 'brightline catalog: minimal items (valid)',
    build: (b, m) => fill('{"items":[', '{"itemNumber":"i","title":"t"}', ']}', b, m),
    validate: (j) => CatalogResponse.safeParse(j),
  },
  {
    name: 'brightline catalog: empty objects (2 issues each)',
    build: (b, m) => fill('{"items":[', '{}', ']}', b, m),
    validate: (j) => CatalogResponse.safeParse(j),
  },
  {
    name: 'maplecart stock: minimal variants (valid)',
    build: (b, m) =>
      fill(
        '{"data":{"archived":{"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}},"productVariants":{"nodes":[',
        '{"sku":null,"inventoryPolicy":"DENY","inventoryQuantity":0,"updatedAt":"","inventoryItem":{"unitCost":null}}',
        ']}}}',
        b,
        m,
      ),
    validate: gql(stockDataSchema),
  },
  {
    name: 'maplecart catalog: minimal variants (valid)',
    build: (b, m) =>
      fill(
        '{"data":{"productVariants":{"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[',
        '{"sku":null,"barcode":null,"displayName":"","mpn":null,"product":{"vendor":"","description":"","manufacturer":null}}',
        ']}}}',
        b,
        m,
      ),
    validate: gql(catalogDataSchema),
  },
  {
    name: 'graphql: errors array of {"message":""}',
    build: (b, m) => fill('{"errors":[', '{"message":""}', ']}', b, m),
    validate: (j) => envelope.safeParse(j),
  },
  { name: 'any: nested arrays', build: (b, m) => { const d = Math.min(m ?? Infinity, Math.floor(b / 2)); return flat('['.repeat(d) + ']'.repeat(d)); }, validate: (j) => CatalogResponse.safeParse(j) },
  { name: 'any: empty objects in an array', build: (b, m) => fill('[', '{}', ']', b, m), validate: (j) => CatalogResponse.safeParse(j) },
  { name: 'any: zeros in an unknown field', build: (b, m) => fill('{"items":[],"x":[', '0', ']}', b, m), validate: (j) => CatalogResponse.safeParse(j) },
  { name: 'any: one 8 MiB string of escaped quotes', build: (b) => flat(`{"items":[],"x":"${'\\"'.repeat(Math.floor((b - 20) / 2))}"}`), validate: (j) => CatalogResponse.safeParse(j) },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const thrown = new Set<string>();
/**
 * CPU time of `fn` in ms (user + system of this process): on a machine shared with other work, wall time measures
 * the neighbours; a synchronous step's CPU time is what it takes from the event loop on an idle core.
 */
function time(fn: () => unknown, label = ''): number {
  const t = process.cpuUsage();
  try {
    fn();
  } catch (error) {
    // zod's safeParse itself throws (RangeError) on an array with millions of issues: note it, keep the time.
    thrown.add(`${label}: ${(error as Error).name}`);
  }
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

let cpuTotal = 0;
/** The longest single synchronous slice of the shape check: timed between its yields. */
async function longestScanSlice(text: string): Promise<{ verdict: string; longest: number; total: number }> {
  let longest = 0;
  let last = performance.now();
  const started = last;
  const timer = setInterval(() => undefined, 0);
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const cpu = process.cpuUsage();
  const verdict = await checkJsonShape(text);
  const used = process.cpuUsage(cpu);
  cpuTotal = (used.user + used.system) / 1000;
  ticking = false;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  void started;
  return { verdict: verdict.ok ? 'ok' : verdict.reason, longest, total: cpuTotal };
}

async function main(): Promise<void> {
  const rows: string[] = [];
  console.log(`cap ${CAP} bytes; budget ${DEFAULT_JSON_BUDGET.maxValues} values, depth ${DEFAULT_JSON_BUDGET.maxDepth}; median of ${RUNS} runs, ms`);
  console.log('case | unbounded: parse, zod (CPU) | scan: verdict, longest slice (wall), total (CPU) | within budget: bytes, parse, zod (CPU)');
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  for (const c of cases) {
    const full = c.build(CAP);
    gc();
    // The shape check first, on a quiet heap (the unbounded parse below leaves hundreds of MB of garbage).
    const scan = await longestScanSlice(full);
    // The largest answer of this shape that passes the budget (nested arrays: the depth limit).
    let within = c.build(CAP, c.name.includes('nested') ? DEFAULT_JSON_BUDGET.maxDepth : DEFAULT_JSON_BUDGET.maxValues / 8);
    for (let m = DEFAULT_JSON_BUDGET.maxValues / 4; m <= DEFAULT_JSON_BUDGET.maxValues && !c.name.includes('nested'); m *= 2) {
      const candidate = c.build(CAP, m);
      if (!(await checkJsonShape(candidate)).ok) break;
      within = candidate;
    }
    const p2: number[] = [];
    const z2: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      gc();
      let json: unknown;
      p2.push(time(() => {
        try {
          json = JSON.parse(within);
        } catch {
          json = undefined;
        }
      }));
      z2.push(time(() => c.validate(json), `${c.name} (within budget)`));
    }
    const parse: number[] = [];
    const zod: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      gc();
      let json: unknown;
      parse.push(time(() => {
        try {
          json = JSON.parse(full);
        } catch {
          json = undefined;
        }
      }));
      zod.push(time(() => c.validate(json), `${c.name} (unbounded)`));
    }
    const row = `${c.name} | ${median(parse).toFixed(1)}, ${median(zod).toFixed(1)} | ${scan.verdict}, ${scan.longest.toFixed(1)}, ${scan.total.toFixed(1)} | ${within.length}, ${median(p2).toFixed(1)}, ${median(z2).toFixed(1)}`;
    rows.push(row);
    console.log(row);
  }
  for (const t of thrown) console.log(`safeParse threw — ${t}`);
}

await main();
