/**
 * Issue 14, hostile SOAP supplier (harborpromo, PromoStandards Inventory 2.0.0): each attack runs against the whole
 * stack in one process while a brightline product is probed through the gateway every 100 ms (bounds in support.ts
 * and docs/testing.md). Points 1 (the `soap` package's quadratic envelope expression: 100 and 200 KB of `<`, a
 * 400 KB HTML error page with status 500), 4 (a 200 MB SOAP answer) and 5 (a 772 KB fault string and service
 * message with `<script>` tags, NUL and invalid UTF-8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productOf, startHostileStack, type CatalogProduct, type HostileStack } from './hostile-stack.ts';
import { soapFaultText, soapHtmlErrorPage, soapHugeAnswer, soapLessThans, soapServiceMessageText } from './soap-attacks.ts';
import { supplierTextIn } from './hostile-text.ts';
import { expectCleanLogs, expectDegradedAndNamed, expectIsolated, runAttack, warmUp, type AttackPlan, type AttackRun } from './support.ts';

const ATTACKED = 'harborpromo';
const PROBED = 'brightline';
const KB = 1024;
const MB = 1024 * KB;

describe('hostile SOAP supplier (harborpromo): bounded, clipped, isolated', () => {
  let stack: HostileStack;
  let target: CatalogProduct;
  let probe: { sku: string; supplier: typeof PROBED };
  const plan = (attack: AttackPlan['attack']): AttackPlan => ({ attacked: ATTACKED, attack, target, probe });
  const expectNoSupplierText = (run: AttackRun) => {
    for (const answer of run.attackAnswers) expect.soft(supplierTextIn(answer.text), answer.text.slice(0, 300)).toEqual([]);
    expectCleanLogs(run);
  };

  beforeAll(async () => {
    stack = await startHostileStack();
    target = productOf(stack, ATTACKED, []);
    probe = { sku: productOf(stack, PROBED, [ATTACKED]).sku, supplier: PROBED };
    await warmUp(stack, [target.sku, probe.sku]);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('point 1: 100 KB of `<` does not freeze the process', async () => {
    const run = await runAttack(stack, plan(soapLessThans(100 * KB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
  }, 60_000);

  it('point 1: 200 KB of `<` does not freeze the process', async () => {
    const run = await runAttack(stack, plan(soapLessThans(200 * KB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
  }, 60_000);

  it('point 1: a 400 KB HTML error page with status 500 (retried) does not freeze the process', async () => {
    const run = await runAttack(stack, plan(soapHtmlErrorPage(400 * KB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
  }, 60_000);

  it('point 4: a 200 MB SOAP answer is abandoned while streaming; memory and latency stay bounded', async () => {
    const run = await runAttack(stack, plan(soapHugeAnswer(200 * MB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    expect.soft(run.hostile.bytesSent / run.hostile.hostileAnswers, 'bytes the stack took per hostile answer').toBeLessThan(32 * MB);
  }, 60_000);

  it('point 5: a 772 KB fault string with <script> tags, NUL and invalid UTF-8 never reaches the client', async () => {
    const run = await runAttack(stack, plan(soapFaultText(772 * KB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    expectNoSupplierText(run);
  }, 60_000);

  it('point 5: a fault under the 64 KiB error cap (48 KB faultstring) is parsed, and its text still never reaches the client', async () => {
    const run = await runAttack(stack, plan(soapFaultText(48 * KB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    expectNoSupplierText(run);
  }, 60_000);

  it('point 5: a 772 KB Error ServiceMessage description never reaches the client', async () => {
    const run = await runAttack(stack, plan(soapServiceMessageText(772 * KB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    expectNoSupplierText(run);
  }, 60_000);
});
