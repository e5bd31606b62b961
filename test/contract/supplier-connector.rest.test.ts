import { createBrightlineConnector } from '../../adapters/suppliers/brightline/connector.ts';
import { createRestSandbox } from '../../sandboxes/rest/index.ts';
import { describeConnectorContract } from './supplier-connector.contract.ts';

describeConnectorContract('brightline (REST)', async ({ policies, badCredentials }) => {
  const sandbox = await createRestSandbox({ seed: 42 });
  const connector = createBrightlineConnector({
    baseUrl: sandbox.url,
    clientId: sandbox.credentials.clientId,
    clientSecret: badCredentials ? `${sandbox.credentials.clientSecret}-wrong` : sandbox.credentials.clientSecret,
    ...policies,
  });
  return {
    connector,
    sandbox,
    close: async () => {
      await connector.close();
      await sandbox.close();
    },
  };
});
