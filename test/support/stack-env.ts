import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../platform/config.ts';

/**
 * Settings that keep a test stack's background supplier traffic off (no polls, no reconciliation, no fresh offer
 * cache), so every supplier call a test sees is one it caused.
 */
export const NO_BACKGROUND_SYNC: Readonly<Record<string, string>> = {
  OFFER_CACHE_TTL_MS: '0',
  BRIGHTLINE_POLL_INTERVAL_MS: '0',
  HARBORPROMO_POLL_INTERVAL_MS: '0',
  MAPLECART_POLL_INTERVAL_MS: '0',
  RECONCILE_INTERVAL_MS: '0',
};

/**
 * Config for a test's own stack: random ports, and — when the real services are given (MONGO_URL, REDIS_URL) —
 * its own database and key prefix so suites can run in parallel against one server.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const id = randomBytes(4).toString('hex');
  return loadConfig({
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    MONGO_DB: `test_${id}`,
    KEY_PREFIX: `test:${id}:`,
    ...(process.env.MONGO_URL ? { MONGO_URL: process.env.MONGO_URL } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...overrides,
  });
}

export async function postGraphql(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: response.status, json };
}
