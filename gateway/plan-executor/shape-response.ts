import {
  assert,
  ERRORS,
  isCompositeType,
  isCustomScalarType,
  isListType,
  isEnumType,
  isNonNullType,
  isObjectType,
  isSubtype,
  typenameFieldName,
  Variable,
  type CompositeType,
  type Directive,
  type NamedType,
  type Operation,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

type Json = Record<string, unknown>;
type Path = (string | number)[];

/** Per response: the request's variables (with defaults), the path being shaped, the errors found. */
interface Run {
  readonly variables: Record<string, unknown>;
  readonly path: Path;
  readonly errors: GraphQLError[];
  /** Side outputs of the last value updater called (Apollo's `{ isInvalid, hasErrors }`, without an object per value). */
  invalid: boolean;
  hasErrors: boolean;
}

const BUBBLE = true;
type ApplySet = (input: Json, output: Json, run: Run, parentType: CompositeType) => boolean;
type UpdateValue = (output: unknown, input: unknown, run: Run, parentType: CompositeType) => unknown;
type Skip = (variables: Record<string, unknown>) => boolean;

const settled = (run: Run, value: unknown): unknown => {
  run.invalid = false;
  run.hasErrors = false;
  return value;
};

const own = (value: Json, key: string): unknown => (Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined);

function pathLastElementDescription(path: Path, currentType: Type, parentType: CompositeType): string {
  const element = path[path.length - 1];
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}

/**
 * @apollo/gateway's computeResponse (resultShaping.js) compiled once per operation into a tree of closures: the
 * same walk, the same output key order, the same null propagation and the same errors (messages, paths), but the
 * selection sets, @skip/@include, field types and fragment conditions are read from @apollo/federation-internals
 * once instead of on every response, and no result object is allocated per value.
 */
export function compileShaper(operation: Operation): (input: Json, variables: Record<string, unknown> | undefined) => { data: Json | null; errors: GraphQLError[] } {
  const schema = operation.schema();
  const rootType = schema.schemaDefinition.rootType(operation.rootKind)!;
  const defaults = operation.collectDefaultedVariableValues();
  const typeByName = new Map<string, NamedType | undefined>();
  const typeNamed = (name: string): NamedType | undefined => {
    if (!typeByName.has(name)) typeByName.set(name, schema.type(name));
    return typeByName.get(name);
  };
  const sets = new Map<SelectionSet, ApplySet>();
  const applySetOf = (selectionSet: SelectionSet): ApplySet => {
    let compiled = sets.get(selectionSet);
    if (compiled === undefined) {
      // Recursive fragments are not valid GraphQL, but a selection set met again is compiled once.
      let body: ApplySet | undefined;
      compiled = (input, output, run, parentType) => body!(input, output, run, parentType);
      sets.set(selectionSet, compiled);
      body = compileSet(selectionSet);
    }
    return compiled;
  };

  const skipOf = (directives: readonly Directive<any, any>[]): Skip | undefined => {
    const skip = directives.find((d) => d.name === schema.skipDirective().name);
    const include = directives.find((d) => d.name === schema.includeDirective().name);
    if (!skip && !include) return undefined;
    const ifValue = (directive: Directive<any, any>): Skip => {
      const arg = directive.arguments().if as unknown;
      if (arg instanceof Variable) {
        return (variables) => {
          const value = variables[arg.name];
          assert(value !== undefined && typeof value === 'boolean', () => `Unexpected value ${value} for variable ${arg} of ${directive}`);
          return value;
        };
      }
      return () => arg as boolean;
    };
    const skipIf = skip ? ifValue(skip) : undefined;
    const includeIf = include ? ifValue(include) : undefined;
    return (variables) => (skipIf !== undefined && skipIf(variables)) || (includeIf !== undefined && !includeIf(variables));
  };

  const compileSet = (selectionSet: SelectionSet): ApplySet => {
    const steps: ApplySet[] = [];
    for (const selection of selectionSet.selections()) {
      const element = selection.element;
      const skip = skipOf(element.appliedDirectivesOf(schema.skipDirective()).concat(element.appliedDirectivesOf(schema.includeDirective())));
      let step: ApplySet;
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        const responseName = field.responseName();
        const inherited = responseName in Object.prototype;
        const read = inherited ? own : (value: Json, key: string) => value[key];
        if (field.definition.isSchemaIntrospectionField()) throw new UnsupportedOperation('introspection');
        if (field.name === typenameFieldName) {
          const aliased = responseName !== typenameFieldName;
          step = (input, output, _run, parentType) => {
            if (read(output, responseName) !== undefined) return false;
            let value = own(input, responseName) ?? null;
            if (value === null && aliased) value = input[typenameFieldName] ?? null;
            const type = value !== null && typeof value === 'string' ? (typeNamed(value) ?? parentType) : parentType;
            if (!isObjectType(type)) return BUBBLE;
            output[responseName] = type.name;
            return false;
          };
        } else {
          const update = compileValue(field.definition.type!, selection.selectionSet);
          step = (input, output, run, parentType) => {
            run.path.push(responseName);
            const updated = update(read(output, responseName), read(input, responseName) ?? null, run, parentType);
            if (inherited && !Object.prototype.hasOwnProperty.call(output, responseName)) {
              Object.defineProperty(output, responseName, { configurable: true, enumerable: true, value: updated, writable: true });
            } else {
              output[responseName] = updated;
            }
            run.path.pop();
            return run.invalid;
          };
        }
      } else {
        const condition = selection.element.typeCondition;
        const apply = applySetOf(selection.selectionSet);
        const byTypename = new Map<string, boolean>();
        const byParent = new Map<CompositeType, boolean>();
        step = (input, output, run, parentType) => {
          const typename = input[typenameFieldName] as string | undefined;
          assert(!typename || typeof typename === 'string', () => `Got unexpected value for __typename: ${typename}`);
          let applies = true;
          if (condition) {
            if (typename) {
              let known = byTypename.get(typename);
              if (known === undefined) {
                const type = typeNamed(typename);
                known = !!type && isSubtype(condition, type);
                byTypename.set(typename, known);
              }
              applies = known;
            } else {
              let known = byParent.get(parentType);
              if (known === undefined) {
                known = isSubtype(condition, parentType);
                byParent.set(parentType, known);
              }
              applies = known;
            }
          }
          return applies ? apply(input, output, run, condition ?? parentType) : false;
        };
      }
      if (skip === undefined) steps.push(step);
      else steps.push((input, output, run, parentType) => (skip(run.variables) ? false : step(input, output, run, parentType)));
    }
    return (input, output, run, parentType) => {
      for (let i = 0; i < steps.length; i++) if (steps[i]!(input, output, run, parentType)) return BUBBLE;
      return false;
    };
  };

  // One closure per wrapping of the field's type (non-null, list, composite, leaf), chosen here, not per value.
  const compileValue = (type: Type, selectionSet: SelectionSet | undefined): UpdateValue => {
    if (isNonNullType(type)) {
      const inner = compileValue(type.ofType, selectionSet);
      return (output, input, run, parentType) => {
        if (output === null || (output !== undefined && !selectionSet)) return settled(run, output);
        const updated = inner(output, input, run, parentType);
        if (updated === null) {
          if (!run.hasErrors) {
            run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${pathLastElementDescription(run.path, type.ofType, parentType)}.`, { path: Array.from(run.path) }));
          }
          run.invalid = true;
          run.hasErrors = true;
          return updated;
        }
        return settled(run, updated);
      };
    }
    if (isListType(type)) {
      const inner = compileValue(type.ofType, selectionSet);
      return (output, input, run, parentType) => {
        if (output === null || (output !== undefined && !selectionSet)) return settled(run, output);
        if (input === null) return settled(run, null);
        assert(Array.isArray(input), () => `Invalid non-list value ${input} returned by subgraph for list type ${type}`);
        assert(output === undefined || Array.isArray(output), () => `Invalid non-list value ${output} returned by subgraph for list type ${type}`);
        const length = input.length;
        const outputs = output === undefined ? undefined : (output as unknown[]);
        assert(outputs === undefined || length === outputs.length, () => `[${input}].length (${input.length}) !== [${outputs}].length (${outputs!.length})`);
        let shouldNullify = false;
        let hasErrors = false;
        const updated = new Array<unknown>(length);
        const path = run.path;
        for (let i = 0; i < length; i++) {
          path.push(i);
          updated[i] = inner(outputs === undefined ? undefined : outputs[i], input[i], run, parentType);
          path.pop();
          if (run.invalid) shouldNullify = true;
          if (run.hasErrors) hasErrors = true;
        }
        run.invalid = false;
        run.hasErrors = hasErrors;
        return shouldNullify ? null : updated;
      };
    }
    if (isCompositeType(type)) {
      const apply = selectionSet ? applySetOf(selectionSet) : undefined;
      return (output, input, run, parentType) => {
        if (output === null || (output !== undefined && !selectionSet)) return settled(run, output);
        if (input === null) return settled(run, null);
        assert(selectionSet, () => `Invalid empty selection set for composite type ${type}`);
        assert(typeof input === 'object', () => `Invalid non-object value ${input} returned by subgraph for composite type ${type}`);
        assert(output === undefined || typeof output === 'object', () => `Invalid non-object value ${input} returned by subgraph for composite type ${type}`);
        const from = input as Json;
        const inputTypename = from[typenameFieldName];
        assert(inputTypename === undefined || typeof inputTypename === 'string', () => `Invalid non-string value ${inputTypename} for __typename at ${run.path}`);
        let objType = type as CompositeType;
        if (inputTypename) {
          const named = typeNamed(inputTypename);
          if (!named || !isCompositeType(named)) {
            run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${pathLastElementDescription(run.path, type, parentType)}.`, { path: Array.from(run.path) }));
            run.invalid = false;
            run.hasErrors = true;
            return null;
          }
          objType = named;
        }
        const into = output === undefined ? {} : (output as Json);
        const bubbled = apply!(from, into, run, objType);
        run.invalid = false;
        run.hasErrors = bubbled;
        return bubbled ? null : into;
      };
    }
    const validLeaf = compileLeafCheck(schema, type);
    return (output, input, run, parentType) => {
      if (output === null || (output !== undefined && !selectionSet)) return settled(run, output);
      if (input === null) return settled(run, null);
      assert(output === undefined, () => `Excepted output to be undefined but got ${type} for type ${type}`);
      const valid = validLeaf(input);
      if (!valid) {
        run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${pathLastElementDescription(run.path, type, parentType)}.`, { path: Array.from(run.path) }));
      }
      run.invalid = false;
      run.hasErrors = !valid;
      return valid ? input : null;
    };
  };

  const root = applySetOf(operation.selectionSet);
  return (input, variables) => {
    const run: Run = { variables: { __proto__: null, ...defaults, ...variables } as Record<string, unknown>, path: [], errors: [], invalid: false, hasErrors: false };
    const data: Json = {};
    const bubbled = root(input, data, run, rootType);
    return { data: bubbled ? null : data, errors: run.errors };
  };
}

/** An operation the fast executor leaves to Apollo's (found while compiling, before anything is sent). */
export class UnsupportedOperation extends Error {
  constructor(readonly reason: string) {
    super(`not supported by the fast executor: ${reason}`);
  }
}

const INTEGER_STRING = /^-?(?:0|[1-9][0-9]*)$/; // federation-internals' integerStringRegExp

/**
 * federation-internals' isValidLeafValue(schema, value, type) with the type's identity decided once per field
 * rather than per value (it looked up the schema's Int, ID, Float and Boolean types for every leaf: ~1 % of the
 * gateway's busy time). Same answers for every value (test/gateway-speed: byte-for-byte equivalence).
 */
export function compileLeafCheck(schema: Schema, type: Type): (value: unknown) => boolean {
  if (isCustomScalarType(type)) return () => true;
  const isBoolean = type === schema.booleanType();
  const isInt = type === schema.intType();
  const isIntOrId = isInt || type === schema.idType();
  const isFloat = type === schema.floatType();
  const enumType = isEnumType(type) ? type : undefined;
  const stringAllowed = !isBoolean && !isInt && !isFloat;
  return (value) => {
    if (typeof value === 'boolean') return isBoolean;
    if (typeof value === 'number' && isFinite(value)) return isIntOrId ? INTEGER_STRING.test(String(value)) : isFloat;
    if (typeof value === 'string') return enumType ? enumType.value(value) !== undefined : stringAllowed;
    return false;
  };
}
