/**
 * Random answers built from an XML Schema (the PromoStandards XSDs in shared/fixtures), in the shape the `soap`
 * package hands a mapping: an element with children is a record keyed by local name, a repeated element is one
 * record or a list of them, simple content is text — or a number, boolean or Date when `soap` could follow the
 * type — and a nil element is `{ $attributes: { nil: 'true' } }`. Values range over what each XSD type allows and
 * past it (hostile text, huge and non-finite numbers, dates from year 1 to 9999, deep nesting), so a mapping sees
 * both what a conforming supplier may send and what a hostile one does.
 *
 * Covers the XSD subset these schemas use: global and inline elements (name, ref, type, minOccurs, maxOccurs,
 * nillable), complex types with a sequence, simple types by restriction (enumeration, length facets), imports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { anyInteger, anyText, dateText, decimalText, hostileAny, hostileNumber, hostileString } from './mapping-fuzz.ts';

type XsdNode = Record<string, unknown>;
const children = (node: XsdNode, tag: string): XsdNode[] => (node[tag] as XsdNode[] | undefined) ?? [];
const attr = (node: XsdNode, name: string): string | undefined => node[`@_${name}`] as string | undefined;
const local = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, isArray: (_name, _path, _leaf, isAttribute) => !isAttribute });

interface Globals {
  readonly elements: Map<string, XsdNode>;
  readonly complexTypes: Map<string, XsdNode>;
  readonly simpleTypes: Map<string, XsdNode>;
}

function load(file: string, globals: Globals, loaded: Set<string>): void {
  if (loaded.has(file)) return;
  loaded.add(file);
  const schema = children(parser.parse(readFileSync(file, 'utf8')) as XsdNode, 'schema')[0]!;
  for (const imported of [...children(schema, 'import'), ...children(schema, 'include')]) {
    const location = attr(imported, 'schemaLocation');
    if (location) load(path.resolve(path.dirname(file), location), globals, loaded);
  }
  for (const [tag, map] of [['element', globals.elements], ['complexType', globals.complexTypes], ['simpleType', globals.simpleTypes]] as const) {
    for (const node of children(schema, tag)) map.set(attr(node, 'name')!, node);
  }
}

const WORD_CHAR = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ ');

/**
 * Simple content `soap` may give for an XSD built-in type: its text, or the typed value when it followed the schema.
 * Mostly (10 in 12) a plausible value, so generated answers reach the mapping's figures; then the rest of what the
 * type allows (any int, decimals of any length, any year); then hostile values.
 */
function builtin(type: string, plausibleOnly: boolean): fc.Arbitrary<unknown> {
  const mix = (plausible: fc.Arbitrary<unknown>, allowed: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown>) =>
    plausibleOnly ? plausible : fc.oneof({ weight: 10, arbitrary: plausible }, { weight: 1, arbitrary: allowed }, { weight: 1, arbitrary: hostile });
  switch (type) {
    case 'int':
    case 'integer':
    case 'long':
      return mix(
        fc.oneof(fc.nat(400).map(String), fc.nat(400)),
        fc.oneof(fc.integer().map(String), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String)),
        fc.oneof(anyInteger(), hostileString()),
      );
    case 'decimal':
      return mix(
        fc.oneof(fc.nat(100_000).map(String), fc.nat(100_000)),
        fc.oneof(fc.integer({ min: 0, max: 100_000 }).map((n) => (n / 100).toFixed(2)), decimalText()),
        hostileNumber(),
      );
    case 'dateTime':
    case 'date': {
      const plausible = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true });
      return mix(fc.oneof(plausible.map((d) => d.toISOString()), plausible), fc.date({ noInvalidDate: false }), dateText());
    }
    case 'boolean':
      return mix(fc.constantFrom('true', 'false', '1', '0', true, false), fc.constantFrom(' true ', 'TRUE'), anyText(8));
    default:
      return mix(fc.string({ unit: WORD_CHAR, minLength: 1, maxLength: 24 }), anyText(), hostileString());
  }
}

export interface XsdArbitraries {
  /** The content of the global element `name` (what `soap` returns as the operation's response). */
  content(name: string): fc.Arbitrary<Record<string, unknown>>;
}

export interface XsdArbitraryOptions {
  /**
   * Values preferred (seven times in eight) for elements of these local names, still within the XSD: e.g. the units of
   * measure a mapping can count, so that generated answers reach its figures and not only its refusals.
   */
  readonly prefer?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Only plausible values within the XSD: no hostile values, no missing required elements (bases for mutation). */
  readonly plausibleOnly?: boolean;
}

