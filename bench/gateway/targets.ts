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

/**
 * The product's launch flag (package.json `start`/`gateway`/`serve`, docker-compose.yml, deploy/k8s): a 32 MB
 * semi-space, since a federated answer allocates tens of MB of short-lived objects per second. Every `ours*` target
 * runs with it unless it names its own NODE_OPTIONS; `*-semi16` targets run on Node's default, for comparison, and
 * `baseline+semi32` gives the library the same flag.
 */
const PRODUCT_NODE_OPTIONS = '--max-semi-space-size=32';

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
    NODE_OPTIONS: PRODUCT_NODE_OPTIONS,
    ...options,
  }),
});

export const TARGETS: readonly Target[] = [
  { name: 'baseline', entry: 'bench/gateway/baseline.ts', path: '/', env: ({ port, supergraphPath }) => ({ BENCH_PORT: String(port), BENCH_SUPERGRAPH: supergraphPath }) },
  { name: 'baseline+semi32', entry: 'bench/gateway/baseline.ts', path: '/', env: ({ port, supergraphPath }) => ({ BENCH_PORT: String(port), BENCH_SUPERGRAPH: supergraphPath, NODE_OPTIONS: PRODUCT_NODE_OPTIONS }) },
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
  // Node's default semi-space (16 MB), as every target ran before 2026-12-04 23:00 UTC.
  ours('ours-default-semi16', { NODE_OPTIONS: '' }),
  ours('ours+pool+fast+semi16', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', NODE_OPTIONS: '' }),
  ours('ours+pool+fast+dedup+cache+semi16', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on', NODE_OPTIONS: '' }),
  // Without adaptive admission (on by default since 2026-12-04 22:30 UTC): what it changes, in the same run.
  ours('ours-default-noadmit', { GATEWAY_ADMISSION: 'off' }),
  ours('ours+pool+fast+noadmit', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_ADMISSION: 'off' }),
  ours('ours+pool+fast+dedup+cache+noadmit', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on', GATEWAY_ADMISSION: 'off' }),
  ours('ours+pool+fast+dedup+cache', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on' }),
  ours('ours+pool+fast+dedup+cache+semi64', { GATEWAY_SUBGRAPH_POOL: 'on', GATEWAY_EXECUTOR: 'fast', GATEWAY_DEDUP: 'on', GATEWAY_ENTITY_CACHE: 'on', NODE_OPTIONS: '--max-semi-space-size=64' }),
];
