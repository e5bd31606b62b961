/**
 * The suppliers file (`SUPPLIERS_FILE`, default config/suppliers.json): every supplier this deployment talks to, one
 * entry each. A supplier is an entry; how to talk to it is its family's module (stack/families/). Read and
 * validated once at start (platform/config.ts), and by `npm run compose`, which generates each entry's subgraph and
 * offer type. The file holds no secret: credentials are named (environment variables, credential-store fields).
 * Every field is documented in docs/suppliers/connect-promostandards.md and docs/configuration.md.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The committed demo file: today's three suppliers, each on its bundled sandbox unless a URL is configured. */
export const DEFAULT_SUPPLIERS_FILE = fileURLToPath(new URL('../config/suppliers.json', import.meta.url));

/** The services of a PromoStandards supplier; each is published at its own endpoint. */
export const PROMOSTANDARDS_SERVICES = ['productData', 'inventory', 'pricing', 'purchaseOrder', 'orderStatus', 'shipmentNotification', 'orderCancel'] as const;
export type PromoStandardsService = (typeof PROMOSTANDARDS_SERVICES)[number];

/**
 * What the schema generator and config validation need to know of each family, as data: its protocol, the
 * credential fields its connector takes, and — for the two proprietary APIs, whose connectors speak for one named
 * supplier — the only slug it can serve. Keyed by family, never by supplier.
 */
export const FAMILIES = {
  promostandards: { protocol: 'soap', credentialFields: ['id', 'password'], onlySlug: undefined },
  'brightline-rest': { protocol: 'rest', credentialFields: ['clientId', 'clientSecret'], onlySlug: 'brightline' },
  'maplecart-graphql': { protocol: 'graphql', credentialFields: ['accessToken'], onlySlug: 'maplecart' },
} as const satisfies Record<string, { protocol: 'rest' | 'soap' | 'graphql'; credentialFields: readonly string[]; onlySlug: string | undefined }>;
export type SupplierFamilyName = keyof typeof FAMILIES;

const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');

const requestLimit = z
  .object({ limit: z.number().int().min(1), perSeconds: z.number().positive().max(86_400), burst: z.number().int().min(1).optional(), safety: z.number().gt(0).lt(1).optional() })
  .strict()
  .refine((l) => (l.burst ?? 1) <= l.limit, { message: 'burst must not exceed limit' });

const operationName = z.enum(['getStock', 'listCatalog', 'placeOrder', 'getOrderStatus', 'cancelOrder', 'health', 'lookupItems']);

/** The supplier's published limits (its API terms): they become our shared buckets and what its sandbox enforces. */
const limitsSchema = z
  .object({
    requests: requestLimit,
    cost: z.object({ maximumAvailable: z.number().int().positive(), restoreRate: z.number().positive() }).strict().optional(),
    endpoints: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), requestLimit).optional(),
    operations: z.partialRecord(operationName, z.array(z.string()).min(1)).optional(),
    costs: z.partialRecord(operationName, z.number().positive()).optional(),
    maxConcurrent: z.number().int().min(1).max(256),
    /** Guaranteed share of the budget per lane (docs/traffic-control.md "Lanes"); SUPPLIER_LIMITS `lanes` overrides. */
    lanes: z
      .object({ order: z.number().min(0).max(1), interactive: z.number().min(0).max(1), tracking: z.number().min(0).max(1), sync: z.number().min(0).max(1) })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

/** A URL, or (for a service endpoint) a path under the supplier's base URL. */
const urlOrPath = z.string().refine((v) => v.startsWith('/') || z.string().url().safeParse(v).success, 'an absolute URL, or a path starting with /');

const sandboxSchema = z
  .object({
    /** Development credentials the sandbox accepts (sandbox only; a real supplier's credentials never go here). */
    credentials: z.record(z.string(), z.string().min(1)).optional(),
    /** Per-service paths the sandbox serves (PromoStandards); the connector is pointed at the same paths. */
    paths: z.partialRecord(z.enum(PROMOSTANDARDS_SERVICES), z.string().startsWith('/')).optional(),
    /** Which catalog the sandbox carries (a seed of the shared product universe); different seeds, different catalogs. */
    catalogSeed: z.number().int().min(0).optional(),
    /** Seeds the sandbox's fault dice. */
    seed: z.number().int().min(0).optional(),
    /** PromoStandards: also serve an Order Cancel service (not a standard service; harborpromo has its own). */
    cancelService: z.boolean().optional(),
  })
  .strict();

