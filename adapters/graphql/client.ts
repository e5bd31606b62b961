/**
 * A GraphQL-over-HTTP client for GraphQL suppliers on global fetch: one POST per operation, the caller's
 * AbortSignal, the HTTP and GraphQL outcome mapped to registry errors (errors.ts), `data` validated with a
 * zod schema, and the last `extensions.cost` throttle status kept for rate adaptation. Bodies are read bounded
 * (docs/security.md, "Bounded reads"): a 2xx answer up to its operation's cap (CONTRACT_VIOLATION
 * `answer-too-large` past it, unparsed), an error answer up to MAX_ERROR_ANSWER_BYTES (past it, left unread).
 */
import { z } from 'zod';
import { answerLimits, MAX_ERROR_ANSWER_BYTES, readCappedText, type AnswerLimits } from '../core/answer-cap.ts';
import { RegistryError, isRegistryError } from '../../kernel/errors.ts';
import { answerTooComplex, checkJsonShape, DEFAULT_JSON_BUDGET, type JsonBudget } from '../core/json-budget.ts';
import type { Logger } from '../../platform/logger.ts';
import { graphqlErrorSchema, graphqlErrorsError, httpError, type GraphqlErrorContext } from './errors.ts';
import { waitForStatus } from '../http/retry-after.ts';
import { readQueryCost, throttleWaitMs, type ObservedThrottleStatus, type QueryCost } from './throttle.ts';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface GraphqlClientOptions {
  /** Full endpoint URL, e.g. https://shop.example.com/admin/api/2025-01/graphql.json */
  readonly endpoint: string;
  /** Supplier slug, for errors and logs. */
  readonly supplier: string;
  /** Headers sent on every request (auth). Never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default global fetch */
  readonly fetch?: FetchLike;
  /** @default 'dropship-graph' */
  readonly userAgent?: string;
  /**
   * Largest 2xx body read per connector operation (the suppliers file's `maxAnswerBytes`); larger is
   * CONTRACT_VIOLATION `answer-too-large`, unparsed. @default answerLimits() (8 MiB)
   */
  readonly answerLimits?: AnswerLimits;
  /** Most values and deepest nesting parsed from a 2xx body (a CPU bound: json-budget.ts). @default DEFAULT_JSON_BUDGET */
  readonly jsonBudget?: JsonBudget;
}

export interface GraphqlRequest<T> {
  /** The document; should name its operation (`query MaplecartStock(...)`). */
  readonly query: string;
  /** Operation name, sent and used in errors and logs. */
  readonly operationName: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Shape of `data`; a mismatch is a CONTRACT_VIOLATION. */
  readonly schema: z.ZodType<T>;
  readonly signal: AbortSignal;
  /** Connector operation, e.g. 'getStock'. */
  readonly operation: string;
  readonly log?: Logger;
}

export interface GraphqlResult<T> {
  readonly data: T;
  /** The raw `extensions` object (suppliers put cost, idempotency and more there). */
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly cost: QueryCost | null;
}

export interface GraphqlClient {
  request<T>(request: GraphqlRequest<T>): Promise<GraphqlResult<T>>;
  /** The throttle status from the most recent answer that carried one, or null before any. */
  throttleStatus(): ObservedThrottleStatus | null;
}

const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(graphqlErrorSchema).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});

const MAX_REPORTED_ISSUES = 5;

/** undici hides the socket error under `cause`; name it so logs say "ECONNRESET", not "fetch failed". */
function describe(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof inner?.code === 'string') return inner.code;
  if (typeof inner?.message === 'string') return inner.message;
  return cause instanceof Error ? cause.message : String(cause);
}

