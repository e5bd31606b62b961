import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { SignedDataSource } from './auth/signed-data-source.ts';
import { createInProcessDataSource, type InProcessSubgraph } from './inprocess-data-source.ts';
import type { Logger } from '../platform/logger.ts';
import { createApolloHandler } from '../platform/http/apollo-handler.ts';
import { sendJson } from '../platform/http/body.ts';
import { listen, type RunningServer } from '../platform/http/listen.ts';
import type { Registry } from 'prom-client';
import { createMetricsHandler } from '../platform/metrics.ts';
import { IDE_ASSET_PATHS, ideHtml, serveIdeAsset } from './ide.ts';
import { consoleRoutes } from './console/console-routes.ts';
import { subgraphsInSupergraph } from './supergraph.ts';
import { useDegradedSuppliers } from './degraded-suppliers.ts';
import { createSubgraphFetch } from './subgraph-fetch.ts';
import { createPooledFetch } from './subgraph-pool.ts';
import { useInflightDedup } from './inflight-dedup.ts';
import { installFastExecutor } from './plan-executor/fast-executor.ts';
import { createEntityCache, type EntityCacheOptions } from './entity-cache.ts';
import { useClientMistakes } from './client-mistakes.ts';
import { useRequestLog } from './request-log.ts';
import { tracedRoute } from '../platform/tracing/traced-route.ts';
import { DEFAULT_BUDGET_SETTINGS, InvalidBudgetHeader, REQUEST_BUDGET_HEADER, requestedBudgetMs, startBudget, type BudgetSettings, type RequestBudget } from '../platform/http/request-budget.ts';
import { REQUEST_ID_HEADER, requestIdOf } from '../platform/http/request-id.ts';
import { GraphQLError } from 'graphql';
import { DEGRADED_EXTENSION } from '../platform/degraded-extension.ts';
import { GATEWAY_AUTH_HEADER } from '../platform/auth/gateway-token.ts';
import { SYSTEM_PRINCIPAL, type Principal } from '../platform/auth/principal.ts';
import type { GatewayAuth } from './auth/gateway-auth.ts';
import type { GraphQLSchema } from 'graphql';
import { startGatewaySubscriptions, type GatewaySubscriptionOptions, type RunningSubscriptions } from './subscriptions/gateway-subscriptions.ts';
import { registerSubscriptionMetrics } from './subscriptions/subscription-metrics.ts';
import { registerAdmissionMetrics } from './admission-metrics.ts';
import { createAdmissionGate } from '../platform/http/admission-gate.ts';
import { useAdmission } from './admission-plugin.ts';
import { CODE } from '../kernel/errors.ts';

export interface GatewayOptions {
  readonly supergraphSdl: string;
  /** Overrides of subgraph URLs by subgraph name (as in the supergraph, e.g. `supplier-brightline`). */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
  readonly port: number;
  readonly host?: string;
  readonly log: Logger;
  /**
   * The request budget (REQUEST_BUDGET_MS and friends): each request's deadline, the most a client may ask for in
   * `x-request-budget-ms`, and the grace the gateway waits past what it hands a subgraph. @default DEFAULT_BUDGET_SETTINGS
   */
  readonly budget?: BudgetSettings;
  /** Largest request body accepted. @default 1_000_000 */
  readonly maxBodyBytes?: number;
  /** Served at GET /metrics (Prometheus text). */
  readonly metricsRegistry?: Registry;
  /** Let @apollo/gateway report usage telemetry to Apollo. @default false */
  readonly apolloTelemetry?: boolean;
  /** Authentication, operation checks and the gateway → subgraph signature (docs/security.md). */
  readonly auth: GatewayAuth;
  /** Live subscriptions over graphql-ws on the same URL as HTTP (docs/subscriptions.md); off when not given. */
  readonly subscriptions?: GatewaySubscriptionOptions;
  /** The backing stores' state for /readyz (the stack's `stores.health`); a store that is down degrades, it does not stop. */
  readonly dependencies?: () => readonly DependencyState[];
  /** On close, how long requests in flight may take to finish (SHUTDOWN_DRAIN_MS). @default 0: cut at once */
  readonly shutdownDrainMs?: number;
  /** Speed options (docs/benchmarks.md, "Gateway speed"; docs/configuration.md). @default all off */
  readonly speed?: GatewaySpeedOptions;
  /**
   * GATEWAY_ENTITY_CACHE: the entity cache (entity-cache.ts) — which types, which events invalidate them, the shared
   * tier. Built by `stack/` (the gateway imports no adapter); off when not given.
   */
  readonly entityCache?: Omit<EntityCacheOptions, 'log' | 'metricsRegistry'>;
  /**
   * GATEWAY_INPROCESS_SUBGRAPHS: subgraphs running in this process, by name, executed in process instead of over HTTP
   * (inprocess-data-source.ts). Given by `stack/` for the subgraphs it started here; every other one keeps HTTP and
   * the signed header. @default none
   */
  readonly inProcessSubgraphs?: ReadonlyMap<string, InProcessSubgraph>;
}

