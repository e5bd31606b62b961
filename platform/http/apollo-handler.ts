import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { readBody, sendJson, BodyTooLargeError } from './body.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts';
import { CODE, ERRORS, type ErrorCode } from '../../kernel/errors.ts';
import { createBodyEncoder } from './encoded-body.ts';

export interface ApolloHandlerOptions<TContext extends BaseContext> {
  /** `receivedAt`: when the request arrived (ms epoch), before its body was read, so a deadline counts that too. */
  readonly context: (req: IncomingMessage, receivedAt: number) => Promise<TContext>;
  /** Largest request body accepted, in bytes. @default 1_000_000 */
  readonly maxBodyBytes?: number;
}

/**
 * Every error of a JSON GraphQL body gets `extensions.requestId`, so a client can quote it (docs/errors.md).
 * Apollo Server writes `errors` first (runHttpQuery's orderExecutionResultFields), so a body without errors is
 * recognised from its first bytes instead of a scan of the whole answer (a deep page is ~90 KB).
 */
export function withRequestId(body: string, requestId: string): string {
  if (!body.startsWith('{"errors":')) return body;
  let parsed: { errors?: unknown };
  try {
    parsed = JSON.parse(body) as { errors?: unknown };
  } catch {
    return body;
  }
  if (!Array.isArray(parsed.errors)) return body;
  parsed.errors = parsed.errors.map((error: unknown) =>
    typeof error === 'object' && error !== null
      ? { ...error, extensions: { ...((error as { extensions?: object }).extensions ?? {}), requestId } }
      : error,
  );
  return JSON.stringify(parsed);
}

/**
 * Serves GraphQL over HTTP from a plain node:http server, so the gateway and subgraphs share one small
 * integration with routes of their own beside it (health, metrics, IDE, and later WebSockets on the same port).
 * Every answer carries the request id (`x-request-id`, taken from the request when valid, else made), in its
 * header and in each error's extensions — the early refusals here included.
 */
export function createApolloHandler<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: ApolloHandlerOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse, alreadyRead?: Buffer) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const encode = createBodyEncoder();
  // `alreadyRead`: the body, when the caller had to read it first (a subgraph checks the gateway's signature over it).
  return async (req, res, alreadyRead) => {
    const receivedAt = Date.now();
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const refuse = (code: ErrorCode, message: string) => sendJson(res, ERRORS[code].httpStatus, { errors: [{ message, extensions: { code, requestId } }] });
    let body: unknown;
    if (req.method === 'POST') {
      try {
        const raw = alreadyRead ?? (await readBody(req, maxBodyBytes));
        const type = req.headers['content-type'] ?? '';
        if (!type.includes('application/json') && !type.includes('application/graphql-response+json')) {
          return refuse(CODE.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be application/json');
        }
        body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
      } catch (error) {
        if (error instanceof BodyTooLargeError) return refuse(CODE.PAYLOAD_TOO_LARGE, `Request body exceeds ${maxBodyBytes} bytes`);
        return refuse(CODE.BAD_REQUEST, 'Request body is not valid JSON');
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: () => options.context(req, receivedAt),
    });
    for (const [key, value] of response.headers) {
      // The length changes when request ids are added to errors; node sets it for a complete body.
      if (key !== 'content-length') res.setHeader(key, value);
    }
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      const isJson = (response.headers.get('content-type') ?? '').includes('json');
      res.end(encode(isJson ? withRequestId(response.body.string, requestId) : response.body.string));
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
