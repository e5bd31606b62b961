import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../platform/logger.ts';
import { createApolloHandler } from '../platform/http/apollo-handler.ts';
import { sendJson } from '../platform/http/body.ts';
import { listen, type RunningServer } from '../platform/http/listen.ts';
import type { SubgraphContext } from './context.ts';
import { createFormatError } from './graphql-errors.ts';

export const DEFAULT_TENANT = 'default';

export interface SubgraphServerOptions<TContext extends SubgraphContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly port: number;
  readonly host?: string;
  readonly log: Logger;
  /** Adds the subgraph's own per-request state (e.g. DataLoaders) to the base context. */
  readonly extendContext?: (base: SubgraphContext, req: IncomingMessage) => TContext;
  readonly plugins?: ApolloServerPlugin<TContext>[];
}

/** Runs one subgraph as its own HTTP service at /graphql, with /healthz beside it. */
export async function startSubgraph<TContext extends SubgraphContext>(options: SubgraphServerOptions<TContext>): Promise<RunningServer> {
  const log = options.log.child({ subgraph: options.name });
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Inline traces are for Apollo's hosted studio; this product reports metrics itself.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...(options.plugins ?? [])],
  });
  await apollo.start();
  const handler = createApolloHandler(apollo, {
    context: async (req) => {
      const header = req.headers['x-request-id'];
      const requestId = typeof header === 'string' && header.length <= 128 ? header : randomUUID();
      const base: SubgraphContext = { requestId, log: log.child({ requestId }), tenant: DEFAULT_TENANT };
      return (options.extendContext ? options.extendContext(base, req) : base) as TContext;
    },
    maxBodyBytes: 5_000_000,
  });
  const running = await listen(
    {
      '/graphql': handler,
      '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', subgraph: options.name }),
    },
    options.port,
    options.host,
  );
  log.info({ url: `${running.url}/graphql` }, 'subgraph listening');
  return {
    ...running,
    close: async () => {
      await running.close();
      await apollo.stop();
    },
  };
}
