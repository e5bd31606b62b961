import { createMaplecartConnector } from '../../adapters/suppliers/maplecart/connector.ts';
import { createGraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { describeConnectorContract } from './supplier-connector.contract.ts';

describeConnectorContract('maplecart (GraphQL)', async ({ policies, badCredentials }) => {
  // The shop's default bucket (1000 points, 50/s). The suite counts stock-read wire calls exactly, so it also
  // checks that stock reads (≤ 159 points asked a batch) do not throttle one another on a standard plan.
  const sandbox = await createGraphqlSandbox();
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
