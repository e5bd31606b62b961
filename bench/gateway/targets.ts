/**
 * The gateways `npm run bench:gateway` runs side by side: the plain-library baseline, this gateway as
 * `npm run gateway` (bin/gateway.ts) starts it in AUTH_MODE=dev, and the same with each speed option on.
 */
export interface Target {
  readonly name: string;
  /** The entry file, relative to the repository root. */
  readonly entry: string;
  readonly path: string;
  env(at: { port: number; supergraphPath: string; secret: string; keyPrefix: string }): Record<string, string>;
}

const ours = (name: string, options: Record<string, string>): Target => ({
  name,
  entry: 'bench/gateway/ours.ts',
  path: '/graphql',
  env: ({ port, supergraphPath, secret, keyPrefix }) => ({
    AUTH_MODE: 'dev',
    HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    SUPERGRAPH_PATH: supergraphPath,
    GATEWAY_SIGNING_SECRET: secret,
    // Our own keys in the shared Redis (rate-limit buckets, failed-authentication counters).
    KEY_PREFIX: keyPrefix,
    ...options,
  }),
});

export const TARGETS: readonly Target[] = [
  { name: 'baseline', entry: 'bench/gateway/baseline.ts', path: '/', env: ({ port, supergraphPath }) => ({ BENCH_PORT: String(port), BENCH_SUPERGRAPH: supergraphPath }) },
  { name: 'baseline+semi64', entry: 'bench/gateway/baseline.ts', path: '/', env: ({ port, supergraphPath }) => ({ BENCH_PORT: String(port), BENCH_SUPERGRAPH: supergraphPath, NODE_OPTIONS: '--max-semi-space-size=64' }) },
  // The defaults, whatever they are (GATEWAY_EXECUTOR=fast since 2026-12-04 20:18 UTC).
  ours('ours-default', {}),
  // Targets that do not name `fast` run @apollo/gateway's executor, as they did when their figures were taken.
  ours('ours-apollo', { GATEWAY_EXECUTOR: 'apollo' }),
  ours('ours+pool', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'apollo' }),
  ours('ours+fast', { GATEWAY_EXECUTOR: 'fast' }),
  ours('ours+pool+fast', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast' }),
  ours('ours+dedup', { GATEWAY_DEDUP: 'on', GATEWAY_EXECUTOR: 'apollo' }),
  ours('ours+cache', { GATEWAY_ENTITY_CACHE: 'on', GATEWAY_EXECUTOR: 'apollo' }),
  ours('ours+dedup+cache', { GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on', GATEWAY_EXECUTOR: 'apollo' }),
  ours('ours+pool+dedup+cache', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on', GATEWAY_EXECUTOR: 'apollo' }),
  ours('ours+pool+fast+semi64', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', NODE_OPTIONS: '--max-semi-space-size=64' }),
  ours('ours+pool+fast+semi32', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', NODE_OPTIONS: '--max-semi-space-size=32' }),
  // Without adaptive admission (on by default since 2026-12-04 22:30 UTC): what it changes, in the same run.
  ours('ours-default-noadmit', { GATEWAY_ADMISSION: 'off' }),
  ours('ours+pool+fast+noadmit', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_ADMISSION: 'off' }),
  ours('ours+pool+fast+dedup+cache+noadmit', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on', GATEWAY_ADMISSION: 'off' }),
  ours('ours+pool+fast+dedup+cache', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on' }),
  ours('ours+pool+fast+dedup+cache+semi64', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on', NODE_OPTIONS: '--max-semi-space-size=64' }),
];
