/**
 * The fixture's four subgraphs in their own process (pinned by the bench to the core the load generator uses):
 * with the answer memo on (serve.ts: the fixture's core must not be what limits the gateways); sends its URLs to
 * the parent, then answers `counters` / `reset` messages over IPC.
 */
import { startFixture } from './fixture/serve.ts';

const fixture = await startFixture({ signingSecret: process.env.BENCH_SIGNING_SECRET!, memo: true });
process.send!({ type: 'urls', urls: fixture.urls });
process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') fixture.reset();
  if (message.type === 'counters') process.send!({ type: 'counters', counters: fixture.counters });
});
process.on('disconnect', () => void fixture.close().then(() => process.exit(0)));
