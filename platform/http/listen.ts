import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './body.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts';
import { CODE } from '../../kernel/errors.ts';

export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops at once: open connections are cut. */
  close(): Promise<void>;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `drainMs` (their responses say
   * `connection: close`, idle keep-alive connections are closed at once), then cuts what is left. Resolves with how
   * many requests were still running when the drain bound ran out.
   */
  drain(drainMs: number): Promise<{ cut: number }>;
}

/** A route keyed `/prefix/*` serves every path under `/prefix/` that has no exact route of its own. */
function prefixRoute(routes: Record<string, Route>, path: string): Route | undefined {
  for (const [key, route] of Object.entries(routes)) {
    if (key.endsWith('/*') && path.startsWith(key.slice(0, -1))) return route;
  }
  return undefined;
}

/**
 * Starts a node:http server routing by exact path (or `/prefix/*`); unknown paths get a JSON 404. Port 0 picks a
 * free port.
 */
export async function listen(routes: Record<string, Route>, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  // Responses not yet finished; while draining, a keep-alive client must not send its next request here, so each is
  // told `connection: close` (it reconnects, elsewhere).
  const open = new Set<ServerResponse>();
  let closing = false;
  const server = createServer((req, res) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    if (closing) res.setHeader('connection', 'close');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes[path] ?? prefixRoute(routes, path);
    if (!route) return sendJson(res, 404, { error: `no route ${path}` });
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      if (!res.headersSent) {
        const requestId = requestIdOf(req);
        res.setHeader(REQUEST_ID_HEADER, requestId);
        sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: CODE.INTERNAL, requestId } }] });
      }
      else res.destroy(error instanceof Error ? error : undefined);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const drain = async (drainMs: number): Promise<{ cut: number }> => {
    closing = true;
    for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive sockets go now; a socket whose request is running goes when its response is sent.
    const deadline = performance.now() + drainMs;
    while (open.size > 0 && performance.now() < deadline) {
      server.closeIdleConnections();
      await new Promise((r) => setTimeout(r, 20));
    }
    const cut = open.size;
    server.closeAllConnections();
    await closed;
    return { cut };
  };
  return {
    server,
    port: actual,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`,
    close: async () => {
      await drain(0);
    },
    drain,
  };
}
