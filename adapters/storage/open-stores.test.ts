import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { silentLogger } from '../../platform/logger.ts';
import { expectRegistryCode } from '../../test/contract/registry-error-assert.ts';
import { hostOf } from '../store-kit/host-of.ts';
import { openStores } from './open-stores.ts';

/** A loopback port with nothing listening: bind port 0, note it, close. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('openStores against unreachable servers', () => {
  it('fails fast for Redis, naming the host and never the password', async () => {
    const port = await deadPort();
    const error = await expectRegistryCode(openStores({ redisUrl: `redis://:hunter2@127.0.0.1:${port}` }, silentLogger()), 'STORE_FAILURE');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain('hunter2');
  });

  it('fails within the server selection timeout for MongoDB, naming the host and never the credentials', async () => {
    const port = await deadPort();
    const started = Date.now();
    const error = await expectRegistryCode(
      openStores({ mongoUrl: `mongodb://admin:hunter2@127.0.0.1:${port}/shop` }, silentLogger()),
      'STORE_FAILURE',
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('admin');
  });
});

describe('hostOf', () => {
  it('keeps the host list and drops credentials, paths and options', () => {
    expect(hostOf('mongodb://u:p@a.example:27017,b.example:27018/db?replicaSet=rs0')).toBe('a.example:27017,b.example:27018');
    expect(hostOf('redis://:secret@cache.internal:6380/2')).toBe('cache.internal:6380');
    expect(hostOf('mongodb+srv://user:pw@cluster0.example.net/')).toBe('cluster0.example.net');
    expect(hostOf('nonsense')).toBe('(unparseable URL)');
  });
});
