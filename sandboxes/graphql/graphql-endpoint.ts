/**
 * POST /admin/api/2025-01/graphql.json: auth, fault knobs, cost-based throttling, execution, and the
 * `extensions.cost` report Shopify attaches to every answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  execute,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { malform, type FaultController } from '../shared/faults.ts';
import type { RequestWindow } from '../shared/request-window.ts';
import { CostBucket, MAX_SINGLE_QUERY_COST, actualCost, requestedCost } from './cost.ts';
import type { OrderBook } from './orders.ts';
import type { ResolverContext } from './resolvers.ts';
import { API_VERSION } from './webhooks.ts';
import type { World } from './world.ts';

export const GRAPHQL_PATH = `/admin/api/${API_VERSION}/graphql.json`;

export interface EndpointStats {
  total: number;
  byOperation: Record<string, number>;
  maxStockBatch: number;
  /** Requests refused for want of cost points, or over the published request limit when one is set. */
  overLimit: number;
}

export interface EndpointDeps {
  readonly schema: GraphQLSchema;
  readonly world: World;
  readonly orders: OrderBook;
  readonly faults: FaultController;
  readonly bucket: CostBucket;
  readonly stats: EndpointStats;
  readonly accessToken: string;
  /** The published request limit, if the sandbox was given one (the cost bucket applies regardless). */
  readonly requestWindow: RequestWindow;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The lost-acknowledgement knob fired: the order is stored, this answer is dropped (or sent after `delayMs`). */
  readonly lost?: { readonly delayMs: number | null };
}

const json = (status: number, value: unknown, headers?: Record<string, string>): Answer => ({ status, body: JSON.stringify(value), headers });

const errorJson = (error: GraphQLError | { message: string; extensions?: Record<string, unknown> }): Record<string, unknown> =>
  error instanceof GraphQLError ? { ...error.toJSON() } : { message: error.message, ...(error.extensions ? { extensions: error.extensions } : {}) };

function serverError(requestNumber: number): Answer {
  // Shopify's edge answers 502 with an HTML page and 503 with a small JSON body; alternate between them.
  return requestNumber % 2 === 1
    ? { status: 502, body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html; charset=utf-8' }
    : json(503, { errors: 'Service Unavailable' });
}

interface Parsed {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Record<string, unknown>;
  readonly rawVariables: Record<string, unknown>;
}

function parseRequest(deps: EndpointDeps, rawBody: string): Parsed | Answer {
  let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    payload = JSON.parse(rawBody) as typeof payload;
  } catch {
    return json(400, { errors: { query: 'Required parameter missing or invalid' } });
  }
  if (typeof payload?.query !== 'string') return json(400, { errors: { query: 'Required parameter missing or invalid' } });
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    return json(200, { errors: [errorJson(error as GraphQLError)] });
  }
  const invalid = validate(deps.schema, document);
  if (invalid.length > 0) return json(200, { errors: invalid.map(errorJson) });
  const operationName = typeof payload.operationName === 'string' ? payload.operationName : null;
  const operation = getOperationAST(document, operationName);
  if (!operation) return json(200, { errors: [{ message: 'An operation name is required when the document holds several operations' }] });
  const rawVariables = (payload.variables && typeof payload.variables === 'object' ? payload.variables : {}) as Record<string, unknown>;
  const coerced = getVariableValues(deps.schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return json(200, { errors: coerced.errors.map(errorJson) });
  return { document, operation, variables: coerced.coerced, rawVariables };
}

function countOperation(stats: EndpointStats, operation: OperationDefinitionNode): void {
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value.startsWith('__')) continue;
    stats.byOperation[selection.name.value] = (stats.byOperation[selection.name.value] ?? 0) + 1;
  }
}

/** The cost report of a request refused before execution: nothing was charged, so no actual cost. */
const unexecutedCost = (requested: number, deps: EndpointDeps) => ({
  cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: deps.bucket.status() },
});

const throttled = (requested: number, deps: EndpointDeps, headers?: Record<string, string>): Answer =>
  json(
    200,
    {
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
      extensions: unexecutedCost(requested, deps),
    },
    headers,
  );

