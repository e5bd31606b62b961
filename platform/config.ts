import { z } from 'zod';
import type { BudgetSettings } from './http/request-budget.ts';
import { supplierLimitsSetting, type SupplierLimitOverride } from './supplier-limits-setting.ts';
import { stockBufferSetting, type StockBufferSetting } from './stock-buffer-setting.ts';
import { authConfigOf, authSettings, type AuthConfig } from './auth/auth-settings.ts';
import { outboundConfigOf, secretsConfigOf, securitySettings, type OutboundConfig, type SecretsConfig } from './security-settings.ts';
import { orderSettings, ordersConfigOf, type OrdersConfig } from './order-settings.ts';
import { pricingSettings, pricingConfigOf, type PricingConfig } from './pricing-settings.ts';
import { orderTrackingSetting, type OrderTrackingSetting } from './tracking-setting.ts';
import { pinListSetting } from './security-settings.ts';
import { wsOriginsSetting } from './ws-origins-setting.ts';
import { tracingConfigOf, tracingSettings, type TracingConfig } from './tracing/tracing-settings.ts';
import { DEFAULT_SUPPLIERS_FILE, SuppliersFileError, readSuppliersFile, settingPrefixOf, type SupplierEntry } from './suppliers-file.ts';

/**
 * The process configuration: read from the environment once, validated, frozen. Nothing else reads
 * process.env. Every setting is documented in docs/configuration.md.
 */
const optionalUrl = z.string().url().optional();
const port = z.coerce.number().int().min(0).max(65_535);
/** A comma-separated list of secrets; empty entries dropped. */
const secretList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0));
/** Milliseconds between runs of a job; 0 turns it off. */
const interval = z.coerce.number().int().min(0).max(7 * 86_400_000);

const schema = z.object({
  HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(4000),
  // One role per process (`npm run serve -- <role>`, docs/architecture.md "Roles"): its port, and its singleton leases.
  PORT: port.optional(),
  LEASE_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  MONGO_URL: optionalUrl,
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('dropship'),
  REDIS_URL: optionalUrl,
  KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{0,64}$/).default('dropship:'),
  // Stores fail fast (issue 12, docs/configuration.md "Stores").
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  MONGO_SERVER_SELECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  MONGO_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  SUPERGRAPH_PATH: z.string().optional(),
  OFFER_CACHE_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  SUPPLIER_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
  // One time budget per request (docs/architecture.md, "Time budget of a request").
  REQUEST_BUDGET_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  REQUEST_BUDGET_MAX_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  REQUEST_BUDGET_RESERVE_MS: z.coerce.number().int().min(0).max(10_000).default(300),
  SUBGRAPH_TIMEOUT_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  // How long a stopping process lets in-flight HTTP requests finish (docs/configuration.md, "Shutdown").
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1_000).max(50_000_000).default(1_000_000),
  SUPPLIER_LIMITS: supplierLimitsSetting,
  STOCK_BUFFER: stockBufferSetting,
  APOLLO_TELEMETRY: z.enum(['on', 'off']).default('off'),
  // Gateway speed options (docs/benchmarks.md, "Gateway speed"; docs/configuration.md).
  GATEWAY_SUBGRAPH_POOL: z.enum(['on', 'off']).default('off'),
  GATEWAY_DEDUP: z.enum(['on', 'off']).default('off'),
  GATEWAY_EXECUTOR: z.enum(['apollo', 'fast']).default('fast'),
  GATEWAY_INPROCESS_SUBGRAPHS: z.enum(['on', 'off']).default('off'),
  // Adaptive admission of operations (platform/http/admission-gate.ts; docs/configuration.md "Admission").
  GATEWAY_ADMISSION: z.enum(['adaptive', 'off']).default('adaptive'),
  GATEWAY_ADMISSION_MIN: z.coerce.number().int().min(1).max(10_000).default(4),
  GATEWAY_ENTITY_CACHE: z.enum(['on', 'off']).default('off'),
  GATEWAY_ENTITY_CACHE_TTL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
  // Browser pages allowed to open live subscriptions (docs/subscriptions.md, "Origins").
  WS_ALLOWED_ORIGINS: wsOriginsSetting,
  // The order tracking loop's schedule (platform/tracking-setting.ts, docs/orders.md "Tracking at scale").
  ORDER_TRACKING: orderTrackingSetting,
  SUPPLIER_BREAKER_OPEN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  // The suppliers (platform/suppliers-file.ts); each entry's own <SLUG>_* settings are read in suppliersOf below.
  SUPPLIERS_FILE: z.string().min(1).default(DEFAULT_SUPPLIERS_FILE),
  // Inventory sync (docs/inventory-sync.md): webhook secrets (<SLUG>_WEBHOOK_SECRETS) are comma-separated.
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(300),
  WEBHOOK_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(10_000_000).default(262_144),
  WEBHOOK_RETENTION_HOURS: z.coerce.number().min(1).max(24 * 30).default(72),
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  WEBHOOK_APPLY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(1),
  RECONCILE_INTERVAL_MS: interval.default(21_600_000),
  RECONCILE_THRESHOLD_UNITS: z.coerce.number().int().min(1).default(3),
  RECONCILE_THRESHOLD_RATIO: z.coerce.number().min(0).max(1).default(0.1),
  RECONCILE_RETENTION_DAYS: z.coerce.number().min(1).max(3_650).default(30),
  RESERVATION_RETENTION_DAYS: z.coerce.number().min(1).max(3_650).default(7),
  // Authentication, scopes, operation limits and partner rate limits (docs/security.md).
  ...authSettings,
  // Outbound TLS policy and supplier credentials at rest (docs/security.md).
  ...securitySettings,
  // Order routing policy and outbound order webhooks (docs/orders.md).
  ...orderSettings,
  // Store currency, exchange rates and pricing rules (docs/storefront.md "Prices").
  ...pricingSettings,
  // OpenTelemetry traces: the standard OTEL_* settings (docs/configuration.md, "Traces").
  ...tracingSettings,
});

