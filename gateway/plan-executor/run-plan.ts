import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource } from '@apollo/gateway';
import { evaluateCondition, type FetchNode, type PlanNode, type ResponsePath } from '@apollo/query-planner';
import { assert, type VariableDefinitions } from '@apollo/federation-internals';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { applyRewrites, generateHydratedPaths, OpenTelemetrySpanNames, recordExceptions, tracer } from './apollo-internals.ts';
import { mergeInto } from './merge.ts';
import { compileRepresentation, type Represent } from './representations.ts';
import { subgraphError } from './subgraph-errors.ts';

type Json = Record<string, unknown>;

/** What one execution of a plan shares: the request, the data sources, the errors in the order Apollo collects them. */
export interface PlanRun {
  readonly requestContext: GatewayGraphQLRequestContext;
  readonly serviceMap: Readonly<Record<string, GraphQLDataSource>>;
  readonly supergraphSchema: GraphQLSchema;
  readonly variableDefinitions: VariableDefinitions;
  readonly errors: (GraphQLError | Error)[];
  readonly telemetry: unknown;
}

interface Cursor {
  readonly path: ResponsePath;
  readonly data: unknown;
  readonly fullResult: Json;
}

const SPAN_ERROR = 2; // SpanStatusCode.ERROR

/** Each fetch node's compiled `requires` (plan nodes live as long as their prepared operation). */
const representers = new WeakMap<FetchNode, Represent>();

/**
 * Runs a query plan's Sequence / Parallel / Flatten / Fetch / Condition nodes as @apollo/gateway's executeNode
 * does (executeQueryPlan.js), minus the usage-reporting trace tree (the fast path is not taken when traces are
 * captured): same fetch order and concurrency, same data sources (`process`), same merges, same errors.
 */
export async function runNode(run: PlanRun, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (cursor === undefined) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runNode(run, child, cursor)));
      return;
    case 'Flatten': {
      const data = flattenAt(cursor.data, node.path, 0);
      return runNode(run, node.node, data ? { path: cursor.path.concat(node.path), data, fullResult: cursor.fullResult } : undefined);
    }
    case 'Fetch':
      try {
        await runFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(error as Error);
      }
      return;
    case 'Condition': {
      const branch = evaluateCondition(node, run.variableDefinitions, run.requestContext.request.variables) ? node.ifClause : node.elseClause;
      if (branch) await runNode(run, branch, cursor);
      return;
    }
    case 'Defer':
      // Refused when the plan was prepared (prepare-operation.ts): never reached.
      assert(false, '@defer support is not available in the gateway');
  }
}

/** flattenResultsAtPath without a copy of the remaining path per step. */
function flattenAt(value: unknown, path: ResponsePath, from: number): unknown {
  if (from === path.length) return value;
  if (value === undefined || value === null) return value;
  const current = path[from];
  if (current === '@') {
    const flattened: unknown[] = [];
    for (const element of value as unknown[]) {
      const inner = flattenAt(element, path, from + 1);
      if (Array.isArray(inner)) for (const item of inner) flattened.push(item);
      else flattened.push(inner);
    }
    return flattened;
  }
  assert(typeof current === 'string', () => `Unexpected ${typeof current} found in path`);
  assert(!Array.isArray(value), () => `Unexpected array in result for path element ${current}`);
  const object = value as Json;
  return flattenAt(Object.prototype.hasOwnProperty.call(object, current) ? object[current] : undefined, path, from + 1);
}

async function runFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = run.serviceMap[fetch.serviceName];
  return tracer.startActiveSpan(OpenTelemetrySpanNames.FETCH, { attributes: { service: fetch.serviceName } }, async (span) => {
    try {
      if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
      const entities: Json[] = [];
      if (Array.isArray(cursor.data)) {
        for (const item of cursor.data) if (item !== null && item !== undefined) entities.push(item as Json);
      } else {
        entities.push(cursor.data as Json);
      }
      if (entities.length < 1) return;
      const variables: Json = Object.create(null) as Json;
      const provided = run.requestContext.request.variables;
      if (fetch.variableUsages && provided) {
        for (const name of fetch.variableUsages) {
          if (Object.prototype.hasOwnProperty.call(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
        }
      }
      if (!fetch.requires) {
        const received = await send(run, fetch, cursor, variables);
        if (received) applyRewrites(run.supergraphSchema, fetch.outputRewrites, received);
        for (const entity of entities) mergeInto(entity, received);
        return;
      }
      const representations: Json[] = [];
      const representationToEntity: number[] = [];
      let represent = representers.get(fetch);
      if (represent === undefined) {
        represent = compileRepresentation(run.supergraphSchema, fetch.requires);
        representers.set(fetch, represent);
      }
      for (let index = 0; index < entities.length; index++) {
        const representation = represent(entities[index]);
        if (representation && representation['__typename']) {
          if (fetch.inputRewrites) applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
          representations.push(representation);
          representationToEntity.push(index);
        }
      }
      if (representations.length < 1) return;
      if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);
      const received = await send(run, fetch, cursor, { ...variables, representations });
      if (!received) return;
      const receivedEntities = received['_entities'];
      if (!(receivedEntities && Array.isArray(receivedEntities))) throw new Error(`Expected "data._entities" in response to be an array`);
      if (receivedEntities.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
      for (let i = 0; i < representations.length; i++) {
        const receivedEntity = receivedEntities[i] as Json | null;
        const existing = entities[representationToEntity[i]!]!;
        if (receivedEntity && !receivedEntity['__typename']) receivedEntity['__typename'] = existing['__typename'];
        if (fetch.outputRewrites) applyRewrites(run.supergraphSchema, fetch.outputRewrites, receivedEntity as Json);
        mergeInto(existing, receivedEntity);
      }
    } catch (error) {
      recordExceptions(span, [error as Error], run.telemetry as never);
      span.setStatus({ code: SPAN_ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** One subgraph fetch through the gateway's own data source; its errors rewritten as Apollo's sendOperation does. */
async function send(run: PlanRun, fetch: FetchNode, cursor: Cursor, variables: Json): Promise<Json | undefined | null> {
  const service = run.serviceMap[fetch.serviceName]!;
  const response: GatewayGraphQLResponse = await service.process({
    kind: 'incoming operation' as never,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: run.requestContext,
    context: run.requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  } as never);
  if (response.errors) {
    const errorPath = subgraphErrorPaths(fetch, cursor);
    run.errors.push(...response.errors.map((error) => subgraphError(error, fetch.serviceName, errorPath)));
    if (!response.extensions?.['ftv1']) {
      const paths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
      const metrics = run.requestContext.metrics;
      if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
      else metrics.nonFtv1ErrorPaths = paths;
    }
  }
  return response.data as Json | undefined | null;
}


/** makeLazyErrorPathGenerator: an `_entities` error path mapped back to the entity's place in the response. */
function subgraphErrorPaths(fetch: FetchNode, cursor: Cursor): (path: readonly (string | number)[] | undefined) => (string | number)[] | undefined {
  let hydrated: (string | number)[][] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath.slice()] : undefined;
  };
}
