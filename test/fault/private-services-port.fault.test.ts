/**
 * A private Redis (test/fault/private-services.ts) is started on a port chosen free; another process can take the port
 * before redis-server binds it. The first start then moves to another free port instead of failing, or worse, taking
 * the other process's server for its own. Here the first port tried is taken on purpose.
 */
import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateService } from './private-services.ts';

describe('a private Redis whose chosen port is taken', () => {
  let taken: Server;
  let takenPort: number;
  let redis: PrivateService | undefined;

  beforeAll(async () => {
    taken = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await redis?.close();
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  }, 30_000);

  it('starts on another free port and answers there; stop and start keep that port', { timeout: 60_000 }, async () => {
    redis = await startPrivateRedis({ port: takenPort });
    expect(redis.port).not.toBe(takenPort);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const ping = async () => {
      const client = new Redis(redis!.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        return await client.ping();
      } finally {
        client.disconnect();
      }
    };
    expect(await ping()).toBe('PONG');
    await redis.stop();
    await redis.start();
    expect(await ping()).toBe('PONG');
  });
});
