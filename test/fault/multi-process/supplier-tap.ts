/**
 * An HTTP pass-through that records each request it forwards and the status it answered: one in front of each
 * supplier sandbox per `jobs` process (the suite counts at the supplier's side which process polled when), and one
 * between the sandboxes and the ingests' balancer (which webhook deliveries we acknowledged).
 */
import { createServer, request, type Server } from 'node:http';

export interface TappedRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The answer's status once it came (0: the connection failed). */
  status: number | null;
}

export interface SupplierTap {
  readonly url: string;
  readonly requests: TappedRequest[];
  close(): Promise<void>;
}

export async function startSupplierTap(target: string): Promise<SupplierTap> {
  const upstream = new URL(target);
  const requests: TappedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const seen: TappedRequest = { at: Date.now(), method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, status: null };
    requests.push(seen);
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        seen.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => {
      seen.status = 0;
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(forwarded);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname === '/' ? '' : upstream.pathname}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
