import type { QueryPlanSelectionNode } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';
import { isObjectOfType } from './apollo-internals.ts';
import { mergeInto } from './merge.ts';

type Json = Record<string, unknown>;

/**
 * The `_entities` representation of one entity: @apollo/gateway's executeSelectionSet (executeQueryPlan.js) over a
 * fetch's `requires`, same semantics — null when a required field is missing, inline fragments applied by the
 * entity's `__typename` — with the type test memoized per (typename, condition): requires are a handful of fields,
 * the type lookups were most of the cost.
 */
export function representationOf(schema: GraphQLSchema, source: unknown, selections: readonly QueryPlanSelectionNode[], memo: Map<string, boolean>): Json | null {
  if (source === null) return null;
  const from = source as Json;
  // A plain object, not Apollo's null-prototype one: the same JSON, and V8 keeps it in fast mode for the stringify.
  const result: Json = {};
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const responseName = selection.alias ?? selection.name;
      if (!Object.prototype.hasOwnProperty.call(from, responseName) || from[responseName] === undefined) return null;
      const value = from[responseName];
      const inner = selection.selections;
      if (Array.isArray(value)) result[responseName] = value.map((item: unknown) => (inner ? representationOf(schema, item, inner, memo) : item));
      else if (inner) result[responseName] = representationOf(schema, value, inner, memo);
      else result[responseName] = value;
    } else {
      if (!selection.typeCondition || !from) continue;
      const typename = from['__typename'];
      const key = `${String(typename)}\u0000${selection.typeCondition}`;
      let applies = memo.get(key);
      if (applies === undefined) {
        applies = isObjectOfType(schema, from, selection.typeCondition);
        memo.set(key, applies);
      }
      if (applies) mergeInto(result, representationOf(schema, from, selection.selections, memo));
    }
  }
  return result;
}