function contractViolation(ctx: GraphqlErrorContext, message: string, details: Record<string, unknown>, cause?: unknown): RegistryError {
  return new RegistryError('CONTRACT_VIOLATION', `${ctx.supplier} ${ctx.operationName}: ${message}`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    details,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Paths and messages only: values may hold personal data. */
const issuesOf = (error: z.ZodError): string[] =>
  error.issues.slice(0, MAX_REPORTED_ISSUES).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);

/**
 * The supplier's own line from an error body (Shopify puts a string in `errors` for HTTP errors), raw: httpError
 * cleans and clips it into details. The body is at most MAX_ERROR_ANSWER_BYTES.
 */
function supplierMessageOf(text: string): unknown {
  try {
    const errors = (JSON.parse(text) as { errors?: unknown } | null)?.errors;
    if (typeof errors === 'string') return errors;
    if (Array.isArray(errors)) return (errors[0] as { message?: unknown } | null)?.message;
  } catch {
    // not JSON (an HTML error page): say nothing rather than echo markup
  }
  return undefined;
}

/** zod itself throws (RangeError) on an array with millions of invalid items: the supplier's answer, not our bug. */
function safeParse<S extends z.ZodType>(schema: S, value: unknown, ctx: GraphqlErrorContext): ReturnType<S['safeParse']> {
  try {
    return schema.safeParse(value) as ReturnType<S['safeParse']>;
  } catch (error) {
    throw contractViolation(ctx, 'answer could not be validated', {}, error);
  }
}

const isAnswerTooLarge = (error: unknown): boolean => isRegistryError(error) && error.details?.['reason'] === 'answer-too-large';

export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const fetchImpl = options.fetch ?? fetch;
  const userAgent = options.userAgent ?? 'dropship-graph';
  const limits = options.answerLimits ?? answerLimits();
  const budget = options.jsonBudget ?? DEFAULT_JSON_BUDGET;
  let lastThrottle: ObservedThrottleStatus | null = null;

  async function exchange(request: GraphqlRequest<unknown>, ctx: GraphqlErrorContext): Promise<{ status: number; headers: Headers; text: string }> {
    const transportError = (cause: unknown): RegistryError =>
      // The outbound policy's own verdicts (refused URL, TLS pin mismatch) are critical: keep them as they are.
      isRegistryError(cause)
        ? cause
        : request.signal.aborted
        ? new RegistryError('CALL_ABORTED', `${ctx.supplier} ${ctx.operationName} aborted`, { supplier: ctx.supplier, operation: ctx.operation, cause })
        : new RegistryError('SUPPLIER_UNAVAILABLE', `${ctx.supplier} ${ctx.operationName} failed: ${describe(cause)}`, { supplier: ctx.supplier, operation: ctx.operation, cause });
    let response: Response;
    try {
      response = await fetchImpl(options.endpoint, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': userAgent, ...options.headers },
        body: JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables ?? {} }),
        signal: request.signal,
        // A redirect would carry our access token to a host we did not choose: treat it as an answer.
        redirect: 'manual',
      });
    } catch (error) {
      throw transportError(error);
    }
    const ok = response.status >= 200 && response.status < 300;
    const cap = { supplier: ctx.supplier, operation: ctx.operation, label: ctx.operationName };
    try {
      // Read here: a connection cut mid-body is a transport failure, not a bad payload.
      const text = await readCappedText(response, ok ? limits.maxBytes(ctx.operation) : MAX_ERROR_ANSWER_BYTES, cap);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      // An error page too large to be worth reading: its status still says what happened.
      if (!ok && isAnswerTooLarge(error)) return { status: response.status, headers: response.headers, text: '' };
      throw transportError(error);
    }
  }

  return {
    throttleStatus: () => lastThrottle,

    async request<T>(request: GraphqlRequest<T>): Promise<GraphqlResult<T>> {
      const ctx: GraphqlErrorContext = { supplier: options.supplier, operation: request.operation, operationName: request.operationName };
      const started = performance.now();
      const answer = await exchange(request, ctx);
      request.log?.debug(
        { supplier: options.supplier, op: request.operation, operationName: request.operationName, status: answer.status, ms: Math.round(performance.now() - started) },
        'supplier graphql call',
      );
      if (answer.status < 200 || answer.status >= 300) {
        throw httpError(answer.status, ctx, waitForStatus(answer.status, answer.headers), supplierMessageOf(answer.text));
      }
      // Scanned in slices before the one synchronous parse, so that parse (and zod after it) stays short.
      const shape = await checkJsonShape(answer.text, budget);
      if (!shape.ok) throw answerTooComplex({ supplier: ctx.supplier, operation: ctx.operation, label: ctx.operationName }, budget, shape.reason);
      let json: unknown;
      try {
        json = JSON.parse(answer.text);
      } catch (error) {
        throw contractViolation(ctx, 'answer is not valid JSON', { status: answer.status }, error);
      }
      const envelope = safeParse(envelopeSchema, json, ctx);
      if (!envelope.success) throw contractViolation(ctx, 'answer is not a GraphQL response', { issues: issuesOf(envelope.error) }, envelope.error);
      const extensions = envelope.data.extensions ?? {};
      const cost = readQueryCost(extensions);
      if (cost) lastThrottle = { ...cost.throttleStatus, observedAt: Date.now() };
      const errors = envelope.data.errors ?? [];
      if (errors.length > 0) throw graphqlErrorsError(errors, ctx, throttleWaitMs(answer.headers.get('retry-after'), cost));
      if (envelope.data.data == null) throw contractViolation(ctx, 'answer has neither data nor errors', {});
      const data = safeParse(request.schema, envelope.data.data, ctx);
      if (!data.success) throw contractViolation(ctx, 'data does not match the expected shape', { issues: issuesOf(data.error) }, data.error);
      return { data: data.data, extensions, cost };
    },
  };
}
