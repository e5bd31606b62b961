/**
 * Shared measurement of the hostile-supplier suite (issue 14): while one supplier's hostile server is armed, a
 * product query for ANOTHER supplier's product goes to the gateway every 100 ms, as a frontend's would, and the
 * stack process's RSS is sampled every 50 ms. The bounds (docs/testing.md, "Hostile suppliers"):
 * - every probe answers within the normal latency measured just before, in the same test (p95 of 20 probes), plus
 *   LATENCY_MARGIN_MS (a tenth of them may be up to LATE_PROBE_SLACK_MS later), with that supplier's offers live
 *   (not stale, with figures);
 * - the stack's RSS stays under its RSS before the attack plus RSS_MARGIN_BYTES;
 * - every attack query (a product with the attacked supplier's offer) answers, small, with that offer degraded
 *   (null figures or stale) and the supplier named (an error's `extensions.supplier`, or `degradedSuppliers`).
 */
import { expect } from 'vitest';
import type { Attack, HostileStats } from './hostile-server.ts';
import type { CatalogProduct, HostileStack, LogLine, Slug } from './hostile-stack.ts';

export const PROBE_EVERY_MS = 100;
/** How much later than the bound a tenth of an attack's probes may answer (see expectIsolated). */
export const LATE_PROBE_SLACK_MS = 50;
export const BASELINE_PROBES = 20;
export const LATENCY_MARGIN_MS = 50;
export const RSS_MARGIN_BYTES = 256 * 1024 * 1024;
/** A product query's answer with a few offers is a few KB; one carrying supplier text would be far larger. */
export const MAX_ATTACK_RESPONSE_BYTES = 16 * 1024;
/** No operator log line carries more than this of what a supplier wrote (it is clipped long before). */
export const MAX_LOG_LINE_BYTES = 16 * 1024;

const OFFERS_QUERY = `query HostileSuiteProduct($sku: ID!) {
  product(sku: $sku) { sku offers { id stale available status cost { amount currency } leadTimeDays asOf supplier { name } } }
}`;

export interface Offer {
  readonly id: string;
  readonly stale: boolean | null;
  readonly available: number | null;
  readonly cost: { amount: string; currency: string } | null;
  readonly leadTimeDays: number | null;
}

