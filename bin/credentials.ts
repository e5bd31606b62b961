/**
 * `npm run credentials -- set <supplier> <field> | list | rotate-kek` (platform/secrets/credentials-cli.ts).
 * Needs MONGO_URL (an embedded store would be discarded on exit) and, to seal or re-wrap, SECRETS_KEK.
 */
import { userInfo } from 'node:os';
import { text } from 'node:stream/consumers';
import { createMongoAuditLogStore } from '../adapters/storage/mongo/audit-log.ts';
import { connectMongo } from '../adapters/storage/mongo/connect-mongo.ts';
import { createMongoCredentialStore } from '../adapters/storage/mongo/credential-store.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { CREDENTIALS_USAGE, runCredentialsCli } from '../platform/secrets/credentials-cli.ts';
import { vaultOf } from '../stack/supplier-credentials.ts';
import { parseCli } from './cli.ts';

async function main(): Promise<number> {
  parseCli({
    usage: CREDENTIALS_USAGE.replace(/^usage:\s*/, '').split('\n').map((line) => line.trim().replace(/^usage:\s*/, '')).filter((line) => line !== ''),
    description: "Supplier credentials in the shared MongoDB store, sealed with SECRETS_KEK: set one (value on stdin), list what is stored (never the values), or re-wrap everything under a new key.",
    positionals: true,
    environment: ['MONGO_URL', 'MONGO_DB', 'SECRETS_KEK', 'SECRETS_KEK_PREVIOUS'],
  });
  const config = loadConfig();
  if (!config.mongoUrl) {
    console.error(`MONGO_URL is unset: credentials must go to the shared MongoDB store.\n${CREDENTIALS_USAGE}`);
    return 2;
  }
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'credentials', format: config.logFormat });
  const client = await connectMongo(config.mongoUrl);
  try {
    const db = client.db(config.mongoDb);
    const store = createMongoCredentialStore({ db });
    const auditStore = createMongoAuditLogStore({ db });
    await store.ensureIndexes();
    await auditStore.ensureIndexes();
    const fields = Object.fromEntries(Object.entries(config.suppliers).map(([slug, s]) => [slug, Object.keys(s.credentials)]));
    return await runCredentialsCli(process.argv.slice(2), {
      vault: vaultOf(config, store),
      audit: createAuditLog({ store: auditStore, log }),
      fields,
      actor: `cli:${userInfo().username}`,
      readStdin: async () => {
        if (process.stdin.isTTY) console.error('reading the value from stdin (it is echoed: prefer a pipe); end with Ctrl-D');
        return text(process.stdin);
      },
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    });
  } finally {
    await client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `credentials failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
