import { z } from 'zod';

/**
 * The process configuration: read from the environment once, validated, frozen. Nothing else reads
 * process.env. Every setting is documented in docs/configuration.md.
 */
const optionalUrl = z.string().url().optional();
const port = z.coerce.number().int().min(0).max(65_535);

const schema = z.object({
  HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGO_URL: optionalUrl,
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('dropship'),
  REDIS_URL: optionalUrl,
  KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{0,64}$/).default('dropship:'),
  SUPERGRAPH_PATH: z.string().optional(),
  OFFER_CACHE_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  SUPPLIER_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(15_000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1_000).max(50_000_000).default(1_000_000),
  BRIGHTLINE_URL: optionalUrl,
  BRIGHTLINE_CLIENT_ID: z.string().optional(),
  BRIGHTLINE_CLIENT_SECRET: z.string().optional(),
  HARBORPROMO_URL: optionalUrl,
  HARBORPROMO_ID: z.string().optional(),
  HARBORPROMO_PASSWORD: z.string().optional(),
  MAPLECART_URL: optionalUrl,
  MAPLECART_ACCESS_TOKEN: z.string().optional(),
});

export interface SupplierEndpointConfig {
  readonly url: string | undefined;
  readonly credentials: Readonly<Record<string, string | undefined>>;
}

export interface Config {
  readonly host: string;
  readonly gatewayPort: number;
  readonly logLevel: string;
  readonly mongoUrl: string | undefined;
  readonly mongoDb: string;
  readonly redisUrl: string | undefined;
  readonly keyPrefix: string;
  readonly supergraphPath: string | undefined;
  /** SUBGRAPH_URL_<NAME> (NAME upper-case, '-' as '_'), e.g. SUBGRAPH_URL_SUPPLIER_BRIGHTLINE. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly offerCacheTtlMs: number;
  readonly supplierTimeoutMs: number;
  readonly subgraphTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly suppliers: Readonly<Record<string, SupplierEndpointConfig>>;
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
    logLevel: e.LOG_LEVEL,
    mongoUrl: e.MONGO_URL,
    mongoDb: e.MONGO_DB,
    redisUrl: e.REDIS_URL,
    keyPrefix: e.KEY_PREFIX,
    supergraphPath: e.SUPERGRAPH_PATH,
    subgraphUrls: Object.freeze(subgraphUrls),
    offerCacheTtlMs: e.OFFER_CACHE_TTL_MS,
    supplierTimeoutMs: e.SUPPLIER_TIMEOUT_MS,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    suppliers: Object.freeze({
      brightline: { url: e.BRIGHTLINE_URL, credentials: { clientId: e.BRIGHTLINE_CLIENT_ID, clientSecret: e.BRIGHTLINE_CLIENT_SECRET } },
      harborpromo: { url: e.HARBORPROMO_URL, credentials: { id: e.HARBORPROMO_ID, password: e.HARBORPROMO_PASSWORD } },
      maplecart: { url: e.MAPLECART_URL, credentials: { accessToken: e.MAPLECART_ACCESS_TOKEN } },
    }),
  });
}
