import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '../platform/logger.ts';
import { createApolloHandler } from '../platform/http/apollo-handler.ts';
import { sendJson } from '../platform/http/body.ts';
import { listen, type RunningServer } from '../platform/http/listen.ts';
import { IDE_ASSET_PATHS, ideHtml, serveIdeAsset } from './ide.ts';
import { subgraphsInSupergraph } from './supergraph.ts';

export interface GatewayOptions {
  readonly supergraphSdl: string;
  /** Overrides of subgraph URLs by subgraph name (as in the supergraph, e.g. `supplier-brightline`). */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
  readonly port: number;
  readonly host?: string;
  readonly log: Logger;
  /** Deadline for one subgraph fetch. @default 15000 */
  readonly subgraphTimeoutMs?: number;
  /** Largest request body accepted. @default 1_000_000 */
  readonly maxBodyBytes?: number;
}

export interface GatewayContext {
  readonly requestId: string;
}

export interface RunningGateway extends RunningServer {
  readonly graphqlUrl: string;
  /** The subgraph URLs actually used, after overrides. */
  readonly subgraphs: readonly { name: string; url: string }[];
}

/**
 * The gateway process: Apollo Gateway over a supergraph file (composed offline, by us or by the operator's own
 * tools), GraphQL at /graphql (GET with an HTML Accept header serves the offline IDE), /healthz for liveness and
 * /readyz for readiness (the supergraph is loaded and every subgraph answers).
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const log = options.log.child({ component: 'gateway' });
  const declared = subgraphsInSupergraph(options.supergraphSdl);
  const subgraphs = declared.map((s) => ({ name: s.name, url: options.subgraphUrls?.[s.name] ?? s.url }));
  const urlOf = new Map(subgraphs.map((s) => [s.name, s.url]));
  const timeoutMs = options.subgraphTimeoutMs ?? 15_000;

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: urlOf.get(name) ?? url,
        fetcher: ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
        willSendRequest({ request, context }) {
          request.http?.headers.set('x-request-id', context.requestId);
        },
      }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    // The gateway serves its own offline IDE; Apollo's landing page would load from a CDN.
    plugins: [ApolloServerPluginLandingPageDisabled()],
    introspection: true,
    csrfPrevention: true,
  });
  await apollo.start();
  let ready = true;

  const graphql = createApolloHandler(apollo, {
    context: async (req) => {
      const header = req.headers['x-request-id'];
      return { requestId: typeof header === 'string' && /^[\w.-]{1,128}$/.test(header) ? header : randomUUID() };
    },
    maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
  });

  const graphqlRoute = async (req: IncomingMessage, res: ServerResponse) => {
    const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !new URL(req.url ?? '/', 'http://x').searchParams.has('query');
    if (wantsHtml) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(ideHtml('/graphql'));
      return;
    }
    await graphql(req, res);
  };

  const readiness = async (_req: IncomingMessage, res: ServerResponse) => {
    const checks = await Promise.all(
      subgraphs.map(async (s) => {
        try {
          const response = await fetch(s.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
            signal: AbortSignal.timeout(2_000),
          });
          return { name: s.name, ok: response.ok };
        } catch {
          return { name: s.name, ok: false };
        }
      }),
    );
    const ok = ready && checks.every((c) => c.ok);
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', subgraphs: checks });
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void> = {
    '/graphql': graphqlRoute,
    '/': (_req, res) => {
      res.writeHead(302, { location: '/graphql' }).end();
    },
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': readiness,
  };
  for (const path of IDE_ASSET_PATHS) routes[path] = serveIdeAsset;

  const running = await listen(routes, options.port, options.host);
  log.info({ url: `${running.url}/graphql`, subgraphs }, 'gateway listening');
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    subgraphs,
    close: async () => {
      ready = false;
      await running.close();
      await apollo.stop();
    },
  };
}
