import type { QueryPlanSelectionNode } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';
import { isObjectOfType } from './apollo-internals.ts';
import { mergeInto } from './merge.ts';

type Json = Record<string, unknown>;
/** One entity's `_entities` representation, or null when a required field is missing. */
export type Represent = (source: unknown) => Json | null;

/**
 * @apollo/gateway's executeSelectionSet (executeQueryPlan.js) over a fetch's `requires`, compiled once per fetch
 * node: same semantics — null when a required field is missing, inline fragments applied by the entity's
 * `__typename` (answer memoized per typename) — without walking the selection nodes for every entity.
 */
export function compileRepresentation(schema: GraphQLSchema, selections: readonly QueryPlanSelectionNode[]): Represent {
  const steps = selections.map((selection): ((from: Json, result: Json) => boolean) => {
    if (selection.kind === 'Field') {
      const responseName = selection.alias ?? selection.name;
      const inner = selection.selections ? compileRepresentation(schema, selection.selections) : undefined;
      return (from, result) => {
        if (!Object.prototype.hasOwnProperty.call(from, responseName)) return false;
        const value = from[responseName];
        if (value === undefined) return false;
        if (Array.isArray(value)) result[responseName] = inner ? value.map(inner) : value.slice();
        else result[responseName] = inner ? inner(value) : value;
        return true;
      };
    }
    const condition = selection.typeCondition;
    if (!condition) return () => true;
    const inner = compileRepresentation(schema, selection.selections);
    const applies = new Map<unknown, boolean>();
    return (from, result) => {
      const typename = from['__typename'];
      let known = applies.get(typename);
      if (known === undefined) {
        known = isObjectOfType(schema, from, condition);
        applies.set(typename, known);
      }
      if (known) mergeInto(result, inner(from));
      return true;
    };
  });
  return (source) => {
    if (source === null) return null;
    // A plain object, not Apollo's null-prototype one: the same JSON, and V8 keeps it in fast mode for the stringify.
    const result: Json = {};
    for (let i = 0; i < steps.length; i++) if (!steps[i]!(source as Json, result)) return null;
    return result;
  };
}
