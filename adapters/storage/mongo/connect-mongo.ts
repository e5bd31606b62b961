import { MongoClient } from 'mongodb';
import { registryError } from '../../../kernel/errors.ts';
import { hostOf } from '../../store-kit/host-of.ts';

export interface ConnectMongoOptions {
  /**
   * How long an operation (and startup) looks for a usable server before failing with STORE_UNAVAILABLE
   * (MONGO_SERVER_SELECTION_TIMEOUT_MS). While MongoDB is down this is what a read that needs it costs, so it stays
   * well inside the request budget. @default 2000
   */
  readonly serverSelectionTimeoutMs?: number;
  /** TCP connect timeout of each pooled connection. @default 2000 */
  readonly connectTimeoutMs?: number;
  /**
   * How long a socket may stay silent waiting for a reply (MONGO_SOCKET_TIMEOUT_MS): a hung server fails the
   * operation instead of holding it forever. Longer than any single operation of ours. @default 30000
   */
  readonly socketTimeoutMs?: number;
}

/**
 * Connects, or fails fast with an error naming the host (never the credentials). After that the driver reconnects
 * on its own: an operation during an outage fails within the server selection timeout (mongo-errors.ts maps it to
 * STORE_UNAVAILABLE), and the first one after MongoDB is back succeeds — no restart (issue 12).
 */
export async function connectMongo(url: string, options: ConnectMongoOptions = {}): Promise<MongoClient> {
  const host = hostOf(url);
  let client: MongoClient;
  try {
    client = new MongoClient(url, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 2_000,
      connectTimeoutMS: options.connectTimeoutMs ?? 2_000,
      socketTimeoutMS: options.socketTimeoutMs ?? 30_000,
      // Checked every 2 s rather than 10: an outage and a recovery are noticed sooner by /readyz and by waiting reads.
      heartbeatFrequencyMS: 2_000,
      appName: 'dropship-graph',
    });
  } catch (error) {
    // The driver's parse errors can quote the URL: keep only its name.
    throw registryError('MISCONFIGURED', `MongoDB URL for ${host} is invalid`, { operation: 'mongo.connect', details: { host, reason: nameOf(error) } });
  }
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw registryError('STORE_FAILURE', `MongoDB at ${host} is unreachable (${nameOf(error)})`, {
      operation: 'mongo.connect',
      cause: error,
      details: { host },
    });
  }
  return client;
}

/** The database named in the URL path, if any (`mongodb://h/shop` → "shop"). */
export function databaseInUrl(url: string): string | null {
  const match = /^[a-z+]+:\/\/[^/]*\/([^?]+)/i.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}
