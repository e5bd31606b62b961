/**
 * A small JSON-over-HTTP client for REST suppliers: builds the request, authorises it, maps the HTTP outcome
 * to a registry error (http-errors.ts) and validates 2xx bodies with a zod schema, so a connector only ever
 * sees typed data or a RegistryError. A 401 gets exactly one retry after the auth provider refreshes.
 */
import type { z } from 'zod';
import { answerLimits, type AnswerLimits } from '../core/answer-cap.ts';
import { RegistryError } from '../../kernel/errors.ts';
import { answerTooComplex, checkJsonShape, DEFAULT_JSON_BUDGET, type JsonBudget } from '../core/json-budget.ts';
import type { Logger } from '../../platform/logger.ts';
import { errorForStatus, type SupplierErrorInfo } from './http-errors.ts';
import { exchange, type FetchLike } from './transport.ts';

export interface RequestAuth {
  /** Headers that authorise the next request (e.g. a bearer token). */
  headers(signal: AbortSignal): Promise<Record<string, string>>;
  /** After a 401 on a request sent with `rejected` headers: drop them; true when one retry is worthwhile. */
  refresh(rejected: Readonly<Record<string, string>>, signal: AbortSignal): Promise<boolean>;
}

export interface JsonClientOptions {
  /** e.g. https://api.example.com (a path prefix is kept). */
  readonly baseUrl: string;
  /** Supplier slug, for error messages and logs. */
  readonly supplier: string;
  readonly auth?: RequestAuth;
  /** Reads the supplier's own error code and message from a parsed error body. @default none */
  readonly readError?: (body: unknown) => SupplierErrorInfo;
  /** @default global fetch */
  readonly fetch?: FetchLike;
  /** @default 'dropship-graph' */
  readonly userAgent?: string;
  /**
   * Largest 2xx body read per operation (the suppliers file's `maxAnswerBytes`); larger is CONTRACT_VIOLATION
   * `answer-too-large`, unparsed. Error bodies are capped at MAX_ERROR_ANSWER_BYTES. @default answerLimits() (8 MiB)
   */
  readonly answerLimits?: AnswerLimits;
  /** Most values and deepest nesting parsed from a 2xx body (a CPU bound: json-budget.ts). @default DEFAULT_JSON_BUDGET */
  readonly jsonBudget?: JsonBudget;
}

export interface JsonRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below baseUrl, starting with '/'; callers encode path segments. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | null | undefined>>;
  /** Sent as JSON when present. */
  readonly body?: unknown;
  /** Shape of a 2xx body; a mismatch is a CONTRACT_VIOLATION. */
  readonly schema: z.ZodType<T>;
  readonly signal: AbortSignal;
  /** Name for errors and logs, e.g. 'getStock'. */
  readonly operation: string;
  readonly log?: Logger;
}

export interface JsonClient {
  request<T>(request: JsonRequest<T>): Promise<T>;
}

const MAX_REPORTED_ISSUES = 5;

function contractViolation(message: string, request: JsonRequest<unknown>, supplier: string, extra: Record<string, unknown> = {}, cause?: unknown): RegistryError {
  return new RegistryError('CONTRACT_VIOLATION', `${supplier} ${request.method} ${request.path}: ${message}`, {
    supplier,
    operation: request.operation,
    details: extra,
    ...(cause === undefined ? {} : { cause }),
  });
}

function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  if (text.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error };
  }
}

/** An error body is the supplier's free text: a reader that trips on it must not hide the HTTP error. */
function readErrorSafely(reader: JsonClientOptions['readError'], body: unknown): SupplierErrorInfo {
  try {
    return reader?.(body) ?? {};
  } catch {
    return {};
  }
}

export function createJsonClient(options: JsonClientOptions): JsonClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const userAgent = options.userAgent ?? 'dropship-graph';
  const limits = options.answerLimits ?? answerLimits();
  const budget = options.jsonBudget ?? DEFAULT_JSON_BUDGET;

  function urlFor(request: JsonRequest<unknown>): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== null && value !== undefined) params.set(key, String(value));
    const query = params.toString();
    return `${base}${request.path}${query ? `?${query}` : ''}`;
  }

  async function send(request: JsonRequest<unknown>, authHeaders: Record<string, string>) {
    const started = performance.now();
    const answer = await exchange(
      {
        url: urlFor(request),
        method: request.method,
        headers: {
          accept: 'application/json',
          'user-agent': userAgent,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...authHeaders,
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: request.signal,
        supplier: options.supplier,
        operation: request.operation,
        label: `${request.method} ${request.path}`,
        maxAnswerBytes: limits.maxBytes(request.operation),
      },
      options.fetch,
    );
    request.log?.debug(
      { supplier: options.supplier, op: request.operation, method: request.method, path: request.path, status: answer.status, ms: Math.round(performance.now() - started) },
      'supplier http call',
    );
    return answer;
  }

  return {
    async request<T>(request: JsonRequest<T>): Promise<T> {
      let authHeaders = (await options.auth?.headers(request.signal)) ?? {};
      let answer = await send(request, authHeaders);
      if (answer.status === 401 && options.auth && (await options.auth.refresh(authHeaders, request.signal))) {
        authHeaders = await options.auth.headers(request.signal);
        answer = await send(request, authHeaders);
      }
      if (answer.status < 200 || answer.status >= 300) {
        const parsed = parseJsonText(answer.text);
        const info = parsed.ok && parsed.value !== undefined ? readErrorSafely(options.readError, parsed.value) : {};
        throw errorForStatus(answer.status, answer.headers, info, {
          supplier: options.supplier,
          operation: request.operation,
          method: request.method,
          path: request.path,
        });
      }
      // Scanned in slices before the one synchronous parse, so that parse (and zod after it) stays short.
      const shape = await checkJsonShape(answer.text, budget);
      if (!shape.ok) throw answerTooComplex({ supplier: options.supplier, operation: request.operation, label: `${request.method} ${request.path}` }, budget, shape.reason);
      const parsed = parseJsonText(answer.text);
      if (!parsed.ok) throw contractViolation('answer is not valid JSON', request, options.supplier, { status: answer.status }, parsed.error);
      let result: ReturnType<typeof request.schema.safeParse>;
      try {
        result = request.schema.safeParse(parsed.value);
      } catch (error) {
        // zod itself throws (RangeError) on an array with millions of invalid items: the supplier's answer, not our bug.
        throw contractViolation('answer could not be validated', request, options.supplier, { status: answer.status }, error);
      }
      if (!result.success) {
        // Paths and messages only: values may hold personal data.
        const issues = result.error.issues.slice(0, MAX_REPORTED_ISSUES).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
        throw contractViolation('answer does not match the expected shape', request, options.supplier, { status: answer.status, issues }, result.error);
      }
      return result.data;
    },
  };
}
