/**
 * Steady traffic against the cluster while processes are killed: queries (with a time budget), orders (each retried
 * under its own idempotency key until it is answered), sandbox-driven stock webhooks, and one live subscription
 * that reconnects through the balancer. Everything it sends and sees is recorded for the suite's checks.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { SupplierSandbox } from '../../../sandboxes/shared/sandbox.ts';
import type { Cluster } from './cluster.ts';

export const QUERY_BUDGET_MS = 3_000;
/** What the gateway may add past the budget (SUBGRAPH_TIMEOUT_GRACE_MS 1 s) plus a busy two-core machine's slack, and one retry of a cut connection. */
export const QUERY_BOUND_MS = QUERY_BUDGET_MS + 1_000 + 2_500;

export interface QueryResult {
  readonly at: number;
  readonly ms: number;
  readonly status: number;
  /** A full answer: data and no errors. */
  readonly complete: boolean;
  readonly codes: string[];
  /** Error messages (our words: which subgraph or supplier), for a failure report. */
  readonly messages: string[];
  readonly retried: boolean;
}

export interface PlacedOrder {
  readonly key: string;
  readonly sku: string;
  readonly attempts: number;
  readonly answered: boolean;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface Load {
  readonly queries: QueryResult[];
  readonly orders: PlacedOrder[];
  /** setStock calls per supplier slug: each is one webhook the sandbox sends. */
  readonly webhooksSent: Map<string, number>;
  /** Every figure the load set (each unique). */
  readonly setValues: Set<number>;
  /** The last figure set per `${slug}:${supplierSku}`. */
  readonly lastSet: Map<string, number>;
  /** Subscription events received (time), and reconnects. */
  readonly events: { at: number; sku: string; supplier: string; available: number }[];
  readonly subscriptionConnects: number[];
  readonly subscriptionErrors: string[];
  stop(): Promise<void>;
}

const SHIP_TO = { name: 'Multi Process', line1: '1 Scale Street', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' };
const QUERY = '{ products(first: 5) { sku stock { available } offers { id available } } }';
const PLACE = 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status placement { inProgress } } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, body: unknown, budgetMs: number): Promise<{ status: number; json: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-budget-ms': String(budgetMs) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(budgetMs + 5_000),
  });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    return { status: response.status, json: { raw: text } };
  }
}

/** One POST, retried once when the connection was cut (a killed gateway), as any HTTP client would. */
async function postRetryingCut(url: string, body: unknown, budgetMs: number): Promise<{ status: number; json: any; retried: boolean }> {
  try {
    return { ...(await post(url, body, budgetMs)), retried: false };
  } catch {
    return { ...(await post(url, body, budgetMs).catch(() => ({ status: 0, json: {} }))), retried: true };
  }
}

export function startLoad(cluster: Cluster, options: { queryEveryMs?: number; orderEveryMs?: number; webhookEveryMs?: number } = {}): Load {
  const stopping = new AbortController();
  const queries: QueryResult[] = [];
  const orders: PlacedOrder[] = [];
  const webhooksSent = new Map<string, number>();
  const lastSet = new Map<string, number>();
  const setValues = new Set<number>();
  const events: Load['events'] = [];
  const subscriptionConnects: number[] = [];
  const subscriptionErrors: string[] = [];
  const loops: Promise<void>[] = [];
  const every = (ms: number, body: () => Promise<void>) => {
    loops.push(
      (async () => {
        while (!stopping.signal.aborted) {
          const started = Date.now();
          await body().catch(() => {});
          await sleep(Math.max(0, ms - (Date.now() - started)));
        }
      })(),
    );
  };

  every(options.queryEveryMs ?? 300, async () => {
    const started = performance.now();
    const at = Date.now();
    const { status, json, retried } = await postRetryingCut(cluster.graphqlUrl, { query: QUERY }, QUERY_BUDGET_MS);
    const codes: string[] = (json.errors ?? []).map((e: any) => String(e.extensions?.code ?? 'NONE'));
    const messages: string[] = (json.errors ?? []).map((e: any) => String(e.message).slice(0, 160));
    queries.push({ at, ms: performance.now() - started, status, complete: status === 200 && json.data?.products != null && codes.length === 0, codes, messages, retried });
  });

  // Orders rotate over the seeded products of every supplier; one at a time, each retried under its key.
  const orderSkus = [...cluster.skus.values()].flatMap((skus) => skus.slice(0, 2));
  let n = 0;
  every(options.orderEveryMs ?? 1_200, async () => {
    const key = `mp-${process.pid}-${(n += 1)}`;
    const sku = orderSkus[n % orderSkus.length]!;
    const input = { idempotencyKey: key, shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] };
    const startedAt = Date.now();
    let attempts = 0;
    let answered = false;
    while (!answered && Date.now() - startedAt < 30_000) {
      attempts += 1;
      const { json } = await postRetryingCut(cluster.graphqlUrl, { query: PLACE, variables: { input } }, 8_000).catch(() => ({ json: {} as any }));
      answered = json.data?.placeOrder?.id !== undefined && (json.errors ?? []).length === 0;
      if (!answered) await sleep(500);
    }
    orders.push({ key, sku, attempts, answered, startedAt, endedAt: Date.now() });
  });

  // Stock movements at the suppliers that push: each sends one signed webhook to the ingests' balancer.
  const pushing = [...cluster.sandboxes].filter(([, s]) => s.webhookSecret !== null) as [string, SupplierSandbox & { setStock?: (sku: string, n: number) => void }][];
  let m = 0;
  every(options.webhookEveryMs ?? 400, async () => {
    m += 1;
    const [slug, sandbox] = pushing[m % pushing.length]!;
    const supplierSku = sandbox.supplierSkus()[m % 3]!;
    const value = 500 + m;
    setValues.add(value);
    sandbox.setStock!(supplierSku, value);
    webhooksSent.set(slug, (webhooksSent.get(slug) ?? 0) + 1);
    lastSet.set(`${slug}:${supplierSku}`, value);
  });

  // One subscriber through the balancer, reconnecting (and resubscribing) whenever its gateway goes away.
  const client = createClient({
    url: cluster.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 1_000,
    shouldRetry: () => true,
    retryWait: async () => {
      await sleep(250);
    },
    on: { connected: () => void subscriptionConnects.push(Date.now()) },
  });
  const unsubscribe = client.subscribe<{ stockChanged: { sku: string; supplier: string; newAvailable: number } }>(
    { query: 'subscription { stockChanged { sku supplier newAvailable } }' },
    {
      next: (value) => {
        const change = value.data?.stockChanged;
        if (change) events.push({ at: Date.now(), sku: change.sku, supplier: change.supplier, available: change.newAvailable });
      },
      error: (error: unknown) => void subscriptionErrors.push(JSON.stringify(error).slice(0, 300)),
      complete: () => {},
    },
  );

  return {
    queries,
    orders,
    webhooksSent,
    lastSet,
    setValues,
    events,
    subscriptionConnects,
    subscriptionErrors,
    stop: async () => {
      stopping.abort();
      await Promise.all(loops);
      unsubscribe();
      await client.dispose();
    },
  };
}