const entrySchema = z
  .object({
    /** Lower case; names the subgraph `supplier-<slug>`, the offer type and every `<SLUG>_*` setting. */
    slug: z.string().regex(/^[a-z][a-z0-9]{1,30}$/, 'lower-case letters and digits, starting with a letter (2-31 characters)'),
    family: z.enum(Object.keys(FAMILIES) as [SupplierFamilyName, ...SupplierFamilyName[]]),
    displayName: z.string().min(1).max(100).regex(/^[^"\\\n]*$/, 'no quotes, backslashes or line breaks (it is written into the schema)'),
    /** Port of its subgraph in the one-machine layout. @default 4201 + its position in the file */
    subgraphPort: z.number().int().min(1).max(65_535).optional(),
    /** Base URL; `<SLUG>_URL` overrides it. Unset (both): the bundled sandbox, when `sandbox` is given. */
    url: z.string().url().optional(),
    /** PromoStandards: one endpoint per service, each a URL or a path under `url`. */
    services: z.partialRecord(z.enum(PROMOSTANDARDS_SERVICES), urlOrPath).optional(),
    /** Credential field → environment variable holding it. A credential-store field of the same name wins. */
    credentials: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), envName).default({}),
    limits: limitsSchema,
    /** Whether the supplier lowers its stock when it accepts an order (docs/orders.md). @default the family's */
    allocatesStockOnAccept: z.boolean().optional(),
    /** Stock poll interval; 0 = not polled. `<SLUG>_POLL_INTERVAL_MS` overrides it. */
    pollIntervalMs: z.number().int().min(0).max(7 * 86_400_000),
    /** SPKI pins (base64 sha256) of its TLS certificates; `<SLUG>_TLS_PINS` overrides them. */
    tlsPins: z.array(z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of a sha256 digest (44 characters)')).optional(),
    /**
     * Largest answer read from this supplier, in bytes: `default` for every operation, or per connector operation
     * (docs/security.md, "Untrusted suppliers"). A larger answer is abandoned unparsed. @default 8 MiB each
     */
    maxAnswerBytes: z
      .object({ default: z.number().int().min(1024).max(256 * 1024 * 1024) })
      .partial()
      .extend({ operations: z.partialRecord(operationName, z.number().int().min(1024).max(256 * 1024 * 1024)).optional() })
      .strict()
      .optional(),
    /** Start the bundled sandbox for this supplier when no URL is configured. Without it, a URL is required. */
    sandbox: sandboxSchema.optional(),
  })
  .strict();

const fileSchema = z.object({ $comment: z.string().optional(), suppliers: z.array(entrySchema).min(1) }).strict();

export type SupplierEntry = z.infer<typeof entrySchema>;
export type SupplierLimitsEntry = z.infer<typeof limitsSchema>;
export type SupplierSandboxEntry = z.infer<typeof sandboxSchema>;

export class SuppliersFileError extends Error {
  override readonly name = 'SuppliersFileError';
}

const where = (file: unknown, path: readonly PropertyKey[]): string => {
  if (path[0] !== 'suppliers' || typeof path[1] !== 'number') return path.map(String).join('.') || '(file)';
  const slug = (file as { suppliers?: { slug?: unknown }[] }).suppliers?.[path[1]]?.slug;
  const rest = path.slice(2).map(String).join('.');
  return `supplier ${typeof slug === 'string' ? `"${slug}"` : `#${path[1] + 1}`}${rest ? ` field ${rest}` : ''}`;
};

/** Validates a parsed suppliers file; errors name the entry (by slug) and the field. */
export function parseSuppliersFile(raw: unknown, source = 'suppliers file'): readonly SupplierEntry[] {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SuppliersFileError(`${source}:\n${parsed.error.issues.map((i) => `  ${where(raw, i.path)}: ${i.message}`).join('\n')}`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of parsed.data.suppliers) {
    const family = FAMILIES[e.family];
    if (seen.has(e.slug)) problems.push(`supplier "${e.slug}": slug used twice`);
    seen.add(e.slug);
    if (family.onlySlug !== undefined && e.slug !== family.onlySlug) problems.push(`supplier "${e.slug}" field family: ${e.family} speaks for supplier "${family.onlySlug}" only`);
    const unknown = Object.keys(e.credentials).filter((f) => !(family.credentialFields as readonly string[]).includes(f));
    if (unknown.length > 0) problems.push(`supplier "${e.slug}" field credentials: ${e.family} takes ${family.credentialFields.join(', ')}, not ${unknown.join(', ')}`);
    if (e.services && e.family !== 'promostandards') problems.push(`supplier "${e.slug}" field services: only PromoStandards suppliers publish per-service endpoints`);
    if ((e.sandbox?.paths || e.sandbox?.cancelService !== undefined || e.sandbox?.catalogSeed !== undefined) && e.family !== 'promostandards') {
      problems.push(`supplier "${e.slug}" field sandbox: paths, cancelService and catalogSeed are PromoStandards sandbox options`);
    }
    if (e.limits.cost && e.family !== 'maplecart-graphql') problems.push(`supplier "${e.slug}" field limits.cost: only cost-based (GraphQL) suppliers have a cost bucket`);
    const relative = Object.entries(e.services ?? {}).filter(([, v]) => v.startsWith('/'));
    if (relative.length > 0 && !e.url && !e.sandbox) problems.push(`supplier "${e.slug}" field services.${relative[0]![0]}: a path needs a base url`);
  }
  if (problems.length > 0) throw new SuppliersFileError(`${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return Object.freeze(parsed.data.suppliers.map((e) => Object.freeze(e)));
}

/** Reads and validates a suppliers file. */
export function readSuppliersFile(path: string): readonly SupplierEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SuppliersFileError(`suppliers file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SuppliersFileError(`suppliers file ${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseSuppliersFile(raw, `suppliers file ${path}`);
}

/** The prefix of a supplier's own settings: `harborpromo` → `HARBORPROMO` (HARBORPROMO_URL, HARBORPROMO_POLL_INTERVAL_MS). */
export const settingPrefixOf = (slug: string): string => slug.toUpperCase();
