import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { readBody, sendJson, BodyTooLargeError } from './body.ts';

export interface ApolloHandlerOptions<TContext extends BaseContext> {
  readonly context: (req: IncomingMessage) => Promise<TContext>;
  /** Largest request body accepted, in bytes. @default 1_000_000 */
  readonly maxBodyBytes?: number;
}

/**
 * Serves GraphQL over HTTP from a plain node:http server, so the gateway and subgraphs share one small
 * integration with routes of their own beside it (health, metrics, IDE, and later WebSockets on the same port).
 */
export function createApolloHandler<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: ApolloHandlerOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse, alreadyRead?: Buffer) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  // `alreadyRead`: the body, when the caller had to read it first (a subgraph checks the gateway's signature over it).
  return async (req, res, alreadyRead) => {
    let body: unknown;
    if (req.method === 'POST') {
      try {
        const raw = alreadyRead ?? (await readBody(req, maxBodyBytes));
        const type = req.headers['content-type'] ?? '';
        if (!type.includes('application/json') && !type.includes('application/graphql-response+json')) {
          return sendJson(res, 415, { errors: [{ message: 'Content-Type must be application/json', extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
        }
        body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          return sendJson(res, 413, { errors: [{ message: `Request body exceeds ${maxBodyBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
        }
        return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
