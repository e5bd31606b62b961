/**
 * Shopify-style calculated query cost and the leaky bucket it is charged to.
 *
 * Cost rules (after Shopify's published model): scalars and enums 0; an object 1; a connection 2 plus `first`
 * times the cost of one node (edges and PageInfo are free wrappers); a plain list `first` (or 1) times its item;
 * every mutation field 10. The requested cost is computed from the query before execution, the actual cost from
 * what came back; the bucket is charged the requested cost up front and refunded the difference.
 */
import {
  Kind,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export const MUTATION_COST = 10;
export const MAX_SINGLE_QUERY_COST = 1_000;

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
  /** When set, cost is measured on this response data (actual cost) instead of on `first` (requested). */
  readonly actual: boolean;
}

type Data = Record<string, unknown> | undefined;

const ownCost = (type: GraphQLCompositeType): number =>
  type.name.endsWith('Edge') || type.name === 'PageInfo' ? 0 : 1;

function fieldCost(w: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, value: unknown, pageSize: number | undefined): number {
  const named = getNamedType(field.type);
  if (!isCompositeType(named) || !node.selectionSet) return 0;
  if (w.actual && (value === null || value === undefined)) return 0;
  const args = getArgumentValues(field, node, w.variables);
  const first = typeof args['first'] === 'number' ? args['first'] : typeof args['last'] === 'number' ? args['last'] : undefined;
  if (named.name.endsWith('Connection')) {
    return 2 + selectionCost(w, node.selectionSet, named, value as Data, first ?? 0);
  }
  const one = (item: unknown): number => ownCost(named) + selectionCost(w, node.selectionSet!, named, item as Data, undefined);
  if (isListType(getNullableType(field.type))) {
    if (w.actual) return (value as unknown[]).reduce<number>((n, item) => n + (item == null ? 0 : one(item)), 0);
    return (pageSize ?? first ?? 1) * one(undefined);
  }
  return one(value);
}

function selectionCost(w: Walk, set: SelectionSetNode, type: GraphQLCompositeType, data: Data, pageSize: number | undefined): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__') || !('getFields' in type)) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      const key = selection.alias?.value ?? selection.name.value;
      total += fieldCost(w, field, selection, w.actual ? data?.[key] : undefined, pageSize);
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : w.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition ? w.schema.getType(fragment.typeCondition.name.value) : type;
      if (condition && isCompositeType(condition)) total += selectionCost(w, fragment.selectionSet, condition, data, pageSize);
    }
  }
  return total;
}

function operationCost(w: Walk, operation: OperationDefinitionNode, data: Data): number {
  if (operation.operation === 'mutation') {
    return operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && !s.name.value.startsWith('__')).length * MUTATION_COST;
  }
  const root = w.schema.getQueryType()!;
  return Math.max(1, selectionCost(w, operation.selectionSet, root, data, undefined));
}

export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Readonly<Record<string, unknown>>;
}

const fragmentsOf = (document: DocumentNode): Record<string, FragmentDefinitionNode> =>
  Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));

export function requestedCost(input: CostInput): number {
  return operationCost({ schema: input.schema, fragments: fragmentsOf(input.document), variables: input.variables, actual: false }, input.operation, undefined);
}

export function actualCost(input: CostInput, data: Record<string, unknown> | null | undefined): number {
  if (input.operation.operation === 'mutation') return requestedCost(input);
  return operationCost({ schema: input.schema, fragments: fragmentsOf(input.document), variables: input.variables, actual: true }, input.operation, data ?? {});
}

export interface ThrottleStatus {
  readonly maximumAvailable: number;
  readonly currentlyAvailable: number;
  readonly restoreRate: number;
}

/** The leaky bucket: refills at `restoreRate` points a second up to `maximumAvailable`. */
export class CostBucket {
  readonly #max: number;
  readonly #rate: number;
  readonly #now: () => number;
  #available: number;
  #at: number;

  constructor(maximumAvailable: number, restoreRate: number, now: () => number = Date.now) {
    this.#max = maximumAvailable;
    this.#rate = restoreRate;
    this.#now = now;
    this.#available = maximumAvailable;
    this.#at = now();
  }

  #refill(): void {
    const now = this.#now();
    this.#available = Math.min(this.#max, this.#available + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
  }

  /** Charges `cost` if the bucket holds it; false (and nothing charged) otherwise. */
  tryTake(cost: number): boolean {
    this.#refill();
    if (cost > this.#available) return false;
    this.#available -= cost;
    return true;
  }

  refund(points: number): void {
    this.#refill();
    this.#available = Math.min(this.#max, this.#available + Math.max(0, points));
  }

  /** Drains the bucket to `points` (tests use this to force a real, cost-based throttle). */
  drainTo(points: number): void {
    this.#refill();
    this.#available = Math.max(0, Math.min(this.#max, points));
  }

  reset(): void {
    this.#available = this.#max;
    this.#at = this.#now();
  }

  status(): ThrottleStatus {
    this.#refill();
    return { maximumAvailable: this.#max, currentlyAvailable: Math.floor(this.#available), restoreRate: this.#rate };
  }
}