/** Speed options, each measured by `npm run bench:gateway`; none changes an answer or skips a check. */
export interface GatewaySpeedOptions {
  /**
   * GATEWAY_SUBGRAPH_POOL: subgraph fetches over keep-alive undici pools (subgraph-pool.ts) instead of global
   * `fetch` (WHATWG Request/Response and web streams per fetch: more CPU per operation than the whole library on
   * the deep query; docs/benchmarks.md, "Gateway speed"). Off by default until some stalled bench windows under
   * 50 connections are understood. @default false
   */
  readonly subgraphPool?: boolean;
  /** GATEWAY_DEDUP: identical in-flight queries of one principal share one execution (inflight-dedup.ts). */
  readonly dedup?: boolean;
  /**
   * GATEWAY_EXECUTOR: `fast` runs @apollo/gateway's query plans with our executor (plan-executor/fast-executor.ts:
   * plans and response shapers compiled once per operation, results merged in place); `apollo` keeps the library's.
   * @default 'apollo'
   */
  readonly executor?: 'apollo' | 'fast';
  /**
   * GATEWAY_ADMISSION: operations admitted by an adaptive limit on how many run at once (platform/http/admission-gate.ts):
   * at least `minLimit`, fewer than all when the event loop is saturated. Absent: every operation starts at once.
   */
  readonly admission?: { readonly minLimit: number };
}

/** One backing store in /readyz. */
export interface DependencyState {
  readonly name: string;
  readonly up: boolean;
  readonly detail?: string;
}

export interface GatewayContext {
  readonly requestId: string;
  /** Subgraphs' `degradedSuppliers` extensions, merged into the response (see useDegradedSuppliers). */
  readonly degraded: unknown[];
  /** Who the request acts for, as verified from its credentials. */
  readonly principal: Principal;
  /** The request's time budget; each subgraph fetch is handed what is left (absent: the default budget). */
  readonly budget?: RequestBudget;
  /** The gateway's logger bound to this request's id. */
  readonly log?: Logger;
  /** Set only on the gateway's own queries derived from an allowed subscription (gateway/auth/operation-policy.ts). */
  readonly derived?: boolean;
}

export interface RunningGateway extends RunningServer {
  readonly graphqlUrl: string;
  /** The subgraph URLs actually used, after overrides. */
  readonly subgraphs: readonly { name: string; url: string }[];
  /** Present when subscriptions are served. */
  readonly subscriptions?: RunningSubscriptions;
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
  const budget = options.budget ?? DEFAULT_BUDGET_SETTINGS;