async function answer(deps: EndpointDeps, req: IncomingMessage, rawBody: string, fate: ReturnType<FaultController['decide']>): Promise<Answer> {
  await deps.faults.delay();
  if (fate.decision === 'error') return serverError(deps.stats.total);
  if (req.headers['x-shopify-access-token'] !== deps.accessToken) {
    return json(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
  }
  const parsed = parseRequest(deps, rawBody);
  if ('status' in parsed) return parsed;
  countOperation(deps.stats, parsed.operation);

  const costInput = { schema: deps.schema, document: parsed.document, operation: parsed.operation, variables: parsed.variables };
  const requested = requestedCost(costInput);
  if (requested > MAX_SINGLE_QUERY_COST) {
    return json(200, {
      errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).`, extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_SINGLE_QUERY_COST } }],
      extensions: unexecutedCost(requested, deps),
    });
  }
  // A 429 storm from the knob: Shopify sends no Retry-After, maplecart's edge does (see docs).
  if (fate.decision === 'throttle') return throttled(requested, deps, { 'Retry-After': String(fate.retryAfterSeconds) });
  const isMutation = parsed.operation.operation === 'mutation';
  if (fate.decision === 'reject' && !isMutation) {
    return json(200, {
      errors: [{ message: 'Request rejected by maplecart (simulated)', extensions: { code: 'BAD_REQUEST' } }],
      extensions: unexecutedCost(requested, deps),
    });
  }
  if (!deps.bucket.tryTake(requested)) {
    // The cost bucket is maplecart's published limit: a request it cannot pay for is over the limit.
    deps.stats.overLimit += 1;
    return throttled(requested, deps);
  }

  const context: ResolverContext = {
    world: deps.world,
    orders: deps.orders,
    rejectMutations: fate.decision === 'reject',
    idempotency: null,
    onStockBatch: (size) => {
      deps.stats.maxStockBatch = Math.max(deps.stats.maxStockBatch, size);
    },
  };
  const ordersBefore = deps.orders.all().length;
  const result = await execute({
    schema: deps.schema,
    document: parsed.document,
    operationName: parsed.operation.name?.value ?? null,
    variableValues: parsed.rawVariables,
    contextValue: context,
  });
  // A lost acknowledgement: the order is committed, but the answer (and with it the idempotency replay record,
  // which stores that answer) never comes to be. A resend under the same key meets the sourceIdentifier guard.
  const lost = deps.orders.all().length > ordersBefore ? deps.faults.takeLostAck() : null;
  if (lost !== null && context.idempotency) deps.orders.forgetReplay(context.idempotency.key);
  const actual = actualCost(costInput, result.data as Record<string, unknown> | null | undefined);
  deps.bucket.refund(requested - actual);
  const reply = json(200, {
    ...(result.errors ? { errors: result.errors.map(errorJson) } : {}),
    data: result.data ?? null,
    extensions: {
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: deps.bucket.status() },
      ...(context.idempotency ? { idempotency: context.idempotency } : {}),
    },
  });
  return lost === null ? reply : { ...reply, lost };
}

export async function handleGraphql(deps: EndpointDeps, req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
  deps.stats.total += 1;
  if (!deps.faults.knobs.down) {
    const limited = deps.requestWindow.admit();
    if (!limited.admitted) {
      // A request-rate limit is enforced at the edge, before any cost is computed (Shopify's REST wording).
      deps.stats.overLimit += 1;
      res.writeHead(429, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': String(limited.retryAfterSeconds) });
      res.end(JSON.stringify({ errors: 'Exceeded the call rate limit for this api client. Reduce request rates to resume uninterrupted service.' }));
      return;
    }
  }
  const fate = deps.faults.decide();
  if (fate.decision === 'down') {
    req.socket.destroy();
    return;
  }
  const reply = await answer(deps, req, rawBody, fate);
  if (reply.lost) {
    if (reply.lost.delayMs === null) return void req.socket.destroy();
    await new Promise((r) => setTimeout(r, reply.lost!.delayMs!));
  }
  if (res.destroyed || res.writableEnded) return;
  const body = reply.status === 200 && deps.faults.shouldMalform() ? malform(reply.body) : reply.body;
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType ?? 'application/json; charset=utf-8',
    'X-Request-Id': randomUUID(),
    'X-Shopify-API-Version': API_VERSION,
    ...reply.headers,
  });
  res.end(body);
}
