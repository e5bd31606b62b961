import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { Logger } from '../platform/logger.ts';
import { createMetricsHandler } from '../platform/metrics.ts';
import { createApolloHandler } from '../platform/http/apollo-handler.ts';
import { BodyTooLargeError, readBody, sendJson } from '../platform/http/body.ts';
import { listen, type Route, type RunningServer } from '../platform/http/listen.ts';
import type { SubgraphContext } from './context.ts';
import { createFormatError, logResolverErrors } from './graphql-errors.ts';
import { GATEWAY_AUTH_HEADER, GatewayTokenError } from '../platform/auth/gateway-token.ts';
import type { GatewayRequestVerifier } from '../platform/auth/gateway-request-verifier.ts';
import { DEFAULT_TENANT, type Principal } from '../platform/auth/principal.ts';
import { applyScopeShield } from './auth/scope-shield.ts';
import { DEFAULT_BUDGET_SETTINGS, REQUEST_BUDGET_HEADER, receivedBudgetMs, startBudget, type BudgetSettings } from '../platform/http/request-budget.ts';
import { REQUEST_ID_HEADER, requestIdOf } from '../platform/http/request-id.ts';
import { tracedRoute } from '../platform/tracing/traced-route.ts';
import { CODE } from '../kernel/errors.ts';

export { DEFAULT_TENANT };

export interface SubgraphServerOptions<TContext extends SubgraphContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly port: number;
  readonly host?: string;
  readonly log: Logger;
  /** Adds the subgraph's own per-request state (e.g. DataLoaders) to the base context. */
  readonly extendContext?: (base: SubgraphContext, req?: IncomingMessage) => TContext;
  readonly plugins?: ApolloServerPlugin<TContext>[];
  /** More HTTP routes on the same server (e.g. the inventory subgraph's `/webhooks/*`); /graphql and /healthz win. */
  readonly routes?: Readonly<Record<string, Route>>;
  /** Served at GET /metrics: every process exposes its own. */
  readonly metricsRegistry?: Registry;
  /**
   * Checks the gateway's signature (`x-gateway-auth`) on every /graphql request before Apollo runs: a request
   * without a valid one, made for this subgraph and this body, not seen before, is refused with 401
   * (docs/security.md). /healthz, /metrics and `routes` (supplier-signed webhooks) are not behind it.
   */
  readonly gatewayAuth: GatewayRequestVerifier;
  /** The request budget settings (REQUEST_BUDGET_*): the cap on what the gateway hands over, and the reserve. */
  readonly budget?: BudgetSettings;
  /** Backing stores' state, shown by /healthz; a store that is down makes it "degraded", never an error status. */
  readonly dependencies?: () => readonly { readonly name: string; readonly up: boolean; readonly detail?: string }[];
}

/** One operation handed over by a gateway in the same process (GATEWAY_INPROCESS_SUBGRAPHS; gateway/inprocess-data-source.ts). */
export interface InProcessRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown> | undefined;
  readonly operationName?: string | undefined;
}

/** What the HTTP path learns from the gateway's headers, handed over as values: the principal is already verified. */
export interface InProcessCall {
  readonly principal: Principal;
  readonly requestId: string;
  /** What the gateway would send in `x-request-budget-ms`: capped here exactly as the header is. */
  readonly budgetMs: number;
}

export interface InProcessAnswer {
  /** The HTTP status the same answer would have had. */
  readonly status: number;
  /** The `cache-control` header it would have had. */
  readonly cacheControl: string | undefined;
  /** Apollo's result object, not serialised: fresh objects from this execution, shared with nothing else. */
  readonly body: FormattedExecutionResult;
}

export interface InProcessSubgraph {
  execute(request: InProcessRequest, call: InProcessCall): Promise<InProcessAnswer>;
}

/** A subgraph on HTTP, and the same subgraph callable in process by a gateway in this process. */
export interface RunningSubgraph extends RunningServer {
  readonly inProcess: InProcessSubgraph;
}

const refuse = (res: Parameters<Route>[1], error: GatewayTokenError): void =>
  sendJson(res, 401, {
    errors: [{ message: `Only the gateway may call this subgraph: ${error.message}`, extensions: { code: CODE.UNAUTHENTICATED, reason: error.reason, requestId: res.getHeader(REQUEST_ID_HEADER) } }],
  });