export interface SupplierEndpointConfig {
  /** `<SLUG>_URL`, else the entry's `url`; undefined = its bundled sandbox. */
  readonly url: string | undefined;
  /** Each credential field, read from the environment variable the entry names. */
  readonly credentials: Readonly<Record<string, string | undefined>>;
}

export interface Config {
  readonly host: string;
  readonly gatewayPort: number;
  /** PORT: where a role started by `serve <role>` listens; unset: the role's one-machine default (docs/configuration.md). */
  readonly port: number | undefined;
  /** LEASE_TTL_MS: how long a `jobs` process's singleton lease lasts unrenewed; a dead holder's work moves on within it plus a third. */
  readonly leaseTtlMs: number;
  readonly logLevel: string;
  /** `auto`: human-readable lines (pino-pretty) when stdout is a terminal, JSON otherwise. */
  readonly logFormat: 'auto' | 'json' | 'pretty';
  readonly mongoUrl: string | undefined;
  readonly mongoDb: string;
  readonly redisUrl: string | undefined;
  readonly keyPrefix: string;
  /** REDIS_COMMAND_TIMEOUT_MS, MONGO_SERVER_SELECTION_TIMEOUT_MS, MONGO_SOCKET_TIMEOUT_MS: how soon a store outage fails a call. */
  readonly storeTimeouts: { readonly redisCommandMs: number; readonly mongoServerSelectionMs: number; readonly mongoSocketMs: number };
  readonly supergraphPath: string | undefined;
  /** SUBGRAPH_URL_<NAME> (NAME upper-case, '-' as '_'), e.g. SUBGRAPH_URL_SUPPLIER_BRIGHTLINE. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly offerCacheTtlMs: number;
  readonly supplierTimeoutMs: number;
  /** REQUEST_BUDGET_*, SUBGRAPH_TIMEOUT_GRACE_MS: each request's time budget, the cap on asks, the reserve, the grace. */
  readonly budget: BudgetSettings;
  /** SHUTDOWN_DRAIN_MS: on SIGTERM, how long in-flight HTTP requests may take to finish before their connections are cut. */
  readonly shutdownDrainMs: number;
  readonly maxBodyBytes: number;
  /** SUPPLIERS_FILE: where the supplier entries were read from. */
  readonly suppliersFile: string;
  /** Every supplier of this deployment, in file order, validated (platform/suppliers-file.ts). */
  readonly supplierEntries: readonly SupplierEntry[];
  /** Where each supplier is reached and its credentials from the environment, by slug. */
  readonly suppliers: Readonly<Record<string, SupplierEndpointConfig>>;
  /** SUPPLIER_LIMITS: overrides of the published limits in stack/supplier-limits.ts, by supplier slug. */
  readonly supplierLimits: Readonly<Record<string, SupplierLimitOverride>>;
  /** STOCK_BUFFER: units never sold, by default / supplier / product. */
  readonly stockBuffer: StockBufferSetting;
  /** APOLLO_TELEMETRY=on lets @apollo/gateway report usage to Apollo (off by default: nothing leaves unasked). */
  readonly apolloTelemetry: boolean;
  /**
   * GATEWAY_SUBGRAPH_POOL, GATEWAY_DEDUP: the gateway's speed options (gateway/create-gateway.ts, GatewaySpeedOptions);
   * GATEWAY_INPROCESS_SUBGRAPHS: subgraphs in the gateway's process called in process (stack/start-stack.ts);
   * GATEWAY_EXECUTOR: `apollo` (the library's query-plan executor) or `fast` (gateway/plan-executor/);
   * GATEWAY_ADMISSION, GATEWAY_ADMISSION_MIN: adaptive admission (`admission` absent when off).
   */
  readonly gatewaySpeed: {
    readonly subgraphPool: boolean;
    readonly dedup: boolean;
    readonly inProcessSubgraphs: boolean;
    readonly executor: 'apollo' | 'fast';
    readonly admission?: { readonly minLimit: number };
  };
  /** GATEWAY_ENTITY_CACHE, GATEWAY_ENTITY_CACHE_TTL_MS: catalog entities cached in the gateway (stack/gateway-entity-cache.ts). */
  readonly gatewayEntityCache: { readonly enabled: boolean; readonly ttlMs: number };
  /** How long a supplier's open circuit stays open before a probe. */
  readonly supplierBreakerOpenMs: number;
  /** How long reservations that ended without an order are kept (then purged with their idempotency keys). */
  readonly reservationRetentionMs: number;
  readonly inventorySync: InventorySyncConfig;
  /** Partner access: authentication, gateway → subgraph trust, operation and rate limits (docs/security.md). */
  readonly auth: AuthConfig;
  /** WS_ALLOWED_ORIGINS: browser origins allowed to open live subscriptions, or `*` (AUTH_MODE=dev: loopback only). */
  readonly wsAllowedOrigins: readonly string[];
  /** HTTPS-only supplier calls, TLS pins (docs/security.md). */
  readonly outbound: OutboundConfig;
  /** Key-encryption keys of the supplier credential store (docs/security.md). */
  readonly secrets: SecretsConfig;
  /** Routing policy and merchant webhook endpoints (docs/orders.md). */
  readonly orders: OrdersConfig;
  /** STORE_CURRENCY, PRICING_FX_RATES, PRICING_RULES: sell prices (docs/storefront.md "Prices"). */
  readonly pricing: PricingConfig;
  /** ORDER_TRACKING: the tracking loop's schedule over its defaults (subgraphs/orders/tracking-loop.ts). */
  readonly orderTracking: OrderTrackingSetting;
  /** OTEL_*: OpenTelemetry traces; off unless an OTLP endpoint is set (platform/tracing/). */
  readonly tracing: TracingConfig;
}

