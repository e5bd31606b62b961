/**
 * Issue 14, hostile REST supplier (brightline): each attack runs against the whole stack in one process while a
 * harborpromo product is probed through the gateway every 100 ms (bounds in support.ts and docs/testing.md).
 * Points 2 (a price of 100,000 digits), 4 (a 200 MB JSON answer), 5 (a 1 MB error code with markup, NUL and invalid
 * UTF-8) and 6 (lead time 1e300, 40 decimals, OAuth expires_in 0 and huge).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productOf, startHostileStack, type CatalogProduct, type HostileStack } from './hostile-stack.ts';
import { restErrorText, restHugeAnswer, restLeadTime, restPriceDecimals, restPriceDigits, restTokenLifetime } from './rest-attacks.ts';
import { supplierTextIn } from './hostile-text.ts';
import { expectCleanLogs, expectDegradedAndNamed, expectIsolated, queryProduct, runAttack, warmUp, type AttackPlan } from './support.ts';

const ATTACKED = 'brightline';
const PROBED = 'harborpromo';
const MB = 1024 * 1024;

describe('hostile REST supplier (brightline): bounded, clipped, isolated', () => {
  let stack: HostileStack;
  let target: CatalogProduct;
  let probe: { sku: string; supplier: typeof PROBED };
  const plan = (attack: AttackPlan['attack'], extra: Partial<AttackPlan> = {}): AttackPlan => ({ attacked: ATTACKED, attack, target, probe, ...extra });

  beforeAll(async () => {
    stack = await startHostileStack();
    target = productOf(stack, ATTACKED, []);
    probe = { sku: productOf(stack, PROBED, [ATTACKED]).sku, supplier: PROBED };
    await warmUp(stack, [target.sku, probe.sku]);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('point 2: a price of 100,000 digits degrades brightline only', async () => {
    const run = await runAttack(stack, plan(restPriceDigits(100_000)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
  }, 60_000);

  it('point 4: a 200 MB JSON answer is abandoned while streaming; memory and latency stay bounded', async () => {
    const run = await runAttack(stack, plan(restHugeAnswer(200 * MB)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    // Read no further than the cap (8 MiB by default) plus what the socket buffers held: far from 200 MB per answer.
    expect.soft(run.hostile.bytesSent / run.hostile.hostileAnswers, 'bytes the stack took per hostile answer').toBeLessThan(32 * MB);
  }, 60_000);

  it('point 5: a 1 MB error code and 772 KB of markup, NUL and invalid UTF-8 never reach the client', async () => {
    const run = await runAttack(stack, plan(restErrorText(400, MB, 772 * 1024)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    for (const answer of run.attackAnswers) expect.soft(supplierTextIn(answer.text), answer.text.slice(0, 300)).toEqual([]);
    expectCleanLogs(run);
  }, 60_000);

  it('point 5: an error body under the 64 KiB error cap (16 KB code, 40 KB of markup, NUL, invalid UTF-8) is read, and still never reaches the client', async () => {
    const run = await runAttack(stack, plan(restErrorText(400, 16 * 1024, 40 * 1024)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    for (const answer of run.attackAnswers) expect.soft(supplierTextIn(answer.text), answer.text.slice(0, 300)).toEqual([]);
    expectCleanLogs(run);
  }, 60_000);

  it('point 6: a lead time of 1e300 weeks is refused as the supplier\'s fault, never an internal error echoing it', async () => {
    const run = await runAttack(stack, plan(restLeadTime(1e300)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    for (const answer of run.attackAnswers) {
      expect.soft(answer.text).not.toMatch(/e\+30\d/);
      expect.soft(answer.json?.errors?.map((e) => e.extensions?.['code']) ?? []).not.toContain('INTERNAL_SERVER_ERROR');
    }
  }, 60_000);

  it('point 6: a price with 40 decimals is not served verbatim', async () => {
    const run = await runAttack(stack, plan(restPriceDecimals(40)));
    expectIsolated(stack, run, PROBED);
    expectDegradedAndNamed(run, ATTACKED);
    for (const answer of run.attackAnswers) expect.soft(answer.text).not.toMatch(/\d\.\d{20,}/);
  }, 60_000);

  it('point 6: OAuth expires_in 0 does not disable brightline: a token is reused, not asked for on every call', async () => {
    const run = await runAttack(stack, plan(restTokenLifetime(0)));
    expectIsolated(stack, run, PROBED);
    const tokenRequests = run.hostile.requests['/oauth/token'] ?? 0;
    const apiCalls = run.hostile.requests['/v1/availability'] ?? 0;
    expect.soft(tokenRequests, 'token requests during the attack').toBeGreaterThanOrEqual(1);
    expect.soft(tokenRequests, `token requests for ${apiCalls} availability calls`).toBeLessThanOrEqual(Math.max(2, apiCalls / 4));
    // After the revoked token, brightline serves live offers with the new token.
    const after = await queryProduct(stack, target.sku, 10_000);
    const offer = after.json?.data?.product?.offers.find((o) => o.id.startsWith(`${ATTACKED}:`));
    expect.soft(offer, after.text.slice(0, 300)).toMatchObject({ stale: false });
    expect.soft(offer?.available).not.toBeNull();
  }, 60_000);

  it('point 6: OAuth expires_in of 31,700 years is accepted without breaking brightline', async () => {
    const run = await runAttack(stack, plan(restTokenLifetime(1e12), { minHostileAnswers: 2 }));
    expectIsolated(stack, run, PROBED);
    const after = await queryProduct(stack, target.sku, 10_000);
    const offer = after.json?.data?.product?.offers.find((o) => o.id.startsWith(`${ATTACKED}:`));
    expect.soft(offer, after.text.slice(0, 300)).toMatchObject({ stale: false });
  }, 60_000);
});
