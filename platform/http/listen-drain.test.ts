import { describe, expect, it } from 'vitest';
import { listen } from './listen.ts';

const slow = (ms: number) => async (_req: unknown, res: import('node:http').ServerResponse) => {
  await new Promise((r) => setTimeout(r, ms));
  res.writeHead(200, { 'content-type': 'text/plain' }).end('done');
};

// Issue 12: close() cut every open connection at once, so a request in flight at SIGTERM got a socket error.
describe('listen: drain', () => {
  it('lets a request in flight finish (connection: close), refuses new connections meanwhile', async () => {
    const server = await listen({ '/slow': slow(300) }, 0);
    const inFlight = fetch(`${server.url}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const draining = server.drain(5_000);
    await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(`${server.url}/slow`)).rejects.toThrow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.text()).toBe('done');
    expect(await draining).toEqual({ cut: 0 });
  });

  it('cuts what still runs at the drain bound, and says how many', async () => {
    const server = await listen({ '/slow': slow(5_000) }, 0);
    const inFlight = fetch(`${server.url}/slow`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    expect(await server.drain(200)).toEqual({ cut: 1 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await inFlight).toBe('cut');
  });
});
