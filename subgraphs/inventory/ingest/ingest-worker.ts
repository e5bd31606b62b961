/**
 * Applies stored webhook deliveries to canonical stock, after the endpoint has acknowledged them, and hands the
 * order signals of order and fulfilment deliveries to order tracking (a port: the orders side re-reads the
 * supplier order's status; this worker only gives those deliveries the inbox's durability and retries). At least once:
 * an entry is marked done only after its reports went through the stock updater, so a crash in between leaves it
 * pending and a recovery scan takes it again when its lease ends. Applying twice is harmless: the stock store
 * ignores a report not newer than the last accepted one, and the updater publishes `stock.changed` only for an
 * accepted change, so a delivery applied twice still produces one event.
 */
import type { Logger } from '../../../platform/logger.ts';
import type { OrderTriggerOutcome, OrderTriggers } from '../../../platform/ports/order-triggers.ts';
import type { StockReport } from '../../../platform/ports/stock-store.ts';
import type { InboxEntry, WebhookInbox } from '../../../platform/ports/webhook-inbox.ts';
import { forEachConcurrently } from '../concurrently.ts';
import type { StockUpdater } from '../stock-updater.ts';
import type { IngestOutcome, InventorySyncMetrics } from '../sync-metrics.ts';
import type { OfferRecorder } from '../offer-record.ts';
import type { ReadBack, SignalReports } from './signal-reports.ts';
import { storedFailureText } from '../../../adapters/core/supplier-facts.ts';
import { inRemoteSpan, inSpan } from '../../../platform/tracing/spans.ts';

