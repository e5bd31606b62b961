/** The connector contract, run against the harborpromo connector and its PromoStandards SOAP sandbox. */
import { createHarborpromoConnector } from '../../adapters/suppliers/harborpromo/connector.ts';
import { createSoapSandbox } from '../../sandboxes/soap/index.ts';
import { describeConnectorContract } from './supplier-connector.contract.ts';

describeConnectorContract('harborpromo (SOAP)', async ({ policies, badCredentials }) => {
  const sandbox = await createSoapSandbox({ seed: 7 });
  const { id, password } = sandbox.credentials as { id: string; password: string };
  const connector = await createHarborpromoConnector({
    baseUrl: sandbox.url,
    id,
    password: badCredentials ? `${password}-wrong` : password,
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
