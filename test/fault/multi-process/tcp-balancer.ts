/**
 * A round-robin TCP balancer for the multi-process suite, as a Kubernetes Service or a cloud load balancer would
 * put several processes of one role behind one address: each new connection goes to the next backend; a backend
 * that refuses the connection (killed) is skipped for the next. Connections already open stay on their backend
 * (HTTP keep-alive, WebSockets), and die with it.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpBalancer {
  readonly port: number;
  readonly url: string;
  /** Connections accepted per backend port. */
  readonly accepted: Map<number, number>;
  /** Sends what went to backend port `from` to `to` from now on (a process started again on another port). */
  replaceBackend(from: number, to: number): void;
  close(): Promise<void>;
}

export async function startTcpBalancer(backendPorts: readonly number[], port = 0): Promise<TcpBalancer> {
  const backends = [...backendPorts];
  let next = 0;
  const accepted = new Map<number, number>();
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    track(client);
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= backends.length) return void client.destroy();
      const backendPort = backends[next++ % backends.length]!;
      const upstream = connect(backendPort, '127.0.0.1');
      track(upstream);
      upstream.once('connect', () => {
        accepted.set(backendPort, (accepted.get(backendPort) ?? 0) + 1);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (upstream.connecting || error.code === 'ECONNREFUSED') tryBackend(attempt + 1);
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as { port: number }).port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    accepted,
    replaceBackend: (from, to) => {
      const i = backends.indexOf(from);
      if (i >= 0) backends[i] = to;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
