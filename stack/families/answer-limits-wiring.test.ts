/**
 * The suppliers file's `maxAnswerBytes` reaches the REST and GraphQL clients: each family's production connector
 * (built by stack/connectors.ts, as the stack does) refuses a getStock answer over its per-operation cap with
 * CONTRACT_VIOLATION `answer-too-large`, while other operations keep the default, against the bundled sandboxes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboundPolicy } from '../../adapters/core/outbound-policy.ts';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { SupplierEntry } from '../../platform/suppliers-file.ts';
import { createGraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { createRestSandbox } from '../../sandboxes/rest/index.ts';
import { testContext } from '../../test/contract/supplier-connector.contract.ts';
import { createConnector } from '../connectors.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(isRegistryError(error), String(error)).toBe(true);
  return error as RegistryError;
}

const sandboxes = {
  'brightline-rest': () => createRestSandbox({ seed: 3 }),
  'maplecart-graphql': () => createGraphqlSandbox({}),
} as const;

describe.each(Object.keys(sandboxes) as (keyof typeof sandboxes)[])('maxAnswerBytes through the %s family', (family) => {
  it('caps getStock at its configured size and leaves listCatalog at the default', { timeout: 20_000 }, async () => {
    const sandbox = await sandboxes[family]();
    closers.push(() => sandbox.close());
    const base = loadConfig({}).supplierEntries.find((e) => e.family === family)!;
    const entry: SupplierEntry = { ...base, maxAnswerBytes: { operations: { getStock: 1024 } } };
    const log = silentLogger();
    const outbound = createOutboundPolicy({ supplier: entry.slug, allowLoopbackHttp: true, pins: [], log });
    const connector = await createConnector({ entry, url: sandbox.url, credentials: sandbox.credentials, policies: { timeoutMs: 5_000 }, outbound, log });
    closers.push(() => connector.close());

    const skus = sandbox.supplierSkus().slice(0, 20);
    const error = await failure(connector.getStock(skus, testContext()));
    expect(error.code).toBe('CONTRACT_VIOLATION');
    expect(error.details).toMatchObject({ reason: 'answer-too-large', maxBytes: 1024 });
    expect((await connector.listCatalog(null, testContext())).items.length).toBeGreaterThan(0);
  });
});