/** Push, pull and reconciliation of supplier stock (docs/inventory-sync.md). */
export interface InventorySyncConfig {
  /** Active webhook secrets per supplier slug; several during a rotation. */
  readonly webhookSecrets: Readonly<Record<string, readonly string[]>>;
  readonly webhookToleranceSeconds: number;
  readonly webhookMaxBodyBytes: number;
  /** How long delivery ids are kept for dedupe: longer than any supplier's retry horizon. */
  readonly webhookRetentionMs: number;
  readonly webhookLeaseMs: number;
  /** Stock writes the ingest worker keeps in flight; low, so acknowledgements never queue behind a backlog. */
  readonly webhookApplyConcurrency: number;
  /** Poll interval per supplier slug; 0 = not polled. */
  readonly pollIntervalMs: Readonly<Record<string, number>>;
  /** 0 = no scheduled runs (`npm run reconcile` still works). */
  readonly reconcileIntervalMs: number;
  readonly reconcileThresholds: { readonly units: number; readonly ratio: number };
  readonly reconcileRetentionMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const auth = authConfigOf(e);
  if (Array.isArray(auth)) throw new ConfigError(`invalid configuration:\n${auth.map((p) => `  ${p}`).join('\n')}`);
  if (e.REQUEST_BUDGET_MAX_MS < e.REQUEST_BUDGET_MS) throw new ConfigError('invalid configuration:\n  REQUEST_BUDGET_MAX_MS: must be at least REQUEST_BUDGET_MS');
  if (e.REQUEST_BUDGET_RESERVE_MS >= e.REQUEST_BUDGET_MS) throw new ConfigError('invalid configuration:\n  REQUEST_BUDGET_RESERVE_MS: must be less than REQUEST_BUDGET_MS');
  const suppliers = suppliersOf(e.SUPPLIERS_FILE, env);
  const unknownLimits = Object.keys(e.SUPPLIER_LIMITS).filter((slug) => !suppliers.entries.some((s) => s.slug === slug));
  if (unknownLimits.length > 0) throw new ConfigError(`invalid configuration:\n  SUPPLIER_LIMITS: names suppliers not in ${e.SUPPLIERS_FILE}: ${unknownLimits.join(', ')}`);
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('SUBGRAPH_URL_') || !value) continue;
    const url = z.string().url().safeParse(value);
    if (!url.success) throw new ConfigError(`invalid configuration:\n  ${key}: not a URL`);
    subgraphUrls[key.slice('SUBGRAPH_URL_'.length).toLowerCase().replaceAll('_', '-')] = url.data;
  }
  return Object.freeze({
    host: e.HOST,
    gatewayPort: e.GATEWAY_PORT,
    port: e.PORT,
    leaseTtlMs: e.LEASE_TTL_MS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    mongoUrl: e.MONGO_URL,
    mongoDb: e.MONGO_DB,
    redisUrl: e.REDIS_URL,
    keyPrefix: e.KEY_PREFIX,
    storeTimeouts: Object.freeze({ redisCommandMs: e.REDIS_COMMAND_TIMEOUT_MS, mongoServerSelectionMs: e.MONGO_SERVER_SELECTION_TIMEOUT_MS, mongoSocketMs: e.MONGO_SOCKET_TIMEOUT_MS }),
    supergraphPath: e.SUPERGRAPH_PATH,
    subgraphUrls: Object.freeze(subgraphUrls),
    offerCacheTtlMs: e.OFFER_CACHE_TTL_MS,
    supplierTimeoutMs: e.SUPPLIER_TIMEOUT_MS,
    budget: Object.freeze({ defaultMs: e.REQUEST_BUDGET_MS, maxMs: e.REQUEST_BUDGET_MAX_MS, reserveMs: e.REQUEST_BUDGET_RESERVE_MS, graceMs: e.SUBGRAPH_TIMEOUT_GRACE_MS }),
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    supplierLimits: Object.freeze(e.SUPPLIER_LIMITS),
    stockBuffer: Object.freeze(e.STOCK_BUFFER),
    apolloTelemetry: e.APOLLO_TELEMETRY === 'on',
    gatewaySpeed: Object.freeze({ subgraphPool: e.GATEWAY_SUBGRAPH_POOL === 'on', dedup: e.GATEWAY_DEDUP === 'on', inProcessSubgraphs: e.GATEWAY_INPROCESS_SUBGRAPHS === 'on', executor: e.GATEWAY_EXECUTOR, ...(e.GATEWAY_ADMISSION === 'adaptive' ? { admission: Object.freeze({ minLimit: e.GATEWAY_ADMISSION_MIN }) } : {}) }),
    gatewayEntityCache: Object.freeze({ enabled: e.GATEWAY_ENTITY_CACHE === 'on', ttlMs: e.GATEWAY_ENTITY_CACHE_TTL_MS }),
    supplierBreakerOpenMs: e.SUPPLIER_BREAKER_OPEN_MS,
    reservationRetentionMs: Math.round(e.RESERVATION_RETENTION_DAYS * 86_400_000),
    suppliersFile: e.SUPPLIERS_FILE,
    supplierEntries: suppliers.entries,
    suppliers: suppliers.endpoints,
    inventorySync: Object.freeze({
      webhookSecrets: suppliers.webhookSecrets,
      webhookToleranceSeconds: e.WEBHOOK_TOLERANCE_SECONDS,
      webhookMaxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
      webhookRetentionMs: Math.round(e.WEBHOOK_RETENTION_HOURS * 3_600_000),
      webhookLeaseMs: e.WEBHOOK_LEASE_MS,
      webhookApplyConcurrency: e.WEBHOOK_APPLY_CONCURRENCY,
      pollIntervalMs: suppliers.pollIntervalMs,
      reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
      reconcileThresholds: Object.freeze({ units: e.RECONCILE_THRESHOLD_UNITS, ratio: e.RECONCILE_THRESHOLD_RATIO }),
      reconcileRetentionMs: Math.round(e.RECONCILE_RETENTION_DAYS * 86_400_000),
    }),
    auth,
    wsAllowedOrigins: Object.freeze(e.WS_ALLOWED_ORIGINS),
    outbound: Object.freeze({ ...outboundConfigOf(e), tlsPins: suppliers.tlsPins }),
    secrets: secretsConfigOf(e),
    orders: ordersConfigOf(e),
    // The embedded demo (every supplier on its bundled sandbox, PRICING_FX_RATES unset) gets the dated demo CAD rate.
    pricing: pricingConfigOf(e, Object.values(suppliers.endpoints).every((s) => s.url === undefined)),
    orderTracking: e.ORDER_TRACKING,
    tracing: tracingConfigOf(e),
  });
}

