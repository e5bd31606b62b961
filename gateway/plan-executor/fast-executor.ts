import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import type { Schema } from '@apollo/federation-internals';
import type { QueryPlanner } from '@apollo/query-planner';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { OpenTelemetryAttributeNames, OpenTelemetrySpanNames, operationContextSpanAttributes, recordExceptions, requestContextSpanAttributes, tracer } from './apollo-internals.ts';
import { prepareOperation, type PreparedOperation } from './prepare-operation.ts';
import { runNode, type PlanRun } from './run-plan.ts';

const SPAN_ERROR = 2; // SpanStatusCode.ERROR
/** Prepared operations kept per schema; past this the map starts over (a plan is rebuilt on its next request). */
const MAX_PREPARED = 2_000;

/** The state ApolloGateway keeps privately and its executor reads; the fast executor reads the same, live. */
interface GatewayInternals {
  executor: GatewayExecutor;
  schema?: GraphQLSchema;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  queryPlanner?: QueryPlanner;
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
  config: { telemetry?: unknown; debug?: boolean; __exposeQueryPlanExperimental?: boolean; experimental_didResolveQueryPlan?: unknown };
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
  validateIncomingRequest(requestContext: GatewayGraphQLRequestContext, operationContext: unknown): GraphQLError[];
}

/**
 * GATEWAY_EXECUTOR=fast: replaces the executor @apollo/gateway hands Apollo Server (`load()` returns
 * `this.executor`, so this must run before the server starts) with one that plans each operation once with the
 * gateway's own QueryPlanner, runs the plan itself (run-plan.ts) through the gateway's own data sources, and shapes
 * the response with a compiled shaper (shape-response.ts). The answers, errors and spans (gateway.request,
 * .validate, .plan, .execute, .fetch, .postprocessing) are Apollo's; every Apollo Server plugin runs as before, this
 * sits where Apollo's executor sat. Apollo's executor still serves what the fast one does not (decided per
 * operation before anything is sent: subscriptions, @defer, introspection; per request: usage-report traces, the
 * query-plan debug header).
 */
