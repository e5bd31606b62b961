/**
 * The connector contract, run against the PromoStandards connector and its SOAP sandbox, each service at its own
 * (non-default) path. The contract counts one supplier call per SKU for a connector whose `maxStockBatch` is 1, so
 * the sandbox here has one part per product (its old quirk, an option); with several parts per product the
 * connector makes fewer calls, not more (adapters/suppliers/harborpromo/connector.behaviour.test.ts). The contract
 * also cancels, so this supplier publishes its own Order Cancel service.
 */
import { createPromoStandardsConnector } from '../../adapters/suppliers/harborpromo/connector.ts';
import { LEGACY_DUPLICATE_PO } from '../../sandboxes/soap/orders.ts';
import { createSoapSandbox } from '../../sandboxes/soap/index.ts';
import { describeConnectorContract } from './supplier-connector.contract.ts';

const PATHS = {
  productData: '/ws/ProductData/2.0.0',
  inventory: '/ws/Inventory/2.0.0',
  purchaseOrder: '/ws/PO/1.0.0',
  orderStatus: '/ws/OrderStatus/2.0.0',
  shipmentNotification: '/ws/OSN/2.0.0',
  orderCancel: '/ws/OrderCancel/1.0.0',
};

describeConnectorContract('promostandards (SOAP)', async ({ policies, badCredentials }) => {
  // A repeat PO keeps its transactionId only with harborpromo's Information 210 answer (Order Status cannot return
  // a transactionId); the standard-like Error answer is read back by the connector (connector.behaviour.test.ts).
  const sandbox = await createSoapSandbox({ seed: 7, paths: PATHS, onePartPerProduct: true, cancelService: true, duplicatePo: LEGACY_DUPLICATE_PO });
  const { id, password } = sandbox.credentials as { id: string; password: string };
  const connector = await createPromoStandardsConnector({
    supplier: 'contractps',
    url: sandbox.url,
    services: PATHS,
    credentials: { id, password: badCredentials ? `${password}-wrong` : password },
    // The contract counts calls from the first read on: load the part → product index and prices up front.
    primeDirectory: !badCredentials,
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
