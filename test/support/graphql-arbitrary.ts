/**
 * Random `data` answers to a GraphQL document, built from the supplier's SDL: every field the document selects
 * (aliases, fragments and inline fragments followed), typed by the schema — non-null or nullable, lists, enums,
 * objects — with scalar values across what the type allows and past it, and now and then anything at all in a field's
 * place (the wrong type, a list, deep nesting, megabyte text), as a hostile server sends.
 */
import fc from 'fast-check';
import {
  Kind,
  buildSchema,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type SelectionSetNode,
} from 'graphql';
import { anyInteger, anyText, dateText, decimalText, hostileAny } from './mapping-fuzz.ts';

export interface GraphqlArbitraryOptions {
  /** Values by scalar type name; the defaults cover String, ID, Int, Float, Boolean, Decimal and DateTime. */
  readonly scalars?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Plausible values by field name (response key), used three times in four. */
  readonly hints?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Longest generated list. @default 4 */
  readonly maxItems?: number;
}

const windowDates = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

const DEFAULT_SCALARS: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  String: anyText(),
  ID: fc.oneof(fc.nat().map((n) => `gid://shopify/Node/${n}`), anyText()),
  Int: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -20, max: 500 }) }, { weight: 1, arbitrary: anyInteger() }),
  Float: fc.oneof(fc.double(), anyInteger()),
  Boolean: fc.boolean(),
  Decimal: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1_000_000 }).map((n) => (n / 100).toFixed(2)) }, { weight: 1, arbitrary: decimalText() }),
  DateTime: fc.oneof({ weight: 4, arbitrary: windowDates }, { weight: 1, arbitrary: dateText() }),
};

/** An arbitrary of the `data` object the first operation of `document` asks of the schema in `sdl`. */
export function graphqlDataArbitrary(sdl: string, document: string, options: GraphqlArbitraryOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  const schema = buildSchema(sdl);
  const ast = parse(document);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of ast.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operation = ast.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('graphqlDataArbitrary: no operation in the document');
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) throw new Error(`graphqlDataArbitrary: the schema has no ${operation.operation} type`);
  const scalars = { ...DEFAULT_SCALARS, ...options.scalars };
  const maxItems = options.maxItems ?? 4;

  function fieldsOf(parent: GraphQLObjectType, selectionSet: SelectionSetNode, into: Record<string, fc.Arbitrary<unknown>>): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === '__typename') {
          into[key] = fc.constant(parent.name);
          continue;
        }
        const field = parent.getFields()[selection.name.value];
        if (!field) throw new Error(`graphqlDataArbitrary: ${parent.name} has no field ${selection.name.value}`);
        const generated = typed(field.type, selection.selectionSet);
        const hint = options.hints?.[key];
        const value = hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: generated }) : generated;
        into[key] = fc.oneof({ weight: 30, arbitrary: value }, { weight: 1, arbitrary: hostileAny() });
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value)! : selection;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (isObjectType(condition) && condition.name === parent.name) fieldsOf(parent, fragment.selectionSet, into);
      }
    }
  }

  /** A nullable field is null one time in five (a hostile server also nulls non-null ones: see hostileAny). */
  function typed(type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return value(type.ofType, selectionSet);
    return fc.option(value(type, selectionSet), { nil: null, freq: 5 });
  }

  function value(type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): fc.Arbitrary<unknown> {
    if (isListType(type)) return fc.array(typed(type.ofType, selectionSet), { maxLength: maxItems });
    if (isScalarType(type)) return scalars[type.name] ?? anyText();
    if (isEnumType(type)) return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.value as string)) }, { weight: 1, arbitrary: anyText() });
    if (isObjectType(type) && selectionSet) {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      fieldsOf(type, selectionSet, model);
      return fc.record(model);
    }
    throw new Error(`graphqlDataArbitrary: no generator for ${String(type)}`);
  }

  const model: Record<string, fc.Arbitrary<unknown>> = {};
  fieldsOf(root, operation.selectionSet, model);
  return fc.record(model) as fc.Arbitrary<Record<string, unknown>>;
}
