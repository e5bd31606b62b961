import { MongoClient } from 'mongodb';
import { registryError } from '../../core/errors.ts';
import { hostOf } from '../host-of.ts';

export interface ConnectMongoOptions {
  /** How long to look for a usable server before startup fails. @default 5000 */
  readonly serverSelectionTimeoutMs?: number;
}

/** Connects, or fails fast with an error naming the host (never the credentials). */
export async function connectMongo(url: string, options: ConnectMongoOptions = {}): Promise<MongoClient> {
  const host = hostOf(url);
  let client: MongoClient;
  try {
    client = new MongoClient(url, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000, appName: 'dropship-graph' });
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
