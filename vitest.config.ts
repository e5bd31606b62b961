import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Suites that load the whole machine (several child processes, a full stack, one hot FerretDB key) run after the
 * rest, one file at a time: run beside other suites on two cores they measure the machine's load, not our code.
 */
const HEAVY = ['test/fault/**/*.test.ts', 'test/integration/*race*.test.ts', 'test/security/**/*.test.ts'];

export default defineConfig({
  resolve: {
    // One copy of graphql: vitest may otherwise load the ESM and CJS builds side by side,
    // and graphql refuses schemas built by "another module or realm".
    alias: { graphql: require.resolve('graphql/index.js') },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['**/*.test.ts'], exclude: ['node_modules/**', ...HEAVY], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'heavy', include: HEAVY, exclude: ['node_modules/**'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
