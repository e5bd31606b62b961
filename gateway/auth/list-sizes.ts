import { Kind, type DocumentNode } from 'graphql';

/**
 * The list sizes a schema declares (`@listSize(assumedSize: Int!)` on list fields, after the IBM GraphQL cost
 * directive), read from the supergraph where `@composeDirective` carried them, keyed `Type.field`. The cost estimate
 * (operation-analysis.ts) uses a field's declared size in place of OPERATION_DEFAULT_LIST_SIZE, so an operation is
 * costed by what the subgraph says it returns (a user's reviews: about 5), not by a guess that multiplies through
 * every level of a nested page. A `first`/`last` argument still wins over the declaration.
 */
export const LIST_SIZE_SPEC_URL = 'https://dropship.example/cost/v1.0';
const DIRECTIVE = 'listSize';

export function readListSizes(document: DocumentNode): ReadonlyMap<string, number> {
  const sizes = new Map<string, number>();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== DIRECTIVE) continue;
        const value = directive.arguments?.find((a) => a.name.value === 'assumedSize')?.value;
        if (value?.kind !== Kind.INT) continue;
        // Several subgraphs may declare the same field (a shared type): the largest declaration counts.
        const key = `${definition.name.value}.${field.name.value}`;
        sizes.set(key, Math.max(sizes.get(key) ?? 0, Number(value.value)));
      }
    }
  }
  return sizes;
}
