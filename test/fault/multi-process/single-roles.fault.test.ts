/**
 * Every role its own process (issue 17, acceptance), the roles that run once here: catalog, orders, access and a
 * supplier subgraph are SIGKILLed in turn under the same steady load as doubled-roles.fault.test.ts, and restarted
 * after a few seconds. While one is down, queries still answer within their budget, degraded (the gateway names
 * the subgraph); orders in flight when the orders process dies are answered after its restart under their own key,
 * never placed twice; webhooks, polls and the subscription go on.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCluster, type Cluster } from './cluster.ts';
import { killAllRoleProcesses } from './role-process.ts';
import { checkOrders, checkPolls, checkQueries, checkSubscription, checkWebhooks, runKillScenario, type ScenarioResult } from './scenario.ts';

describe('multi-process: a role that runs once loses its process (SIGKILL)', () => {
  let cluster: Cluster;
  let result: ScenarioResult;

  beforeAll(async () => {
    cluster = await startCluster();
    result = await runKillScenario(cluster, process.env.MP_VICTIMS?.split(',') ?? ['catalog', 'orders', 'access', 'supplier-maplecart']);
  }, 240_000);

  afterAll(async () => {
    await cluster?.close();
    await killAllRoleProcesses(); // a start that timed out returned no cluster to close
  }, 30_000);

  it('queries answer within their budget throughout (degraded while a role is down), complete again after', () => checkQueries(result));
  it('no order or reservation lost or duplicated', () => checkOrders(cluster, result), 30_000);
  it('no webhook delivery lost or duplicated', () => checkWebhooks(cluster, result), 60_000);
  it('each supplier polled by exactly one jobs process at a time', () => checkPolls(cluster, result));
  it('the live subscription continues', () => checkSubscription(result));
});
