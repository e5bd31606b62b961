import { ConfigError, loadConfig, type Config } from './config.ts';

/**
 * The configuration of a process that serves (`npm start`, `npm run serve -- <role>`): loadConfig plus the rules
 * that only a long-running process with stores needs. Tools and tests that start a stack for a moment use loadConfig.
 *
 * With MONGO_URL set, orders (and supplier credentials) outlive the process, so the key that seals their customer
 * data must outlive it too. Without SECRETS_KEK the orders subgraph would seal with a key made at start
 * (stack/orders.ts) and every order placed would become unreadable — and could not be resumed — after a restart.
 * Embedded runs (MONGO_URL unset) lose their orders on exit anyway, so they keep that per-process key.
 */
export function loadServiceConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const config = loadConfig(env);
  assertDurableKey(config);
  return config;
}

/** The same rule on a configuration already loaded (`serve --help` reads it before knowing it will serve). */
export function assertDurableKey(config: Pick<Config, 'mongoUrl' | 'secrets'>): void {
  const problem = durableKeyProblem(config);
  if (problem) throw new ConfigError(`invalid configuration:\n  ${problem}`);
}

/** Why this configuration would seal stored data with a key that dies with the process; undefined when it would not. */
export function durableKeyProblem(config: Pick<Config, 'mongoUrl' | 'secrets'>): string | undefined {
  if (!config.mongoUrl || config.secrets.kek) return undefined;
  return [
    'SECRETS_KEK: required when MONGO_URL is set. Customer data on orders and stored supplier credentials are sealed',
    'with it; a key made at start would die with the process and leave them unreadable after a restart.',
    'Make one with `openssl rand -base64 32` (or `node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"`),',
    'keep it in your secret store, and set SECRETS_KEK=<id>:<key> in every process (docs/deployment.md, "Secrets").',
  ].join('\n    ');
}
