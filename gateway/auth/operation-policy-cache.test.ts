import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEV_PRINCIPAL } from '../../platform/auth/principal.ts';
import { createOperationPolicy } from './operation-policy.ts';

// The policy keeps an operation's facts per parsed document (issue 15); a cached walk must never answer for other
// variables, another operation name or another schema.
const schema = buildSchema('type Query { users(first: Int = 10): [User!]! } type User { id: ID! friends(first: Int = 10): [User!]! }');
const LIMITS = { maxDepth: 10, maxAliases: 10, maxRootFields: 5, maxCost: 1_000, defaultListSize: 10, maxTokens: 1_000, maxVariablesBytes: 1_000 };
const policy = createOperationPolicy({ scopes: { types: new Map(), fields: new Map() }, limits: LIMITS });
const check = (document: ReturnType<typeof parse>, variables: Record<string, unknown>, operationName?: string, on = schema) =>
  policy({ schema: on, document, operationName, query: undefined, hash: undefined, variables, principal: DEV_PRINCIPAL, transport: 'http' });

describe('operation facts kept per document', () => {
  it('decides again for other variables of the same document', () => {
    const document = parse('query Page($n: Int!) { users(first: $n) { id friends(first: $n) { id } } }');
    expect(check(document, { n: 5 })).toBeNull();
    expect(check(document, { n: 100 })?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost' });
    expect(check(document, { n: 5 })).toBeNull();
  });

  it('decides per operation name within one document', () => {
    const document = parse('query Small { users(first: 1) { id } } query Big { users(first: 100) { friends(first: 100) { id } } }');
    expect(check(document, {}, 'Small')).toBeNull();
    expect(check(document, {}, 'Big')?.extensions).toMatchObject({ limit: 'cost' });
  });

  it('decides per schema', () => {
    const document = parse('{ users(first: 20) { friends { friends { id } } } }');
    const single = buildSchema('type Query { users(first: Int = 10): [User!]! } type User { id: ID! friends: User }');
    expect(check(document, {}, undefined, single)).toBeNull();
    expect(check(document, {}, undefined, schema)?.extensions).toMatchObject({ limit: 'cost' });
  });
});