export interface IngestWorkerOptions {
  readonly inbox: WebhookInbox;
  readonly reports: SignalReports;
  /**
   * Where the supplier's read-back answers (webhook `changed` signals) are kept as the offers' last known values, after
   * their figures went through the stock update path, so a cost change a read-back sees reaches the listing.
   * @default none
   */
  readonly offers?: OfferRecorder;
  readonly updater: StockUpdater;
  readonly metrics: Pick<InventorySyncMetrics, 'ingested' | 'inboxBacklog' | 'stockUpdate'> & Partial<Pick<InventorySyncMetrics, 'inboxOldestAge' | 'ingestLag' | 'stockConfirmed'>>;
  readonly log: Logger;
  /**
   * Order tracking, asked per batch: the stack attaches it after the order service starts, so an order delivery
   * taken before then fails and is retried. Absent: order deliveries fail and are retried until it is attached.
   */
  readonly orderTriggers?: () => OrderTriggers | undefined;
  /** Entries taken together; a supplier's read-backs in one batch share calls. @default 200 */
  readonly batchSize?: number;
  /**
   * Reports of different SKUs applied in parallel. Kept low on purpose: the endpoint's inbox inserts share the
   * document server with these writes, and on a server that serialises writes (FerretDB on SQLite) a deep queue of
   * stock writes is what an acknowledgement would wait behind. @default 4
   */
  readonly concurrency?: number;
  /**
   * How often due entries (a crashed process's, retries) are looked for. Recovery waits for the lease anyway, and
   * the scan reads the inbox's pending entries (a collection scan on FerretDB), so not more often. @default 15000
   */
  readonly scanIntervalMs?: number;
  /** Processed entries (and so their delivery ids) are kept this long for dedupe. @default 72 h */
  readonly retentionMs?: number;
  /** How often old entries are swept. @default 600000 */
  readonly sweepIntervalMs?: number;
  /** Attempts before an entry is marked failed for good. @default 10 */
  readonly maxAttempts?: number;
  /** First retry delay, doubled per attempt up to 5 minutes. @default 1000 */
  readonly retryBaseMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface IngestWorker {
  /** Hands over an entry the endpoint just stored (the fast path; the scan is the safety net). */
  enqueue(entry: InboxEntry): void;
  /** Starts the scan and sweep timers, and scans once at once. */
  start(): void;
  /** Resolves when nothing is queued or being processed. */
  drain(): Promise<void>;
  /** Queues due entries now; returns how many were queued. */
  scanNow(): Promise<number>;
  /** Deletes entries past retention now; returns how many. */
  sweepNow(): Promise<number>;
  stop(): Promise<void>;
}

const MAX_RETRY_MS = 300_000;
/** Longer than any scan's read takes. */
const FORGET_FINISHED_MS = 120_000;

interface Job {
  readonly entry: InboxEntry;
  outcomes: IngestOutcome[];
  /** One per order signal, set once tracking answered. */
  orderOutcomes: OrderTriggerOutcome[];
  error: string | null;
}

/** Order signal outcomes on the signal metric's labels (`webhook_signals_processed_total`). */
const ORDER_METRIC: Readonly<Record<OrderTriggerOutcome, IngestOutcome>> = { moved: 'applied', unchanged: 'unchanged', unmatched: 'not_found', not_submitted: 'failed' };

export function createIngestWorker(options: IngestWorkerOptions): IngestWorker {
  const log = options.log.child({ component: 'webhook-ingest' });
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 200;
  const concurrency = options.concurrency ?? 4;
  const retentionMs = options.retentionMs ?? 72 * 3_600_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const queue: InboxEntry[] = [];
  const known = new Map<string, number>(); // queued or in flight here -> received at (epoch ms)
  // Read at scrape time: the oldest entry still here (a Map keeps insertion order, but a recovered entry can be older).
  options.metrics.inboxOldestAge?.(() => {
    let oldest = Number.POSITIVE_INFINITY;
    for (const at of known.values()) oldest = Math.min(oldest, at);
    return Number.isFinite(oldest) ? Math.max(0, now() - oldest) / 1000 : null;
  });
  /**
   * When this process last recorded an entry's outcome. A scan whose read started before that saw the entry still
   * pending: taking it again would only repeat (harmless, but wasted) work.
   */
  const finished = new Map<string, number>();
  const stopping = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  let pumping: Promise<void> | null = null;

  /**
   * Applies the reports of one batch. Per (SKU, supplier) only the newest figure of the batch goes to the store:
   * the older ones are superseded by it (counted as stale updates, exactly as if they had arrived after it), so a
   * burst of changes to one item costs one write and announces its net change once. SKUs run in parallel.
   */
  async function apply(supplier: string, jobs: readonly Job[], perSignal: (StockReport | IngestOutcome)[][]): Promise<void> {
    const newest = new Map<string, { report: StockReport; users: { job: Job; at: number }[] }>();
    perSignal.forEach((resolved, j) =>
      resolved.forEach((r, at) => {
        if (typeof r === 'string') return;
        const user = { job: jobs[j]!, at };
        const slot = newest.get(r.sku);
        if (slot === undefined) return void newest.set(r.sku, { report: r, users: [user] });
        const sameFigure = slot.report.supplierAsOf === r.supplierAsOf && slot.report.onHand === r.onHand;
        if (sameFigure) return void slot.users.push(user);
        const [keep, drop] = Date.parse(r.supplierAsOf) >= Date.parse(slot.report.supplierAsOf) ? [{ report: r, users: [user] }, slot] : [slot, { report: r, users: [user] }];
        for (const superseded of drop.users) superseded.job.outcomes[superseded.at] = 'stale';
        options.metrics.stockUpdate(supplier, 'webhook', 'stale');
        newest.set(r.sku, keep);
      }),
    );
    await forEachConcurrently(newest.values(), concurrency, async ({ report, users }) => {
      try {
        const result = await inSpan('stock write', { 'supplier.slug': supplier, 'stock.source': 'webhook' }, () => options.updater.applyReport(report, 'webhook'));
        const changed = result.outcome === 'applied' && (result.before === null || result.before.onHand !== result.after.onHand);
        const outcome: IngestOutcome = result.outcome === 'stale' ? 'stale' : changed ? 'applied' : 'unchanged';
        // The first delivery carrying this figure gets the outcome; the others carried the same news.
        users.forEach(({ job, at }, i) => (job.outcomes[at] = i === 0 ? outcome : 'unchanged'));
      } catch (error) {
        for (const { job } of users) job.error = storedFailureText(error);
      }
    });
  }

  /**
   * Hands the batch's order signals to order tracking, in one call per supplier. An entry whose read-back failed,
   * or whose sub-order is still being submitted (the webhook beat our record of the acknowledgement), is retried.
   */
  async function track(supplier: string, jobs: readonly Job[]): Promise<void> {
    const withOrders = jobs.filter((j) => (j.entry.orderSignals ?? []).length > 0);
    if (withOrders.length === 0) return;
    const triggers = options.orderTriggers?.();
    if (triggers === undefined) {
      for (const job of withOrders) job.error ??= 'order tracking is not attached yet';
      return;
    }
    try {
      const results = await triggers.trackSupplierOrders(supplier, withOrders.flatMap((j) => j.entry.orderSignals ?? []), stopping.signal);
      let at = 0;
      for (const job of withOrders) {
        const count = (job.entry.orderSignals ?? []).length;
        for (const result of Array.from({ length: count }, (_, i) => results[at + i])) {
          if (result === undefined || 'error' in result) job.error ??= result?.error === undefined ? 'order tracking gave no answer' : storedFailureText(result.error);
          else if (result.outcome === 'not_submitted') job.error ??= 'the sub-order is still being submitted; tracked again later';
          else job.orderOutcomes.push(result.outcome);
        }
        at += count;
      }
    } catch (error) {
      const message = storedFailureText(error);
      for (const job of withOrders) job.error ??= message;
    }
  }

  /**
   * One supplier's share of a batch, as a span continuing the first delivery's trace (the webhook request that
   * stored it): arrival → inbox → this worker → stock writes → events join one trace (docs/operations.md, "Traces").
   */
  function processSupplier(supplier: string, entries: readonly InboxEntry[]): Promise<void> {
    const attributes = { 'supplier.slug': supplier, 'webhook.deliveries': entries.length };
    return inRemoteSpan(entries[0]?.traceparent, 'webhook ingest', attributes, () => processSupplierBatch(supplier, entries));
  }

  async function processSupplierBatch(supplier: string, entries: readonly InboxEntry[]): Promise<void> {
    const jobs: Job[] = entries.map((entry) => ({ entry, outcomes: entry.signals.map(() => 'failed' as IngestOutcome), orderOutcomes: [], error: null }));
    const tracking = track(supplier, jobs); // order read-backs go alongside the stock path
    let perSignal: (StockReport | IngestOutcome)[][] = [];
    let readBacks: readonly ReadBack[] = [];
    try {
      const resolved = await options.reports.resolve(supplier, entries.flatMap((e) => e.signals), stopping.signal);
      readBacks = resolved.readBacks;
      let at = 0;
      perSignal = entries.map((e) => e.signals.map(() => {
        const r = resolved.resolutions[at++]!;
        return 'report' in r ? r.report : r.skipped;
      }));
    } catch (error) {
      const message = storedFailureText(error);
      for (const job of jobs) job.error = message;
    }
    perSignal.forEach((resolved, j) => resolved.forEach((r, at) => typeof r === 'string' && (jobs[j]!.outcomes[at] = r)));
    if (perSignal.length > 0) await apply(supplier, jobs, perSignal);
    // After the stock writes (which drop a changed row's fresh offer entry); never fails the batch (the recorder logs).
    for (const readBack of readBacks) await options.offers?.record(supplier, readBack.requested, readBack.answers, readBack.observedAt);
    await tracking;
    await finish(supplier, jobs);
  }

  /** Records the batch's outcomes: successes in one write per note, failures one by one (rare). */
  async function finish(supplier: string, jobs: readonly Job[]): Promise<void> {
    const at = now();
    const done = new Map<string, string[]>(); // note -> ids
    for (const job of jobs) {
      if (job.error !== null) continue;
      for (const outcome of job.outcomes) options.metrics.ingested(supplier, outcome);
      if (job.outcomes.some((o) => o === 'applied' || o === 'unchanged')) options.metrics.stockConfirmed?.(supplier);
      const receivedAt = Date.parse(job.entry.receivedAt);
      if (Number.isFinite(receivedAt)) options.metrics.ingestLag?.(supplier, (at - receivedAt) / 1000);
      for (const outcome of job.orderOutcomes) options.metrics.ingested(supplier, ORDER_METRIC[outcome]);
      const parts = [...job.outcomes, ...job.orderOutcomes.map((o) => `order ${o}`)];
      const note = parts.length === 0 ? 'no stock signals' : parts.join(', ');
      done.set(note, [...(done.get(note) ?? []), job.entry.id]);
    }
    // `finished` takes the time the write landed: a scan that began reading before then may have seen it pending.
    const writes = [...done].map(async ([note, ids]) => {
      await options.inbox.complete(ids, note, new Date(at).toISOString());
      const landed = now();
      for (const id of ids) finished.set(id, landed);
    });
    for (const job of jobs) {
      if (job.error === null) continue;
      const error = job.error;
      options.metrics.ingested(supplier, 'failed', Math.max(1, job.entry.signals.length));
      const giveUp = job.entry.attempts + 1 >= maxAttempts;
      const retryAt = new Date(at + Math.min(MAX_RETRY_MS, retryBaseMs * 2 ** job.entry.attempts)).toISOString();
      writes.push(
        options.inbox.fail(job.entry.id, error, retryAt, giveUp).then(() => {
          finished.set(job.entry.id, now());
          (giveUp ? log.error.bind(log) : log.warn.bind(log))(
            { supplier, deliveryId: job.entry.deliveryId, attempts: job.entry.attempts + 1, error },
            giveUp ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry',
          );
        }),
      );
    }
    for (const result of await Promise.allSettled(writes)) {
      // The entries stay pending and are taken again once due: at least once, never lost.
      if (result.status === 'rejected') log.warn({ err: result.reason, supplier }, 'could not record the outcome of webhook deliveries');
    }
  }

  async function pump(): Promise<void> {
    while (queue.length > 0 && !stopping.signal.aborted) {
      const batch = queue.splice(0, batchSize);
      const bySupplier = new Map<string, InboxEntry[]>();
      for (const entry of batch) bySupplier.set(entry.supplier, [...(bySupplier.get(entry.supplier) ?? []), entry]);
      try {
        await Promise.all([...bySupplier].map(([supplier, entries]) => processSupplier(supplier, entries)));
      } finally {
        for (const entry of batch) known.delete(entry.id);
        options.metrics.inboxBacklog(known.size);
      }
    }
  }

  function kick(): void {
    if (pumping !== null) return;
    pumping = pump()
      .catch((error: unknown) => log.error({ err: error }, 'webhook ingest loop failed'))
      .finally(() => {
        pumping = null;
        if (queue.length > 0 && !stopping.signal.aborted) kick();
      });
  }

  function enqueue(entry: InboxEntry): void {
    if (stopping.signal.aborted || known.has(entry.id)) return;
    known.set(entry.id, Date.parse(entry.receivedAt) || now());
    queue.push(entry);
    options.metrics.inboxBacklog(known.size);
    kick();
  }

  async function scanNow(): Promise<number> {
    const readAt = now();
    for (const [id, at] of finished) if (at < readAt - FORGET_FINISHED_MS) finished.delete(id);
    const due = await options.inbox.due(new Date(readAt).toISOString(), batchSize * 5);
    let queued = 0;
    for (const entry of due) {
      if (known.has(entry.id) || (finished.get(entry.id) ?? Number.NEGATIVE_INFINITY) >= readAt) continue;
      enqueue(entry);
      queued += 1;
    }
    return queued;
  }

  async function sweepNow(): Promise<number> {
    const removed = await options.inbox.sweep(new Date(now() - retentionMs).toISOString());
    if (removed > 0) log.debug({ removed }, 'swept old webhook deliveries');
    return removed;
  }

  const every = (ms: number, run: () => Promise<unknown>, what: string) => {
    const timer = setInterval(() => void run().catch((error: unknown) => log.warn({ err: error }, `${what} failed`)), ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    enqueue,
    start() {
      every(options.scanIntervalMs ?? 15_000, scanNow, 'webhook inbox scan');
      every(options.sweepIntervalMs ?? 600_000, sweepNow, 'webhook inbox sweep');
      void scanNow().catch((error: unknown) => log.warn({ err: error }, 'webhook inbox scan failed'));
    },
    async drain() {
      while (pumping !== null) await pumping;
    },
    scanNow,
    sweepNow,
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      // Queued entries stay pending in the inbox; a supplier read in flight is aborted and its entries are marked
      // for retry, so shutting down never waits on a slow supplier and never loses a delivery.
      queue.length = 0;
      stopping.abort();
      while (pumping !== null) await pumping;
    },
  };
}
