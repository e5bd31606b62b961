import { createMaplecartConnector } from '../../adapters/suppliers/maplecart/connector.ts';
import { createGraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { describeConnectorContract } from './supplier-connector.contract.ts';

describeConnectorContract('maplecart (GraphQL)', async ({ policies, badCredentials }) => {
  // The suite counts wire calls exactly, so real cost throttling must not interleave: a full stock batch costs
  // ~800 points, and a standard 1000/50 bucket would throttle the third read in a row. Give the shop an
  // Advanced-plan-sized bucket; draining the bucket is covered in sandboxes/graphql/sandbox.test.ts.
  const sandbox = await createGraphqlSandbox({ costBudget: { maximumAvailable: 2_000, restoreRate: 100 } });
  const connector = createMaplecartConnector({
    baseUrl: sandbox.url,
    accessToken: badCredentials ? 'shpat_not-the-right-token' : sandbox.credentials['accessToken']!,
    ...(policies.timeoutMs === undefined ? {} : { timeoutMs: policies.timeoutMs }),
    ...(policies.retry === undefined ? {} : { retry: policies.retry }),
  });
  return {
    connector,
    sandbox,
    async close() {
      await connector.close();
      await sandbox.close();
    },
  };
});
