import { GraphQLError, isIntrospectionType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, rule, shield, type IRule, type IRules } from 'graphql-shield';

/** One field's rule (graphql-shield exports no name for the field-map type). */
type ShieldRule = IRule | typeof allow | typeof deny;
type FieldRules = Record<string, ShieldRule>;
import { ADMIN_SCOPE, missingScopes, type Principal } from '../../platform/auth/principal.ts';
import { readSchemaScopeDeclarations, requiredScopes, type ScopeIndex } from '../../platform/auth/scope-declarations.ts';
import { CODE } from '../../kernel/errors.ts';


/** Federation's own root fields: `_service` (the gateway reads our SDL) and `_entities` (checked below). */
const FEDERATION_ROOT_FIELDS = new Set(['_service', '_entities']);

const forbidden = (missing: readonly string[], field: string) =>
  new GraphQLError(`Missing scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (needed by ${field})`, {
    extensions: { code: CODE.FORBIDDEN, missingScopes: missing },
  });

/** What a field of an object type requires: its own and its type's declarations, and those of its interfaces. */
function effectiveScopes(index: ScopeIndex, type: GraphQLObjectType, field: string): string[] | undefined {
  const found = [type, ...type.getInterfaces()].map((t) => requiredScopes(index, t.name, field)).filter((s) => s !== undefined);
  return found.length === 0 ? undefined : [...new Set(found.flat())].sort();
}

/**
 * Defence in depth (docs/security.md): the subgraph enforces the same `@scopes` declarations the gateway checked,
 * with graphql-shield, from the principal in the verified gateway signature. So a request that reaches a subgraph
 * some other way than through the gateway's checks still cannot read what its scopes do not allow.
 * - Root fields fail closed (`fallbackRule: deny`): a root field without a declaration needs `admin`.
 * - `_service` and `_entities` are allowed as fields; what `_entities` returns is checked field by field through
 *   the entity types' own declarations, and each entity's `__resolveReference` filters by tenant.
 * - Other fields need what they (or their type, or its interfaces) declare, else nothing more.
 */
export function applyScopeShield(schema: GraphQLSchema): GraphQLSchema {
  const index = readSchemaScopeDeclarations(schema);
  const rules = new Map<string, ShieldRule>();
  const need = (scopes: readonly string[]): ShieldRule => {
    const name = `scopes:${scopes.join(',')}`;
    let found = rules.get(name);
    if (found === undefined) {
      found = rule(name, { cache: 'contextual' })((_parent, _args, ctx: { auth?: Principal }, info) => {
        if (!ctx.auth) return forbidden(scopes.length > 0 ? scopes : ['(authentication)'], `${info.parentType.name}.${info.fieldName}`);
        const missing = missingScopes(ctx.auth.scopes, scopes);
        return missing.length === 0 ? true : forbidden(missing, `${info.parentType.name}.${info.fieldName}`);
      });
      rules.set(name, found);
    }
    return found;
  };

  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => t != null).map((t) => t.name));
  const tree: Record<string, FieldRules> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const fields: FieldRules = {};
    const isRoot = roots.has(type.name);
    for (const field of Object.keys(type.getFields())) {
      const scopes = effectiveScopes(index, type, field);
      if (isRoot && FEDERATION_ROOT_FIELDS.has(field)) fields[field] = allow;
      else if (scopes !== undefined) fields[field] = need(scopes);
      else if (isRoot) fields[field] = need([ADMIN_SCOPE]);
    }
    if (!isRoot) fields['*'] = allow;
    tree[type.name] = fields;
  }
  return applyMiddleware(
    schema,
    shield(tree as IRules, {
      fallbackRule: deny,
      fallbackError: () => new GraphQLError('Not allowed', { extensions: { code: CODE.FORBIDDEN } }),
      // Resolver errors (registry errors with their codes) pass through unchanged; only denials become FORBIDDEN.
      allowExternalErrors: true,
    }),
  );
}
