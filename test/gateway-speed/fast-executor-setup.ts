/**
 * A vitest setup file that runs any test with GATEWAY_EXECUTOR=fast, however the test builds its config
 * (test/support/stack-env.ts passes an explicit environment), without changing the test:
 *   npx vitest run --setupFiles test/gateway-speed/fast-executor-setup.ts test/e2e/pricing.e2e.test.ts
 * It prints how many gateways installed the fast executor, so a run proves it was on.
 */
import { afterAll, vi } from 'vitest';

vi.mock('../../platform/config.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../platform/config.ts')>();
  return {
    ...original,
    loadConfig: (...args: Parameters<typeof original.loadConfig>) => {
      const config = original.loadConfig(...args);
      return { ...config, gatewaySpeed: Object.freeze({ ...config.gatewaySpeed, executor: 'fast' as const }) };
    },
  };
});

vi.mock('../../gateway/plan-executor/fast-executor.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../gateway/plan-executor/fast-executor.ts')>();
  return {
    ...original,
    installFastExecutor: (...args: Parameters<typeof original.installFastExecutor>) => {
      (globalThis as { fastExecutors?: number }).fastExecutors = ((globalThis as { fastExecutors?: number }).fastExecutors ?? 0) + 1;
      return original.installFastExecutor(...args);
    },
  };
});

afterAll(() => {
  console.log(`GATEWAY_EXECUTOR=fast: installed in ${(globalThis as { fastExecutors?: number }).fastExecutors ?? 0} gateway(s)`);
});