/** Runs one subgraph as its own HTTP service at /graphql, with /healthz beside it. */
export async function startSubgraph<TContext extends SubgraphContext>(options: SubgraphServerOptions<TContext>): Promise<RunningSubgraph> {
  const log = options.log.child({ subgraph: options.name });
  const apollo = new ApolloServer<TContext>({
    // The same @scopes declarations the gateway enforces, enforced again here (defence in depth).
    schema: applyScopeShield(options.schema),
    formatError: createFormatError(),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Inline traces are for Apollo's hosted studio; this product reports metrics itself.
    plugins: [ApolloServerPluginInlineTraceDisabled(), logResolverErrors(), ...(options.plugins ?? [])],
  });
  await apollo.start();
  const principals = new WeakMap<IncomingMessage, Principal>();
  const arrivedAt = new WeakMap<IncomingMessage, number>();
  const budgetSettings = options.budget ?? DEFAULT_BUDGET_SETTINGS;
  const maxBodyBytes = 5_000_000;
  // The one context builder of both paths: over HTTP from the verified header, in process from the handed principal.
  const contextOf = (auth: Principal, requestId: string, budgetHeader: string | string[] | undefined, arrived: number, req?: IncomingMessage): TContext => {
    // Trusted because only the gateway's signed requests (or the gateway itself) get here; capped all the same.
    const budget = startBudget(receivedBudgetMs(budgetHeader, budgetSettings), arrived);
    const base: SubgraphContext = { requestId, log: log.child({ requestId }), tenant: auth.tenant, auth, budget, reserveMs: budgetSettings.reserveMs };
    return (options.extendContext ? options.extendContext(base, req) : base) as TContext;
  };
  const handler = createApolloHandler(apollo, {
    context: async (req) => {
      const auth = principals.get(req);
      // Unreachable without a verified signature (see `graphql` below); failing closed all the same.
      if (!auth) throw new Error('request reached a subgraph without a verified gateway signature');
      return contextOf(auth, requestIdOf(req), req.headers[REQUEST_BUDGET_HEADER], arrivedAt.get(req) ?? Date.now(), req);
    },
    maxBodyBytes,
  });
  // The same server (schema, scope shield, plugins, error formatting) without HTTP: no body to read or bound, no
  // signature to check — the caller is the gateway in this process and hands over the principal it verified.
  const inProcess: InProcessSubgraph = {
    async execute(request, call) {
      const contextValue = contextOf(call.principal, call.requestId, String(call.budgetMs), Date.now());
      const response = await apollo.executeOperation({ query: request.query, ...(request.variables ? { variables: request.variables } : {}), ...(request.operationName ? { operationName: request.operationName } : {}) }, { contextValue });
      const body: FormattedExecutionResult = response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'Incremental delivery is not supported between gateway and subgraph' }] };
      return { status: response.http.status ?? 200, cacheControl: response.http.headers.get('cache-control'), body };
    },
  };
  // Server spans: /graphql continues the gateway's trace (its traceparent); other routes (supplier webhooks) start one.
  const extraRoutes = Object.fromEntries(Object.entries(options.routes ?? {}).map(([path, route]) => [path, tracedRoute(route, { name: `${options.name} ${path}`, parent: 'new' })]));
  const running = await listen(
    {
      ...extraRoutes,
      '/graphql': tracedRoute(async (req, res) => {
        // The budget counts from arrival: reading the body and checking the signature spend it too.
        arrivedAt.set(req, Date.now());
        res.setHeader(REQUEST_ID_HEADER, requestIdOf(req));
        const header = req.headers[GATEWAY_AUTH_HEADER];
        if (typeof header !== 'string') {
          req.resume();
          return refuse(res, new GatewayTokenError('missing gateway signature', 'missing'));
        }
        // The signature covers the body: it is read (bounded) once the signature checks out, hashed, and handed
        // to Apollo as read.
        let body: Buffer = Buffer.alloc(0);
        const read = async (): Promise<Buffer> => (body = req.method === 'POST' ? await readBody(req, maxBodyBytes) : body);
        try {
          principals.set(req, await options.gatewayAuth.verify(header, options.name, read));
        } catch (error) {
          req.resume();
          if (error instanceof GatewayTokenError) return refuse(res, error);
          if (error instanceof BodyTooLargeError) return sendJson(res, 413, { errors: [{ message: `Request body exceeds ${maxBodyBytes} bytes`, extensions: { code: CODE.PAYLOAD_TOO_LARGE } }] });
          throw error;
        }
        await handler(req, res, req.method === 'POST' ? body : undefined);
      }, { name: `${options.name} /graphql`, parent: 'ours' }),
      // Liveness: 200 while the process serves. A store that is down is reported, not failed: this subgraph still
      // answers (degraded), and a 503 here would only make an orchestrator restart a process that is not the problem.
      '/healthz': (_req, res) => {
        const dependencies = options.dependencies?.() ?? [];
        const degraded = dependencies.filter((d) => !d.up).map((d) => d.name);
        sendJson(res, 200, { status: degraded.length > 0 ? 'degraded' : 'ok', subgraph: options.name, ...(options.dependencies ? { dependencies } : {}), ...(degraded.length > 0 ? { degraded } : {}) });
      },
      ...(options.metricsRegistry ? { '/metrics': createMetricsHandler(options.metricsRegistry) } : {}),
    },
    options.port,
    options.host,
  );
  log.info({ url: `${running.url}/graphql` }, 'subgraph listening');
  return {
    ...running,
    inProcess,
    close: async () => {
      await running.close();
      await apollo.stop();
    },
  };
}