export function xsdArbitraries(file: string, options: XsdArbitraryOptions = {}): XsdArbitraries {
  const globals: Globals = { elements: new Map(), complexTypes: new Map(), simpleTypes: new Map() };
  const plausible = options.plausibleOnly ?? false;
  load(file, globals, new Set());

  function simpleType(node: XsdNode): fc.Arbitrary<unknown> {
    const restriction = children(node, 'restriction')[0];
    if (!restriction) return anyText();
    const enumerations = children(restriction, 'enumeration').map((e) => attr(e, 'value')!);
    const base = local(attr(restriction, 'base') ?? 'string');
    const baseArb = globals.simpleTypes.has(base) ? simpleType(globals.simpleTypes.get(base)!) : builtin(base, plausible);
    const maxLength = Number(attr(children(restriction, 'maxLength')[0] ?? {}, 'value') ?? Number.NaN);
    // A restriction of an enumerated type keeps its words; length facets bound free text only.
    const allowed =
      enumerations.length > 0
        ? fc.constantFrom(...enumerations)
        : globals.simpleTypes.has(base) || !Number.isFinite(maxLength)
          ? baseArb
          : fc.string({ unit: WORD_CHAR, minLength: 1, maxLength });
    // Mostly what the facets allow; sometimes past them, as a supplier that ignores its own schema does.
    if (plausible) return allowed;
    return fc.oneof({ weight: 12, arbitrary: allowed }, { weight: 1, arbitrary: baseArb }, { weight: 1, arbitrary: hostileString() });
  }

  function complexType(node: XsdNode, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const sequence of children(node, 'sequence')) {
      for (const element of children(sequence, 'element')) {
        const ref = attr(element, 'ref');
        const name = local(ref ?? attr(element, 'name')!);
        const declaration = ref ? globals.elements.get(name) : element;
        if (!declaration) throw new Error(`xsd: no global element ${name}`);
        const preferred = options.prefer?.[name];
        const generated = occurrences(element, declaration, depth);
        const present = preferred ? fc.oneof({ weight: 7, arbitrary: preferred }, { weight: 1, arbitrary: generated }) : generated;
        // An optional element is there four times in five (absent: undefined, which `soap` never distinguishes).
        model[name] = attr(element, 'minOccurs') === '0' ? fc.option(present, { nil: undefined, freq: 5 }) : present;
      }
    }
    // Required elements are mostly there; a broken supplier leaves them out too.
    if (plausible) return fc.record(model) as fc.Arbitrary<Record<string, unknown>>;
    return fc.oneof({ weight: 50, arbitrary: fc.record(model) }, { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) }) as fc.Arbitrary<Record<string, unknown>>;
  }

  /** One occurrence of an element's content. */
  function value(declaration: XsdNode, depth: number): fc.Arbitrary<unknown> {
    if (depth > 12) return fc.constant(undefined);
    const inlineComplex = children(declaration, 'complexType')[0];
    if (inlineComplex) return complexType(inlineComplex, depth + 1);
    const inlineSimple = children(declaration, 'simpleType')[0];
    if (inlineSimple) return simpleType(inlineSimple);
    const type = local(attr(declaration, 'type') ?? 'string');
    if (globals.complexTypes.has(type)) return complexType(globals.complexTypes.get(type)!, depth + 1);
    if (globals.simpleTypes.has(type)) return simpleType(globals.simpleTypes.get(type)!);
    return builtin(type, plausible);
  }

  /** minOccurs/maxOccurs as `soap` shows them (one element: itself; several: a list), nil when nillable. */
  function occurrences(use: XsdNode, declaration: XsdNode, depth: number): fc.Arbitrary<unknown> {
    const one = value(declaration, depth);
    const max = attr(use, 'maxOccurs');
    const repeated = max === 'unbounded' || Number(max ?? '1') > 1;
    let arb: fc.Arbitrary<unknown> = repeated
      ? fc.oneof({ weight: 4, arbitrary: one }, { weight: 4, arbitrary: fc.array(one, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant([]) })
      : one;
    if (!plausible && (attr(declaration, 'nillable') === 'true' || attr(use, 'nillable') === 'true')) arb = fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant({ $attributes: { nil: 'true' } }) });
    // Now and then anything at all in its place: the wrong type, a list, deep nesting, a megabyte of text.
    if (plausible) return arb;
    return fc.oneof({ weight: 40, arbitrary: arb }, { weight: 1, arbitrary: hostileAny() });
  }

  return {
    content(name) {
      const declaration = globals.elements.get(name);
      if (!declaration) throw new Error(`xsd: no global element ${name} in ${file}`);
      const inline = children(declaration, 'complexType')[0];
      if (!inline) throw new Error(`xsd: ${name} has no complex content`);
      return complexType(inline, 0);
    },
  };
}