/**
 * The suppliers file, and each entry's own settings from the environment: `<SLUG>_URL`, `<SLUG>_POLL_INTERVAL_MS`,
 * `<SLUG>_WEBHOOK_SECRETS`, `<SLUG>_TLS_PINS` (override the entry), and the credential variables the entry names.
 */
function suppliersOf(file: string, env: Readonly<Record<string, string | undefined>>) {
  let entries: readonly SupplierEntry[];
  try {
    entries = readSuppliersFile(file);
  } catch (error) {
    if (error instanceof SuppliersFileError) throw new ConfigError(`invalid configuration:\n  SUPPLIERS_FILE: ${error.message}`);
    throw error;
  }
  const problems: string[] = [];
  const read = <T>(name: string, setting: z.ZodType<T>): T | undefined => {
    const parsed = setting.safeParse(env[name]);
    if (parsed.success) return parsed.data;
    problems.push(`  ${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    return undefined;
  };
  const endpoints: Record<string, SupplierEndpointConfig> = {};
  const pollIntervalMs: Record<string, number> = {};
  const webhookSecrets: Record<string, readonly string[]> = {};
  const tlsPins: Record<string, readonly string[]> = {};
  for (const entry of entries) {
    const prefix = settingPrefixOf(entry.slug);
    const url = read(`${prefix}_URL`, optionalUrl) ?? entry.url;
    if (!url && !entry.sandbox) problems.push(`  ${prefix}_URL: supplier "${entry.slug}" has no url in ${file} nor here, and no bundled sandbox`);
    const credentials = Object.freeze(Object.fromEntries(Object.entries(entry.credentials).map(([field, variable]) => [field, env[variable] || undefined])));
    endpoints[entry.slug] = Object.freeze({ url, credentials });
    pollIntervalMs[entry.slug] = read(`${prefix}_POLL_INTERVAL_MS`, interval.optional()) ?? entry.pollIntervalMs;
    webhookSecrets[entry.slug] = Object.freeze(read(`${prefix}_WEBHOOK_SECRETS`, secretList) ?? []);
    const pins = read(`${prefix}_TLS_PINS`, pinListSetting) ?? [];
    tlsPins[entry.slug] = Object.freeze(pins.length > 0 ? pins : [...(entry.tlsPins ?? [])]);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return {
    entries,
    endpoints: Object.freeze(endpoints),
    pollIntervalMs: Object.freeze(pollIntervalMs),
    webhookSecrets: Object.freeze(webhookSecrets),
    tlsPins: Object.freeze(tlsPins),
  };
}
