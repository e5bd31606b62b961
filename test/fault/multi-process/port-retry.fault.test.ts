/**
 * The multi-process suites choose each role process's port free (freePort) before the child binds it; another process
 * can take it in between (EADDRINUSE, seen once in CI). startRoleProcessOnPort starts the child again on another free
 * port. Here the chosen port is taken on purpose before the start: a real `serve catalog` child (embedded stores).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllRoleProcesses, RoleStartError, startRoleProcessOnPort, type RoleProcess } from './role-process.ts';

const env = (): Record<string, string> => ({
  HOST: '127.0.0.1',
  AUTH_MODE: 'dev',
  LOG_LEVEL: 'info',
  GATEWAY_SIGNING_SECRET: randomBytes(32).toString('base64url'),
});

describe('a role process whose chosen port is taken before it binds', () => {
  let taken: Server;
  let takenPort: number;
  const started: RoleProcess[] = [];

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const p of started) await p.kill();
    await killAllRoleProcesses();
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  }, 30_000);

  it('starts on another free port, and says so to whoever routes to it', { timeout: 90_000 }, async () => {
    const moves: [number, number][] = [];
    const catalog = await startRoleProcessOnPort('catalog', 'catalog', env(), { port: takenPort, movable: true, moved: (from, to) => moves.push([from, to]) }, 60_000);
    started.push(catalog);
    const port = Number(new URL(catalog.url).port);
    expect(port).not.toBe(takenPort);
    expect(moves).toEqual([[takenPort, port]]);
    // It is the catalog role answering there (liveness), not the process holding the taken port.
    const health = await fetch(new URL('/healthz', catalog.url));
    expect(health.status).toBe(200);
    // A role with a subgraph answers /healthz from its subgraph server (subgraphs/serve.ts), naming the subgraph.
    expect(await health.json()).toMatchObject({ status: 'ok', subgraph: 'catalog' });
  });

  it('does not move a port something was already given: the start fails, saying the address was in use', { timeout: 90_000 }, async () => {
    const moves: [number, number][] = [];
    const start = startRoleProcessOnPort('catalog', 'catalog', env(), { port: takenPort, movable: false, moved: (from, to) => moves.push([from, to]) }, 60_000);
    const error = await start.then(
      (p) => {
        started.push(p);
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RoleStartError);
    expect((error as RoleStartError).addressInUse).toBe(true);
    expect(moves).toEqual([]);
  });
});
