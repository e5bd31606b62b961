/**
 * `npm run tokens -- issue|list|revoke`: partners' API tokens, straight in MongoDB (docs/security.md). Whoever can
 * run this with MONGO_URL holds the database credentials, which is more than the `admin` scope; with a running
 * gateway, the `issueApiToken` / `apiTokens` / `revokeApiToken` operations do the same under the `admin` scope.
 *
 *   npm run tokens -- issue --tenant acme --class partner --scopes catalog:read,inventory:read [--suppliers maplecart] [--label "Acme app"] [--expires-in-days 90]
 *   npm run tokens -- issue --tenant myshop --class storefront [--scopes catalog:read,inventory:read,orders:write]
 *   npm run tokens -- list [--tenant acme] [--all]
 *   npm run tokens -- revoke tok_…
 *
 * With REDIS_URL set, a revoke is also published as `token.revoked` on the event bus the gateways listen on, so
 * the token's open subscription sockets close within seconds (docs/subscriptions.md), as with `revokeApiToken`.
 */
import { userInfo } from 'node:os';
import { createMongoAuditLogStore } from '../adapters/storage/mongo/audit-log.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { createLogger } from '../platform/logger.ts';
import { connectMongo, databaseInUrl } from '../adapters/storage/mongo/connect-mongo.ts';
import { createMongoTokenStore } from '../adapters/storage/mongo/token-store.ts';
import { createRedisEventBus } from '../adapters/events/redis-event-bus.ts';
import { connectRedis } from '../adapters/redis/redis-client.ts';
import type { Logger } from '../platform/logger.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';
import type { Config } from '../platform/config.ts';
import { withRevocationEvents } from '../stack/token-revocation-events.ts';
import { KNOWN_SCOPES } from '../platform/auth/principal.ts';
import { CLASS_SCOPES, inferredTokenClass, TOKEN_CLASSES } from '../platform/auth/token-class.ts';
import { loadConfig, ConfigError } from '../platform/config.ts';
import { isRegistryError } from '../kernel/errors.ts';
import type { ApiTokenRecord } from '../platform/ports/token-store.ts';
import { createTokenService } from '../subgraphs/access/token-service.ts';
import { parseCli } from './cli.ts';

const USAGE = `usage:
  npm run tokens -- issue --tenant <tenant> [--class storefront|partner|operator] [--scopes <scope,...>] [--suppliers <slug,...>] [--label <text>] [--expires-in-days <n>]
  npm run tokens -- list [--tenant <tenant>] [--all]
  npm run tokens -- revoke <token id>
scopes: ${KNOWN_SCOPES.join(', ')}
classes: ${TOKEN_CLASSES.map((c) => `${c} (${CLASS_SCOPES[c].allowed.includes('admin') ? 'may hold admin' : 'never admin'}; default scopes ${CLASS_SCOPES[c].defaults.join(',')})`).join('; ')}
without --class: operator when --scopes holds admin, else partner; one of --class and --scopes is needed`;

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

function describe(t: ApiTokenRecord): string {
  const state = t.revokedAt ? `revoked ${t.revokedAt}` : t.expiresAt ? `expires ${t.expiresAt}` : 'no expiry';
  return `${t.id}  …${t.hint}  tenant=${t.tenant}  class=${t.tokenClass ?? `${inferredTokenClass(t.scopes)} (inferred)`}  scopes=${t.scopes.join(',')}${t.suppliers ? `  suppliers=${t.suppliers.join(',')}` : ''}  ${state}${t.label ? `  "${t.label}"` : ''}`;
}

/**
 * The gateways' event bus, for `revoke` only; null without REDIS_URL (embedded gateways share no bus with this
 * process) or when Redis does not answer: the revocation is stored either way, and the sockets then close at their
 * next connection_init instead (said on stderr).
 */
async function openEvents(config: Config, log: Logger): Promise<EventBus | null> {
  if (!config.redisUrl) return null;
  try {
    const timeouts = { commandTimeoutMs: config.storeTimeouts.redisCommandMs };
    const publisher = await connectRedis(config.redisUrl, log, 'tokens-publisher', timeouts);
    // The bus wants a dedicated subscriber connection; this process never subscribes, so it stays idle.
    const subscriber = await connectRedis(config.redisUrl, log, 'tokens-subscriber', timeouts).catch((error: unknown) => {
      publisher.disconnect();
      throw error;
    });
    return createRedisEventBus({ publisher, subscriber, keyPrefix: config.keyPrefix, log });
  } catch (error) {
    console.error(`warning: Redis did not answer (${error instanceof Error ? error.message : String(error)}); the revocation is stored, open subscriptions of the token close when they reconnect`);
    return null;
  }
}

