/**
 * Random payloads built from a zod wire schema (zod 4): every object, array, union, enum, optional, nullable and
 * default the schema declares, with values across what JSON can carry and past it. Refinements and formats are not
 * followed on purpose — the schema's checks are part of what is tested — but `hints` give plausible values for named
 * fields (timestamps, prices) so that most payloads pass the wire schema and reach the mapping.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { anyInteger, anyText, hostileAny } from './mapping-fuzz.ts';

interface ZodDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Record<string, string>;
  readonly innerType?: z.ZodType;
  readonly checks?: readonly { readonly _zod: { readonly def: { readonly format?: string } } }[];
}

const defOf = (schema: z.ZodType): ZodDef => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

export interface ZodArbitraryOptions {
  /** Plausible values by field name, used three times in four. */
  readonly hints?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Longest generated array. @default 4 */
  readonly maxItems?: number;
}

export function zodArbitrary(schema: z.ZodType, options: ZodArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const maxItems = options.maxItems ?? 4;
  const build = (s: z.ZodType): fc.Arbitrary<unknown> => {
    const def = defOf(s);
    switch (def.type) {
      case 'object': {
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, field] of Object.entries(def.shape!)) {
          const generated = build(field);
          const hint = options.hints?.[key];
          const value = hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: generated }) : generated;
          // Now and then anything at all in a field's place: the wrong type, a list, deep nesting, a megabyte of text.
          model[key] = fc.oneof({ weight: 30, arbitrary: value }, { weight: 1, arbitrary: hostileAny() });
        }
        return fc.record(model);
      }
      case 'string':
        return anyText();
      case 'number': {
        const integer = def.checks?.some((c) => c._zod.def.format === 'safeint' || c._zod.def.format === 'int32');
        return integer ? fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -5, max: 500 }) }, { weight: 1, arbitrary: anyInteger() }) : fc.oneof(fc.double(), anyInteger());
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(build(def.element!), { maxLength: maxItems });
      case 'union':
        return fc.oneof(...def.options!.map(build));
      case 'enum':
        return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...Object.values(def.entries!)) }, { weight: 1, arbitrary: anyText() });
      case 'optional':
      case 'default':
        return fc.option(build(def.innerType!), { nil: undefined, freq: 4 });
      case 'nullable':
        return fc.option(build(def.innerType!), { nil: null, freq: 4 });
      default:
        throw new Error(`zodArbitrary: no generator for a zod ${def.type}`);
    }
  };
  return build(schema);
}
