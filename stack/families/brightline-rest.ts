/** The `brightline-rest` family: Brightline's distributor REST API (OAuth client credentials, signed webhooks). */
import { createBrightlineConnector } from '../../adapters/suppliers/brightline/connector.ts';
import { createBrightlineWebhookScheme } from '../../adapters/suppliers/brightline/webhook.ts';
import { createRestSandbox } from '../../sandboxes/rest/index.ts';
import { answerLimitsOf } from './answer-limits.ts';
import type { SupplierFamily } from './family.ts';
import { requiredCredential } from './required-credential.ts';

export const brightlineRestFamily: SupplierFamily = {
  name: 'brightline-rest',
  protocol: 'rest',
  async createConnector({ entry, url, credentials, readCredentials, policies, outbound }) {
    const { slug } = entry;
    return createBrightlineConnector({
      baseUrl: url,
      clientId: requiredCredential(slug, credentials, 'clientId'),
      clientSecret: requiredCredential(slug, credentials, 'clientSecret'),
      // Read at each OAuth token request: a secret rotated in the credential store is used without a restart.
      ...(readCredentials
        ? {
            readCredentials: async () => {
              const c = await readCredentials();
              return { clientId: requiredCredential(slug, c, 'clientId'), clientSecret: requiredCredential(slug, c, 'clientSecret') };
            },
          }
        : {}),
      fetch: outbound.fetch,
      answerLimits: answerLimitsOf(entry),
      ...policies,
    });
  },
  startSandbox(entry, { costBudget: _unused, ...common }) {
    const c = entry.sandbox?.credentials;
    return createRestSandbox({
      ...common,
      ...(c?.['clientId'] && c['clientSecret'] ? { credentials: { clientId: c['clientId'], clientSecret: c['clientSecret'] } } : {}),
      ...(entry.sandbox?.seed === undefined ? {} : { seed: entry.sandbox.seed }),
    });
  },
  webhookScheme: ({ toleranceSeconds }) => createBrightlineWebhookScheme({ toleranceSeconds }),
};
