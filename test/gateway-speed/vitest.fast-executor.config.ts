import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Runs chosen suites with GATEWAY_EXECUTOR=fast forced on (fast-executor-setup.ts), e.g. the e2e suites that go
 * through the gateway:
 *   npx vitest run -c test/gateway-speed/vitest.fast-executor.config.ts test/e2e/pricing.e2e.test.ts
 * Not picked up by `npm test` (its own config).
 */
export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  resolve: { alias: { graphql: require.resolve('graphql/index.js') } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    setupFiles: [new URL('./fast-executor-setup.ts', import.meta.url).pathname],
  },
});