export function installFastExecutor(gateway: ApolloGateway): void {
  const internals = gateway as unknown as GatewayInternals;
  const apollo = internals.executor;
  let prepared = new Map<string, PreparedOperation>();
  let preparedFor: QueryPlanner | undefined;

  const preparedOf = (requestContext: GatewayGraphQLRequestContext): PreparedOperation => {
    if (preparedFor !== internals.queryPlanner) {
      prepared = new Map();
      preparedFor = internals.queryPlanner;
    }
    const key = `${requestContext.queryHash}\u0000${requestContext.request.operationName ?? ''}`;
    let entry = prepared.get(key);
    if (entry === undefined) {
      try {
        entry = prepareOperation(
          { schema: internals.schema!, apiSchema: internals.apiSchema!, queryPlanner: internals.queryPlanner!, planOptions: { recursiveSelectionsLimitDisabled: internals.recursiveSelectionsLimitDisabled, nonLocalSelectionsLimitDisabled: internals.nonLocalSelectionsLimitDisabled } },
          requestContext.document,
          requestContext.request.operationName ?? undefined,
          (plan) =>
            tracer.startActiveSpan(OpenTelemetrySpanNames.PLAN, requestContext.operationName ? { attributes: { [OpenTelemetryAttributeNames.GRAPHQL_OPERATION_NAME]: requestContext.operationName } } : {}, (span) => {
              try {
                return plan();
              } finally {
                span.end();
              }
            }),
        );
      } catch {
        // A plan that fails is Apollo's to report, with its span and its error, every time.
        entry = { kind: 'apollo', reason: 'planning failed' };
      }
      if (prepared.size >= MAX_PREPARED) prepared.clear();
      prepared.set(key, entry);
    }
    return entry;
  };

  const fast = async (requestContext: GatewayGraphQLRequestContext): Promise<GatewayGraphQLResponse> => {
    const { request } = requestContext;
    if (
      requestContext.metrics?.captureTraces ||
      internals.config.debug ||
      internals.config.experimental_didResolveQueryPlan ||
      (internals.config.__exposeQueryPlanExperimental && request.http?.headers.get('Apollo-Query-Plan-Experimental'))
    ) {
      return apollo(requestContext) as Promise<GatewayGraphQLResponse>;
    }
    const entry = preparedOf(requestContext);
    if (entry.kind === 'apollo') return apollo(requestContext) as Promise<GatewayGraphQLResponse>;
    if (!booleanConditionsHold(entry, request.variables)) return apollo(requestContext) as Promise<GatewayGraphQLResponse>;
    return tracer.startActiveSpan(OpenTelemetrySpanNames.REQUEST, { attributes: requestContextSpanAttributes(requestContext as never, internals.config.telemetry as never) }, async (span) => {
      try {
        span.setAttributes(operationContextSpanAttributes(entry.operationContext));
        const validationErrors = internals.validateIncomingRequest(requestContext, entry.operationContext);
        if (validationErrors.length > 0) {
          recordExceptions(span, validationErrors, internals.config.telemetry as never);
          span.setStatus({ code: SPAN_ERROR });
          return { errors: validationErrors };
        }
        const response = await execute(internals, entry, requestContext);
        if (response.errors) {
          recordExceptions(span, response.errors as GraphQLError[], internals.config.telemetry as never);
          span.setStatus({ code: SPAN_ERROR });
        }
        return response;
      } catch (error) {
        recordExceptions(span, [error as Error], internals.config.telemetry as never);
        span.setStatus({ code: SPAN_ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
  };
  internals.executor = fast as GatewayExecutor;
}

/**
 * Apollo's shaper asserts that a variable deciding @skip/@include is a boolean; a request where one is not (a null
 * for a nullable Boolean) goes to Apollo's executor whole, so its error is Apollo's.
 */
function booleanConditionsHold(entry: Extract<PreparedOperation, { kind: 'fast' }>, variables: Record<string, unknown> | undefined): boolean {
  for (const definition of entry.operationContext.operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!entry.conditionVariables.has(name)) continue;
    const value = variables?.[name];
    if (value === null || (value === undefined && definition.defaultValue === undefined)) return false;
  }
  return true;
}

/**
 * The data sources by subgraph name, as Apollo's executor collects them for each request, kept per query planner: the
 * gateway fills its service map in place when a supergraph arrives, then builds a new planner.
 */
const dataSources = new WeakMap<object, Readonly<Record<string, GraphQLDataSource>>>();
function dataSourcesOf(internals: GatewayInternals): Readonly<Record<string, GraphQLDataSource>> {
  const planner = internals.queryPlanner as object;
  let byName = dataSources.get(planner);
  if (byName === undefined) {
    const built: Record<string, GraphQLDataSource> = Object.create(null) as Record<string, GraphQLDataSource>;
    for (const [name, { dataSource }] of Object.entries(internals.serviceMap)) built[name] = dataSource;
    byName = built;
    dataSources.set(planner, byName);
  }
  return byName;
}

async function execute(internals: GatewayInternals, entry: Extract<PreparedOperation, { kind: 'fast' }>, requestContext: GatewayGraphQLRequestContext): Promise<GatewayGraphQLResponse> {
  return tracer.startActiveSpan(OpenTelemetrySpanNames.EXECUTE, async (span) => {
    try {
      const run: PlanRun = {
        requestContext,
        serviceMap: dataSourcesOf(internals),
        supergraphSchema: internals.supergraphSchema!,
        variableDefinitions: entry.variableDefinitions,
        errors: [],
        telemetry: internals.config.telemetry,
      };
      const data: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      if (entry.plan.node) await runNode(run, entry.plan.node as never, { path: [], data, fullResult: data });
      const result = tracer.startActiveSpan(OpenTelemetrySpanNames.POST_PROCESSING, (post): GatewayGraphQLResponse => {
        try {
          const shaped = entry.shape(data, requestContext.request.variables);
          if (run.errors.length === 0 && shaped.errors.length > 0) {
            recordExceptions(post, shaped.errors, internals.config.telemetry as never);
            post.setStatus({ code: SPAN_ERROR });
            return { extensions: { valueCompletion: shaped.errors }, data: shaped.data } as GatewayGraphQLResponse;
          }
          return (run.errors.length === 0 ? { data: shaped.data } : { errors: run.errors, data: shaped.data }) as GatewayGraphQLResponse;
        } catch (error) {
          recordExceptions(post, [error as Error], internals.config.telemetry as never);
          post.setStatus({ code: SPAN_ERROR });
          if (error instanceof GraphQLError) return { errors: [error] };
          if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
          return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
        } finally {
          post.end();
        }
      });
      if (result.errors) {
        recordExceptions(span, result.errors as GraphQLError[], internals.config.telemetry as never);
        span.setStatus({ code: SPAN_ERROR });
      }
      return result;
    } catch (error) {
      recordExceptions(span, [error as Error], internals.config.telemetry as never);
      span.setStatus({ code: SPAN_ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
