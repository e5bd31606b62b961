/**
 * The suppliers file's `maxAnswerBytes` reaches every SOAP answer read (issue 14): the connector the family builds,
 * as the stack builds it, caps each SOAP operation's answer at the cap of the connector operation it serves
 * (Inventory → getStock, Product Data → listCatalog), against the bundled SOAP sandbox over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { createOutboundPolicy, type OutboundPolicy } from '../../adapters/core/outbound-policy.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { createSoapSandbox } from '../../sandboxes/soap/index.ts';
import { testContext } from '../../test/contract/supplier-connector.contract.ts';
import { createConnector } from '../connectors.ts';

describe('promostandards family: answer caps from the suppliers file', () => {
  let sandbox: SupplierSandbox;
  let outbound: OutboundPolicy;
  const open: SupplierConnector[] = [];
  beforeAll(async () => {
    sandbox = await createSoapSandbox({});
    outbound = createOutboundPolicy({ supplier: 'harborpromo', allowLoopbackHttp: true, pins: [], log: silentLogger() });
  });
  afterAll(async () => {
    for (const c of open) await c.close();
    await sandbox?.close();
    await outbound?.close();
  });

  const connectorWith = async (maxAnswerBytes: { default?: number; operations?: { getStock?: number; listCatalog?: number } }) => {
    const entry = loadConfig({}).supplierEntries.find((e) => e.family === 'promostandards')!;
    const connector = await createConnector({
      entry: { ...entry, maxAnswerBytes },
      url: sandbox.url,
      credentials: sandbox.credentials,
      sandbox,
      policies: { timeoutMs: 5_000 },
      outbound,
      log: silentLogger(),
    });
    open.push(connector);
    return connector;
  };

  it('a getStock cap below the Inventory answer refuses it (answer-too-large); Product Data, under its own cap, is read', async () => {
    const sku = sandbox.supplierSkus()[0]!;
    // Inventory answers of the sandbox are a few KB; 1 KiB is the smallest cap the suppliers file accepts.
    const capped = await connectorWith({ operations: { getStock: 1024 } });
    await expect(capped.getStock([sku], testContext())).rejects.toMatchObject({
      code: 'CONTRACT_VIOLATION',
      operation: 'getInventoryLevels',
      details: { reason: 'answer-too-large', maxBytes: 1024 },
    });
    expect((await capped.listCatalog(null, testContext())).items.length).toBeGreaterThan(0);

    const roomy = await connectorWith({ default: 1024, operations: { getStock: 1024 * 1024, listCatalog: 1024 * 1024 } });
    expect(await roomy.getStock([sku], testContext())).toHaveLength(1);
  });
});