async function main(): Promise<void> {
  const parsed = parseCli({
    usage: USAGE.split('\n').slice(1, 4).map((line) => line.trim()),
    description: `API tokens of storefronts, partners and operators, straight in MongoDB (MONGO_URL; docs/security.md, "Token classes"). The token is shown once. With REDIS_URL, a revoke also closes the token's open subscriptions. Scopes: ${KNOWN_SCOPES.join(', ')}.`,
    positionals: true,
    options: {
      tenant: { type: 'string', description: 'the partner tenant' },
      class: { type: 'string', description: 'token class: storefront, partner or operator (issue; docs/security.md, "Token classes")' },
      scopes: { type: 'string', description: 'comma-separated scopes (issue; default: the class\'s)' },
      suppliers: { type: 'string', description: 'comma-separated supplier slugs the token is restricted to (issue)' },
      label: { type: 'string', description: 'a label to recognise the token by (issue)' },
      'expires-in-days': { type: 'string', description: 'lifetime in days (issue; default: no expiry)' },
      all: { type: 'boolean', description: 'also list revoked tokens (list)' },
    },
    environment: ['MONGO_URL', 'MONGO_DB', 'REDIS_URL'],
  });
  const positionals = parsed.positionals;
  const values = parsed.values as { tenant?: string; class?: string; scopes?: string; suppliers?: string; label?: string; 'expires-in-days'?: string; all?: boolean };
  const [command, id] = positionals;
  if (!command || !['issue', 'list', 'revoke'].includes(command)) throw new UsageError(USAGE);
  const config = loadConfig();
  // Embedded mode keeps tokens in the running process's memory, out of this process's reach.
  if (!config.mongoUrl) throw new UsageError('MONGO_URL is unset: API tokens live in the running process; use the issueApiToken mutation with an admin token (or AUTH_MODE=dev on loopback)');
  const client = await connectMongo(config.mongoUrl);
  let events: EventBus | null = null;
  try {
    const db = client.db(config.mongoDb ?? databaseInUrl(config.mongoUrl) ?? 'dropship');
    const tokens = createMongoTokenStore({ db });
    await tokens.ensureIndexes();
    const auditStore = createMongoAuditLogStore({ db });
    await auditStore.ensureIndexes();
    const log = createLogger({ level: config.logLevel, name: 'tokens', format: config.logFormat });
    const audit = createAuditLog({ store: auditStore, log });
    events = command === 'revoke' ? await openEvents(config, log) : null;
    // The same wrapper as the stack's access subgraph: the revocation is stored, then published.
    const store = events === null ? tokens : withRevocationEvents(tokens, events, log);
    const service = createTokenService({ tokens: store, knownSuppliers: config.supplierEntries.map((s) => s.slug), audit });
    const by = { actor: `cli:${userInfo().username}`, subject: 'cli' };
    if (command === 'issue') {
      if (!values.tenant || (!values.scopes && !values.class)) throw new UsageError(USAGE);
      const days = values['expires-in-days'] === undefined ? null : Number(values['expires-in-days']);
      const issued = await service.issue({ tenant: values.tenant, tokenClass: values.class ?? null, scopes: list(values.scopes) ?? null, suppliers: list(values.suppliers) ?? null, label: values.label ?? null, expiresInDays: days }, by);
      console.error(`issued ${describe(issued.record)}\nthe token is shown once; store it now:`);
      console.log(issued.token);
    } else if (command === 'list') {
      const found = await service.list({ ...(values.tenant ? { tenant: values.tenant } : {}), includeRevoked: values.all ?? false });
      for (const t of found) console.log(describe(t));
      if (found.length === 0) console.error('no tokens');
    } else {
      if (!id) throw new UsageError(USAGE);
      const revoked = await service.revoke(id, by);
      if (!revoked) throw new UsageError(`no token ${id}`);
      console.log(`revoked ${describe(revoked)}`);
    }
  } finally {
    await events?.close();
    await client.close();
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
  else if (isRegistryError(error) && error.errorClass === 'logical') console.error(`${error.code}: ${error.message}`);
  else console.error('tokens failed:', error);
  process.exit(1);
});
