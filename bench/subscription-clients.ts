/**
 * The client side of `npm run bench:subscriptions`, in its own process so the gateway keeps its core: opens N
 * graphql-transport-ws connections with one subscription each and reports, per event, the delay between the event's
 * `at` (set by the publisher just before publishing) and its arrival. Driven over IPC by bench/subscriptions.ts,
 * which runs several of these so that receiving 10,000 messages per event is not itself the bottleneck: each also
 * reports the CPU time (user + system: socket reads, frame parsing, JSON.parse) it used since `mark`, so a client
 * that cannot keep up shows.
 */
import WebSocket from 'ws';

const [url, countText, query] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const latencies: number[] = [];
const sockets: WebSocket[] = [];
let registered = 0;
let mark = process.cpuUsage();

function open(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { stockChanged?: { at: string } } } };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        registered += 1;
        resolve();
      } else if (message.type === 'next') {
        const at = message.payload?.data?.stockChanged?.at;
        if (at) latencies.push(Date.now() - Date.parse(at));
      }
    });
    socket.on('error', reject);
    sockets.push(socket);
  });
}

process.on('message', async (message: { cmd: string }) => {
  if (message.cmd === 'mark') {
    mark = process.cpuUsage();
  } else if (message.cmd === 'collect') {
    const used = process.cpuUsage(mark);
    process.send!({ latencies: latencies.splice(0), busyMs: Math.round((used.user + used.system) / 1000) });
  } else if (message.cmd === 'close') {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});

for (let i = 0; i < count; i += 500) await Promise.all(Array.from({ length: Math.min(500, count - i) }, open));
process.send!({ ready: registered });
