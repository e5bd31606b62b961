/**
 * Issue 14, hostile GraphQL supplier (maplecart) and unauthenticated webhook senders: each attack runs against the
 * whole stack in one process while a brightline product is probed through the gateway every 100 ms (bounds in
 * support.ts and docs/testing.md). Points 2 (a unit cost of 100,000 digits), 4 (a 200 MB answer), 5 (a 1 MB error
 * code, markup, NUL, invalid UTF-8) and 6 (10,000 forged webhooks → bounded log lines).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterValue, forgeInChildProcess } from './forged-webhooks.ts';
import { graphqlErrorText, graphqlHugeAnswer, graphqlPriceDigits } from './graphql-attacks.ts';
import { productOf, startHostileStack, type CatalogProduct, type HostileStack } from './hostile-stack.ts';
import { supplierTextIn } from './hostile-text.ts';
import { expectCleanLogs, expectDegradedAndNamed, expectIsolated, runAttack, underProbe, warmUp, type AttackPlan } from './support.ts';

const ATTACKED = 'maplecart';
const PROBED = 'brightline';
const KB = 1024;
const MB = 1024 * KB;
const FORGERIES = 10_000;
/** Log lines about refused deliveries allowed for FORGERIES of them (rate-limited: one per sender and reason a minute, with a count). */
const MAX_REFUSAL_LOG_LINES = 10;

describe('hostile GraphQL supplier (maplecart) and forged webhooks: bounded, clipped, isolated', () => {
  let stack: HostileStack;
  let target: CatalogProduct;
  let probe: { sku: string; supplier: typeof PROBED };
  const plan = (attack: AttackPlan['attack']): AttackPlan => ({ attacked: ATTACKED, attack, target, probe });

  beforeAll(async () => {
    stack = await startHostileStack();
    target = productOf(stack, ATTACKED, []);
    probe = { sku: productOf(stack, PROBED, [ATTACKED]).sku, supplier: PROBED };
    await warmUp(stack, [target.sku, probe.sku]);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('point 2: a unit cost of 100,000 digits degrades maplecart only', async () => {
    const run = await runAttack(stack, plan(graphqlPriceDigits(100_000)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
  }, 60_000);

  it('point 4: a 200 MB GraphQL answer is abandoned while streaming; memory and latency stay bounded', async () => {
    const run = await runAttack(stack, plan(graphqlHugeAnswer(200 * MB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    expect.soft(run.hostile.bytesSent / run.hostile.hostileAnswers, 'bytes the stack took per hostile answer').toBeLessThan(32 * MB);
  }, 60_000);

  it('point 5: a 1 MB error code with markup, NUL and invalid UTF-8 never reaches the client', async () => {
    const run = await runAttack(stack, plan(graphqlErrorText(MB, 772 * KB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    for (const answer of run.attackAnswers) expect.soft(supplierTextIn(answer.text), answer.text.slice(0, 300)).toEqual([]);
    expectCleanLogs(run);
  }, 60_000);

  it(`point 6: ${FORGERIES} forged webhooks all get 401, counted in metrics, with a bounded number of log lines`, async () => {
    const metricsUrl = `${stack.gatewayUrl}/metrics`;
    const forgedBefore = await counterValue(metricsUrl, 'webhook_deliveries_total', { supplier: ATTACKED, outcome: 'forged' });
    const run = await underProbe(stack, probe, () => forgeInChildProcess(`${stack.webhookBase}${ATTACKED}`, FORGERIES, 4, 60_000));
    const refusals = run.logs.filter((l) => /webhook/i.test(l.text));
    console.info(`${FORGERIES} forged webhooks: ${refusals.length} log lines about webhooks; answers ${JSON.stringify(run.result.statuses)}`);
    expect.soft(run.result.statuses).toEqual({ 401: FORGERIES });
    expect.soft(await counterValue(metricsUrl, 'webhook_deliveries_total', { supplier: ATTACKED, outcome: 'forged' })).toBe(forgedBefore + FORGERIES);
    expect.soft(refusals.length, `log lines about ${FORGERIES} refused deliveries`).toBeLessThanOrEqual(MAX_REFUSAL_LOG_LINES);
    expectIsolated(stack, run, PROBED, `${FORGERIES} forged webhooks`);
  }, 90_000);
});