export interface QueryAnswer {
  readonly startedAt: number;
  readonly ms: number;
  readonly status: number;
  /** The response body as received ('' when none came). */
  readonly text: string;
  readonly json: { data?: { product?: { offers: Offer[] } | null }; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> } | null;
  /** Why the answer is not a usable one (timeout, HTTP status, unparsable), if it is not. */
  readonly failure?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function queryProduct(stack: HostileStack, sku: string, timeoutMs: number): Promise<QueryAnswer> {
  const startedAt = performance.now();
  try {
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: OFFERS_QUERY, variables: { sku } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - startedAt;
    let json: QueryAnswer['json'] = null;
    try {
      json = JSON.parse(text) as QueryAnswer['json'];
    } catch {
      return { startedAt, ms, status: response.status, text, json, failure: 'not JSON' };
    }
    return { startedAt, ms, status: response.status, text, json, ...(response.status === 200 ? {} : { failure: `HTTP ${response.status}` }) };
  } catch (error) {
    return { startedAt, ms: performance.now() - startedAt, status: 0, text: '', json: null, failure: error instanceof Error ? error.name : String(error) };
  }
}

/** Why a probe answer is not a healthy one for `supplier`'s product, or null when it is. */
export function probeProblem(answer: QueryAnswer, supplier: Slug): string | null {
  if (answer.failure) return answer.failure;
  if (answer.json?.errors) return `errors: ${JSON.stringify(answer.json.errors).slice(0, 300)}`;
  const offers = answer.json?.data?.product?.offers.filter((o) => o.id.startsWith(`${supplier}:`)) ?? [];
  if (offers.length === 0) return `no ${supplier} offer`;
  const bad = offers.find((o) => o.stale !== false || o.available === null);
  return bad ? `${supplier} offer not live: ${JSON.stringify(bad)}` : null;
}

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/** Probes one every PROBE_EVERY_MS until `stop` resolves; each on its own, so a stalled stack shows in all of them. */
function probeEvery(stack: HostileStack, sku: string, until: Promise<void>): Promise<QueryAnswer[]> {
  const answers: Promise<QueryAnswer>[] = [];
  let stopped = false;
  void until.then(() => (stopped = true));
  return (async () => {
    // On a fixed schedule, not "100 ms after the last": a late timer here must not thin out the probes.
    const start = performance.now();
    for (let i = 0; !stopped; i += 1) {
      answers.push(queryProduct(stack, sku, 20_000));
      await sleep(Math.max(0, start + (i + 1) * PROBE_EVERY_MS - performance.now()));
    }
    return Promise.all(answers);
  })();
}

export interface Baseline {
  readonly p95Ms: number;
  readonly boundMs: number;
  readonly rssBytes: number;
  readonly samples: readonly number[];
}

/** Normal latency of the probe, just before the attack: a short warm-up, then BASELINE_PROBES, one per 100 ms. */
export async function measureBaseline(stack: HostileStack, probe: { sku: string; supplier: Slug }): Promise<Baseline> {
  for (let i = 0; i < 5; i += 1) await queryProduct(stack, probe.sku, 10_000);
  const answers: QueryAnswer[] = [];
  const rss: number[] = [];
  for (let i = 0; i < BASELINE_PROBES; i += 1) {
    const started = performance.now();
    const answer = await queryProduct(stack, probe.sku, 10_000);
    const problem = probeProblem(answer, probe.supplier);
    if (problem) throw new Error(`the probe of ${probe.supplier} is unhealthy before any attack: ${problem}`);
    answers.push(answer);
    rss.push(stack.rssBytes());
    await sleep(Math.max(0, PROBE_EVERY_MS - (performance.now() - started)));
  }
  const samples = answers.map((a) => a.ms);
  const p95Ms = percentile(samples, 95);
  return { p95Ms, boundMs: p95Ms + LATENCY_MARGIN_MS, rssBytes: Math.max(...rss), samples };
}

export interface AttackPlan {
  readonly attacked: Slug;
  readonly attack: Attack;
  /** A product carrying the attacked supplier's offer. */
  readonly target: CatalogProduct;
  /** Another supplier's product: the probe. */
  readonly probe: { readonly sku: string; readonly supplier: Slug };
  /** The attack runs at least this long, and until the stack got `minHostileAnswers`. @default 3000 */
  readonly minMs?: number;
  /** …but no longer than this. @default 8000 */
  readonly maxMs?: number;
  /** @default 2 */
  readonly minHostileAnswers?: number;
  /** An attack query is sent this often, at most `maxInFlight` at a time. @default 250, 3 */
  readonly attackEveryMs?: number;
  readonly maxInFlight?: number;
}

export interface ProbedRun<T> {
  readonly baseline: Baseline;
  readonly probes: readonly QueryAnswer[];
  readonly maxRssBytes: number;
  /** The stack's log lines while `work` ran. */
  readonly logs: readonly LogLine[];
  readonly durationMs: number;
  /** The stack's own longest event-loop stall while `work` ran (diagnostic: a stall there is the stack's). */
  readonly loopDelayMaxMs: number;
  readonly result: T;
}

/**
 * Measures the normal latency of `probe`, then runs `work` while the probe goes out every 100 ms and the stack's
 * RSS is sampled every 50 ms. Measures, does not judge (see expectIsolated).
 */
export async function underProbe<T>(stack: HostileStack, probe: { sku: string; supplier: Slug }, work: () => Promise<T>): Promise<ProbedRun<T>> {
  const baseline = await measureBaseline(stack, probe);
  await stack.loopDelayMaxMs();
  const logsFrom = stack.logs.length;
  const started = performance.now();
  let maxRss = stack.rssBytes();
  const sampler = setInterval(() => {
    if (stack.alive()) maxRss = Math.max(maxRss, stack.rssBytes());
  }, 50);
  let endProbes!: () => void;
  const probesDone = probeEvery(stack, probe.sku, new Promise<void>((resolve) => (endProbes = resolve)));
  try {
    const result = await work();
    endProbes();
    const probes = await probesDone;
    const durationMs = performance.now() - started;
    return { baseline, probes, maxRssBytes: maxRss, logs: stack.logs.slice(logsFrom), durationMs, loopDelayMaxMs: await stack.loopDelayMaxMs(), result };
  } finally {
    endProbes();
    clearInterval(sampler);
  }
}

export interface AttackRun extends ProbedRun<readonly QueryAnswer[]> {
  readonly name: string;
  readonly attackAnswers: readonly QueryAnswer[];
  readonly hostile: HostileStats;
}

/** Arms the attack and sends attack queries (a product with the attacked supplier's offer) under probing; disarms. */
export async function runAttack(stack: HostileStack, plan: AttackPlan): Promise<AttackRun> {
  const server = stack.hostile.get(plan.attacked)!;
  const minMs = plan.minMs ?? 3_000;
  const maxMs = plan.maxMs ?? 8_000;
  const minHostile = plan.minHostileAnswers ?? 2;
  const run = await underProbe(stack, plan.probe, async () => {
    server.resetStats();
    server.arm(plan.attack);
    try {
      const started = performance.now();
      const answers: Promise<QueryAnswer>[] = [];
      let inFlight = 0;
      while (stack.alive()) {
        const elapsed = performance.now() - started;
        if (elapsed >= maxMs || (elapsed >= minMs && server.stats().hostileAnswers >= minHostile)) break;
        if (inFlight < (plan.maxInFlight ?? 3)) {
          inFlight += 1;
          answers.push(queryProduct(stack, plan.target.sku, 20_000).finally(() => (inFlight -= 1)));
        }
        await sleep(plan.attackEveryMs ?? 250);
      }
      // The attack queries in flight finish under probing too.
      return await Promise.all(answers);
    } finally {
      server.disarm();
    }
  });
  return { ...run, name: plan.attack.name, attackAnswers: run.result, hostile: server.stats() };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** One line for the report: what the attack did to the stack. */
export function summary(run: ProbedRun<unknown> & { name?: string; hostile?: HostileStats; attackAnswers?: readonly QueryAnswer[] }, name = run.name): string {
  const ms = run.probes.map((p) => p.ms);
  return (
    `${name}: ${run.hostile ? `${run.hostile.hostileAnswers} hostile answers (${mb(run.hostile.bytesSent)} taken) ` : ''}in ${Math.round(run.durationMs)} ms; ` +
    `probes ${run.probes.length}, p50 ${Math.round(percentile(ms, 50))} / max ${Math.round(Math.max(...ms))} ms (bound ${Math.round(run.baseline.boundMs)}), ` +
    `stack event-loop stall max ${Math.round(run.loopDelayMaxMs)} ms; ` +
    `RSS ${mb(run.baseline.rssBytes)} → max ${mb(run.maxRssBytes)}; ${run.logs.length} log lines, longest ${Math.max(0, ...run.logs.map((l) => l.text.length))} B` +
    (run.attackAnswers ? `; attack answers ${run.attackAnswers.length}, largest ${Math.max(0, ...run.attackAnswers.map((a) => a.text.length))} B` : '')
  );
}

/** The probes stayed within their bound and live, and the RSS within its. */
export function expectIsolated(stack: HostileStack, run: ProbedRun<unknown> & { hostile?: HostileStats; attackAnswers?: readonly QueryAnswer[] }, probeSupplier: Slug, name?: string): void {
  console.info(summary(run, name));
  expect.soft(stack.alive(), 'the stack process is alive').toBe(true);
  if (run.hostile) expect.soft(run.hostile.hostileAnswers, 'hostile answers the stack received (the attack ran)').toBeGreaterThanOrEqual(1);
  // A loaded machine delays this process's timers too; the probes must still have covered the attack.
  expect.soft(run.probes.length, 'probes sent during the attack (one per 100 ms)').toBeGreaterThanOrEqual(Math.floor((0.8 * run.durationMs) / PROBE_EVERY_MS));
  // Every probe within normal p95 + LATENCY_MARGIN_MS, except at most a tenth of them, each no more than a further
  // LATE_PROBE_SLACK_MS late: on a 2-core CI machine 1-2 probes in 31 were seen 9-14 ms over the bound during the
  // 200 MB and flood attacks, with the stack's own event loop never stalled over 36 ms (GC of the streamed bytes, the
  // probe client descheduled). The defects this guards against stalled every probe for seconds (14.6-19.7 s before
  // the issue 14 fixes), which this still fails on at once.
  const slow = run.probes.filter((p) => p.ms > run.baseline.boundMs).map((p) => Math.round(p.ms));
  const tolerated = slow.length <= Math.floor(run.probes.length / 10) && slow.every((ms) => ms <= run.baseline.boundMs + LATE_PROBE_SLACK_MS) ? [] : slow;
  expect.soft(tolerated, `probes slower than normal p95 ${Math.round(run.baseline.p95Ms)} ms + ${LATENCY_MARGIN_MS} ms (of ${run.probes.length}; a tenth may be up to ${LATE_PROBE_SLACK_MS} ms later)`).toEqual([]);
  const unhealthy = run.probes.map((p) => probeProblem(p, probeSupplier)).filter((p) => p !== null);
  expect.soft(unhealthy, `probes of ${probeSupplier} that were not answered live`).toEqual([]);
  expect.soft(run.maxRssBytes, `RSS (before the attack ${mb(run.baseline.rssBytes)}, bound + ${mb(RSS_MARGIN_BYTES)})`).toBeLessThanOrEqual(run.baseline.rssBytes + RSS_MARGIN_BYTES);
}

/** Whether an answer shows the attacked supplier's offer degraded (null figures or stale) and the supplier named. */
export function degradedAndNamed(answer: QueryAnswer, supplier: Slug): string | null {
  if (answer.failure) return answer.failure;
  const offer = answer.json?.data?.product?.offers.find((o) => o.id.startsWith(`${supplier}:`));
  if (!offer) return `no ${supplier} offer in ${answer.text.slice(0, 200)}`;
  if (offer.stale !== true && offer.available !== null) return `${supplier} offer served live: ${JSON.stringify(offer)}`;
  const inErrors = answer.json?.errors?.some((e) => e.extensions?.['supplier'] === supplier) ?? false;
  const degraded = (answer.json?.extensions?.['degradedSuppliers'] as { supplier: string }[] | undefined) ?? [];
  if (!inErrors && !degraded.some((d) => d.supplier === supplier)) return `${supplier} not named: ${answer.text.slice(0, 300)}`;
  return null;
}

/** Every attack query answered, small, with the attacked supplier's offer degraded and named. */
export function expectDegradedAndNamed(run: AttackRun, supplier: Slug): void {
  expect.soft(run.attackAnswers.length, 'attack queries').toBeGreaterThan(0);
  const problems = run.attackAnswers.map((a) => degradedAndNamed(a, supplier)).filter((p) => p !== null);
  expect.soft(problems, `attack answers not degraded-and-named for ${supplier}`).toEqual([]);
  const large = run.attackAnswers.filter((a) => a.text.length > MAX_ATTACK_RESPONSE_BYTES).map((a) => a.text.length);
  expect.soft(large, `attack answers over ${MAX_ATTACK_RESPONSE_BYTES} bytes`).toEqual([]);
}

/** Queries each product a few times first: the first queries of a fresh process pay for compilation, not attacks. */
export async function warmUp(stack: HostileStack, skus: readonly string[], rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await Promise.all(skus.map((sku) => queryProduct(stack, sku, 10_000)));
}

/** The operator log while a supplier wrote megabytes of text: short lines, no NUL, no U+FFFD from invalid UTF-8. */
export function expectCleanLogs(run: ProbedRun<unknown>): void {
  const longest = Math.max(0, ...run.logs.map((l) => l.text.length));
  expect.soft(longest, 'longest log line while the supplier wrote hundreds of KB').toBeLessThan(MAX_LOG_LINE_BYTES);
  const dirty = run.logs.filter((l) => /\\u0000|\u0000|\ufffd|\\ufffd/i.test(l.text)).map((l) => l.text.slice(0, 200));
  expect.soft(dirty, 'log lines with NUL or U+FFFD').toEqual([]);
}
