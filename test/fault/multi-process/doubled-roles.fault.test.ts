/**
 * Every role its own process (issue 17, acceptance): two gateways behind a round-robin balancer, two inventories,
 * two ingests, two jobs, one of each other role, on FerretDB and Redis. Under steady queries, orders, sandbox
 * webhooks and a live subscription, one process of each doubled role is SIGKILLed in turn (and restarted): no order,
 * reservation or webhook delivery is lost or duplicated, each supplier is polled by exactly one jobs process at a
 * time (counted at the supplier), the subscription continues, and queries answer within their budget.
 * The roles that run once (catalog, orders, access, a supplier) are killed in single-roles.fault.test.ts.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCluster, type Cluster } from './cluster.ts';
import { killAllRoleProcesses } from './role-process.ts';
import { checkOrders, checkPolls, checkQueries, checkSubscription, checkWebhooks, runKillScenario, type ScenarioResult } from './scenario.ts';

describe('multi-process: a doubled role loses a process (SIGKILL)', () => {
  let cluster: Cluster;
  let result: ScenarioResult;

  beforeAll(async () => {
    cluster = await startCluster();
    result = await runKillScenario(cluster, ['gateway-1', 'inventory-1', 'ingest-1', 'jobs:holder-of:brightline']);
  }, 240_000);

  afterAll(async () => {
    await cluster?.close();
    await killAllRoleProcesses(); // a start that timed out returned no cluster to close
  }, 30_000);

  it('queries answer within their budget throughout, complete again after each kill', () => checkQueries(result));
  it('no order or reservation lost or duplicated', () => checkOrders(cluster, result), 30_000);
  it('no webhook delivery lost or duplicated', () => checkWebhooks(cluster, result), 60_000);
  it('each supplier polled by exactly one jobs process at a time; a dead holder hands over within the lease bound', () => checkPolls(cluster, result));
  it('the live subscription continues after each kill', () => checkSubscription(result));
});