  // @apollo/gateway 2.14 otherwise starts an OpenTelemetry exporter to Apollo's usage-reporting endpoint and probes
  // cloud metadata servers at start. It reads only this variable, so it is set here, before construction: our
  // gateway sends nothing to third parties unless the operator opts in (APOLLO_TELEMETRY=on).
  if (!options.apolloTelemetry) process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const pooled = options.speed?.subgraphPool === true ? createPooledFetch() : undefined;
  const dedup = options.speed?.dedup ? useInflightDedup() : undefined;
  const admissionGate = options.speed?.admission ? createAdmissionGate({ minLimit: options.speed.admission.minLimit }) : undefined;
  const admissionMetrics = admissionGate && options.metricsRegistry ? registerAdmissionMetrics(options.metricsRegistry, admissionGate) : undefined;
  // After de-duplication: a request that joins a running identical operation needs no turn (admission-plugin.ts).
  const admission = admissionGate ? useAdmission({ gate: admissionGate, defaultBudgetMs: budget.defaultMs, ...(admissionMetrics ? { onRefused: admissionMetrics.refused } : {}) }) : undefined;
  const entityCache = options.entityCache ? createEntityCache({ ...options.entityCache, log, ...(options.metricsRegistry ? { metricsRegistry: options.metricsRegistry } : {}) }) : undefined;
  // Live before the first query: an entry is never kept without its invalidations being heard.
  await entityCache?.start();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      // Co-located: the subgraph runs here and is handed the verified principal, with no HTTP and no signature.
      const inProcess = options.inProcessSubgraphs?.get(name);
      if (inProcess) return createInProcessDataSource({ name, url: urlOf.get(name) ?? url ?? name, subgraph: inProcess, budget, log, ...(entityCache ? { entityCache } : {}) });
      // Subgraphs accept only requests carrying the verified principal, signed for them alone, for this body, once.
      return new SignedDataSource<GatewayContext>({
        name,
        url: urlOf.get(name) ?? url,
        signer: options.auth.signer,
        fetch: createSubgraphFetch(name, budget, log, pooled),
        ...(entityCache ? { entityCache } : {}),
        willSendRequest({ request, context }) {
          request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
          request.http?.headers.set(REQUEST_BUDGET_HEADER, String(context.budget?.remainingMs() ?? budget.defaultMs));
        },
        didReceiveResponse({ response, context }) {
          const degraded = response.extensions?.[DEGRADED_EXTENSION];
          if (Array.isArray(degraded)) context.degraded?.push(...degraded);
          return response;
        },
      });
    },
  });
  if (options.speed?.executor === 'fast') installFastExecutor(gateway);
  // The API schema (Subscription included, though @apollo/gateway will not execute it): subscriptions validate against it.
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => void (apiSchema = schema));
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    // The gateway serves its own offline IDE; Apollo's landing page would load from a CDN.
    // useClientMistakes goes first: it answers 400 before the access checks look at an operation that is not there.
    plugins: [ApolloServerPluginLandingPageDisabled(), useClientMistakes(), useRequestLog(log), useDegradedSuppliers(), options.auth.plugin(options.supergraphSdl), ...(dedup ? [dedup] : []), ...(admission ? [admission] : [])],
    ...(dedup ? { stringifyResult: dedup.stringifyResult } : {}),
    // Admins may introspect (the IDE needs it); partners are refused by the operation guard.
    introspection: true,
    // Bounds parsing and validation work before any check of ours runs.
    parseOptions: { maxTokens: options.auth.maxTokens },
    csrfPrevention: true,
  });
  await apollo.start();
  let ready = true;

  const graphql = createApolloHandler(apollo, {
    context: async (req, receivedAt) => {
      // The budget starts when the request arrived: reading it, checking credentials and waiting for a turn spend it too.
      const started = receivedAt;
      const requestId = requestIdOf(req);
      let totalMs: number;
      try {
        totalMs = requestedBudgetMs(req.headers[REQUEST_BUDGET_HEADER], budget);
      } catch (error) {
        if (!(error instanceof InvalidBudgetHeader)) throw error;
        throw new GraphQLError(error.message, { extensions: { code: CODE.BAD_REQUEST, http: { status: 400 } } });
      }
      const requestLog = log.child({ requestId });
      return { requestId, degraded: [], principal: await options.auth.authenticate(req, requestId), budget: startBudget(totalMs, started), log: requestLog };
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

  /**
   * /readyz (docs/configuration.md, "Stores and their outages"): 503 "not ready" when the gateway is closing or a subgraph does not answer
   * — requests would fail. 200 "degraded" when every subgraph answers but a backing store is down: the service still
   * serves (Redis down: cache misses, local buckets; MongoDB down: supplier data, `viewer`; catalog reads fail fast
   * with STORE_UNAVAILABLE), and every instance shares the same stores, so taking this one out of rotation would
   * only turn a degraded answer into none. 200 "ready" otherwise.
   */
  const readiness = async (_req: IncomingMessage, res: ServerResponse) => {
    const checks = await Promise.all(
      subgraphs.map(async (s) => {
        try {
          const body = JSON.stringify({ query: '{ __typename }' });
          const response = await fetch(s.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [GATEWAY_AUTH_HEADER]: await options.auth.signer.sign(SYSTEM_PRINCIPAL, s.name, body) },
            body,
            signal: AbortSignal.timeout(2_000),
          });
          return { name: s.name, ok: response.ok };
        } catch {
          return { name: s.name, ok: false };
        }
      }),
    );
    const ok = ready && checks.every((c) => c.ok);
    const dependencies = options.dependencies?.() ?? [];
    const down = dependencies.filter((d) => !d.up).map((d) => d.name);
    const status = !ok ? 'not ready' : down.length > 0 ? 'degraded' : 'ready';
    sendJson(res, ok ? 200 : 503, { status, subgraphs: checks, dependencies, ...(down.length > 0 ? { degraded: down } : {}) });
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void> = {
    // A new trace per request (a client's traceparent does not choose our sampling); @apollo/gateway's own spans
    // (request, plan, execute, fetch) nest under it. Unchanged when tracing is off.
    '/graphql': tracedRoute(graphqlRoute, { name: 'gateway /graphql', parent: 'new' }),
    '/': (_req, res) => {
      res.writeHead(302, { location: '/graphql' }).end();
    },
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': readiness,
  };
  if (options.metricsRegistry) routes['/metrics'] = createMetricsHandler(options.metricsRegistry);
  for (const path of IDE_ASSET_PATHS) routes[path] = serveIdeAsset;
  // The operator console: a static page whose every figure comes from /graphql with the operator's token (docs/operations.md).
  Object.assign(routes, consoleRoutes());

  const running = await listen(routes, options.port, options.host);
  const subscriptions = options.subscriptions
    ? await startGatewaySubscriptions({
        options: options.subscriptions,
        server: running.server,
        path: '/graphql',
        supergraphSdl: options.supergraphSdl,
        policy: options.auth.policy(options.supergraphSdl),
        schema: () => apiSchema!,
        // Each event's entity selection (and a snapshot) runs through this gateway as the subscriber: same plan, same
        // checks, but `derived`: the safelist covers the subscription the client sent, not the queries derived from it.
        execute: async (query, variables, principal) => {
          const response = await apollo.executeOperation({ query, variables }, { contextValue: { requestId: randomUUID(), degraded: [], principal, derived: true } });
          return response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'Incremental delivery is not supported here' }] };
        },
        // The same authentication as HTTP: the credential from connection_init in place of the Authorization
        // header, the upgrade request's peer and forwarding headers for the failed-authentication counters.
        authenticate: (authorization, request) =>
          options.auth.authenticate(
            {
              headers: { 'x-forwarded-for': request.headers['x-forwarded-for'], ...(authorization === undefined ? {} : { authorization }) },
              socket: request.socket,
            },
            randomUUID(),
          ),
        log,
      })
    : undefined;
  if (subscriptions && options.metricsRegistry) registerSubscriptionMetrics(options.metricsRegistry, subscriptions);
  log.info({ url: `${running.url}/graphql`, subgraphs }, 'gateway listening');
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    subgraphs,
    ...(subscriptions ? { subscriptions } : {}),
    // SIGTERM (bin/start.ts, bin/gateway.ts): /readyz says 503 at once, subscriptions close 1012 (clients reconnect
    // elsewhere), no new connection is accepted, and queries and orders in flight get their answers within the drain
    // bound (SHUTDOWN_DRAIN_MS; docs/configuration.md, "Shutdown"). An order whose supplier call outlives its answer
    // stays SUBMITTING in the store, and the next process's order loop resumes it under the same idempotency key.
    close: async () => {
      const drainMs = options.shutdownDrainMs ?? 0;
      ready = false;
      const started = performance.now();
      await subscriptions?.close();
      const drained = await running.drain(drainMs);
      await apollo.stop();
      admissionGate?.close();
      await pooled?.close();
      await entityCache?.close();
      const logged = { drainMs: Math.round(performance.now() - started), boundMs: drainMs, cut: drained.cut };
      if (drained.cut > 0) log.warn(logged, 'gateway stopped; requests still running at the drain bound were cut');
      else log.info(logged, 'gateway stopped; every request in flight was answered');
    },
  };
}
