import { operationFromDocument, type Schema, type VariableDefinitions } from '@apollo/federation-internals';
import type { QueryPlan, QueryPlanner, PlanNode } from '@apollo/query-planner';
import { Kind, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { buildOperationContext } from './apollo-internals.ts';
import { compileShaper, UnsupportedOperation } from './shape-response.ts';

type OperationContext = ReturnType<typeof buildOperationContext>;

/** Everything about one operation (text + name) that does not depend on a request: built once, reused. */
export type PreparedOperation =
  | {
      readonly kind: 'fast';
      readonly operationContext: OperationContext;
      readonly plan: QueryPlan;
      readonly variableDefinitions: VariableDefinitions;
      readonly shape: ReturnType<typeof compileShaper>;
      /** Variables that decide a @skip or @include (the shaper needs them as booleans). */
      readonly conditionVariables: ReadonlySet<string>;
    }
  | { readonly kind: 'apollo'; readonly reason: string };

export interface PlanningSchemas {
  readonly schema: GraphQLSchema;
  readonly apiSchema: Schema;
  readonly queryPlanner: QueryPlanner;
  readonly planOptions: { recursiveSelectionsLimitDisabled: boolean; nonLocalSelectionsLimitDisabled: boolean };
}

/** A plan node the fast executor does not run; Apollo's executor takes the whole operation. */
function unsupportedIn(node: PlanNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) {
        const found = unsupportedIn(child);
        if (found) return found;
      }
      return undefined;
    case 'Flatten':
      return unsupportedIn(node.node);
    case 'Condition':
      return unsupportedIn(node.ifClause) ?? unsupportedIn(node.elseClause);
    case 'Fetch':
      return node.contextRewrites && node.contextRewrites.length > 0 ? 'context rewrites' : undefined;
    default:
      return node.kind;
  }
}

/**
 * Plans an operation as the gateway's executor does (the gateway's own QueryPlanner over the same API schema, the
 * same options), builds the operation Apollo shapes the response with (from the operation and its fragments, as
 * executeQueryPlan does), and compiles the shaper. Whatever is not supported is decided here, before any fetch:
 * subscriptions, @defer, introspection fields, context rewrites go to Apollo's executor.
 */
export function prepareOperation(schemas: PlanningSchemas, document: DocumentNode, operationName: string | undefined, planSpan: <T>(fn: () => T) => T): PreparedOperation {
  const operationContext = buildOperationContext({ schema: schemas.schema, operationDocument: document, ...(operationName ? { operationName } : {}) });
  if (operationContext.operation.operation === 'subscription') return { kind: 'apollo', reason: 'subscription' };
  const plan = planSpan(() => schemas.queryPlanner.buildQueryPlan(operationFromDocument(schemas.apiSchema, document, operationName ? { operationName } : {}), schemas.planOptions));
  if (plan.node?.kind === 'Subscription') return { kind: 'apollo', reason: 'subscription' };
  const unsupported = unsupportedIn(plan.node as PlanNode | undefined);
  if (unsupported) return { kind: 'apollo', reason: unsupported };
  const operation = operationFromDocument(schemas.apiSchema, { kind: Kind.DOCUMENT, definitions: [operationContext.operation, ...Object.values(operationContext.fragments)] }, { validate: false });
  try {
    return { kind: 'fast', operationContext, plan, variableDefinitions: operation.variableDefinitions, shape: compileShaper(operation), conditionVariables: conditionVariablesOf(document) };
  } catch (error) {
    if (error instanceof UnsupportedOperation) return { kind: 'apollo', reason: error.reason };
    throw error;
  }
}

function conditionVariablesOf(document: DocumentNode): ReadonlySet<string> {
  const names = new Set<string>();
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'skip' && node.name.value !== 'include') return;
      for (const arg of node.arguments ?? []) if (arg.value.kind === Kind.VARIABLE) names.add(arg.value.name.value);
    },
  });
  return names;
}
