/**
 * Loads a WSDL into the `soap` package so that every schema it imports is actually used, with the right
 * namespaces.
 *
 * Two defects of `soap` 1.13 meet the PromoStandards files:
 * 1. The WSDLs declare one `<xsd:schema>` per request/response file, each importing a different file into the
 *    SAME namespace. `soap` keys schemas by namespace (`TypesElement.addChild`) and keeps only the first
 *    ("Target-Namespace ... already in use by another Schema!"): the Inventory client then knows
 *    GetFilterValuesRequest but not GetInventoryLevelsRequest, and sends an unqualified `<getInventoryLevelsRequest>`.
 * 2. When schemas of one namespace are merged, `soap` merges their `xmlns` maps too and resolves `ref="p:x"`
 *    through the merged map first. The Order Shipment Notification files bind `ns1` to the SharedObjects namespace
 *    in the request XSD and to the service namespace in the response XSD, so after a naive merge the request's
 *    `<wsVersion>` is sent in the wrong namespace.
 *
 * The fix works on text, in memory, before `soap` sees anything; the files on disk stay as published. Each
 * namespace's files are inlined into ONE `<xsd:schema>` in the WSDL, and every prefix a file declares is renamed
 * to a prefix unique to that file (`f3_ns1`), in its declarations and in its QName attributes (ref, type, base).
 * The files' own imports of other namespaces (SharedObjects, ISO code lists) stay imports, resolved next to the
 * WSDL file. The result means exactly what the files mean, and gives `soap` no clash to get wrong.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import soap from 'soap';

const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
const TYPES_RE = /<wsdl:types>([\s\S]*?)<\/wsdl:types>/;
const IMPORT_RE = /<xsd:import\s+([^>]*?)\/>/g;
const ATTR_RE = /([\w:]+)\s*=\s*"([^"]*)"/g;
const SCHEMA_RE = /<xsd:schema\b([^>]*)>([\s\S]*)<\/xsd:schema>/;
/** Attributes whose value is a QName in the files we load (checked: no memberTypes, itemType or default xmlns). */
const QNAME_ATTR_RE = /\b(ref|type|base)="([\w.-]+):/g;

function attributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(ATTR_RE)) out.set(m[1]!, m[2]!);
  return out;
}

interface InlinedFile {
  readonly xmlns: ReadonlyMap<string, string>;
  readonly body: string;
}

/** One XSD file's top-level content with its prefixes renamed `${tag}_${prefix}`; `xsd` is kept as is. */
export function inlineSchemaFile(xsdText: string, tag: string): InlinedFile {
  const schema = SCHEMA_RE.exec(xsdText);
  if (!schema) throw new Error('not an XSD: no <xsd:schema> root');
  const rootAttrs = attributes(schema[1]!);
  if (rootAttrs.get('xmlns:xsd') !== XSD_NS) throw new Error('XSD does not bind the prefix xsd to XML Schema');
  if (rootAttrs.has('xmlns')) throw new Error('XSD with a default namespace is not supported by this loader');
  const renamed = new Map<string, string>();
  const xmlns = new Map<string, string>();
  for (const [name, value] of rootAttrs) {
    if (!name.startsWith('xmlns:') || name === 'xmlns:xsd') continue;
    const prefix = name.slice('xmlns:'.length);
    renamed.set(prefix, `${tag}_${prefix}`);
    xmlns.set(`${tag}_${prefix}`, value);
  }
  const body = schema[2]!
    .replace(/<xsd:annotation>[\s\S]*?<\/xsd:annotation>/g, '')
    .replace(QNAME_ATTR_RE, (whole, attr: string, prefix: string) => {
      if (prefix === 'xsd') return whole;
      const to = renamed.get(prefix);
      if (!to) throw new Error(`QName prefix ${prefix} is not declared on the schema root`);
      return `${attr}="${to}:`;
    });
  if (/xmlns:\w+=/.test(body)) throw new Error('XSD declares namespaces below its root; not supported by this loader');
  return { xmlns, body };
}

/**
 * Rewrites `<wsdl:types>` so each namespace is one inline schema holding all of its files. Throws when the WSDL
 * does not have the shape this fix was written for, rather than guessing.
 */
export async function mergeWsdlTypes(wsdlText: string, readSibling: (file: string) => Promise<string>): Promise<string> {
  const types = TYPES_RE.exec(wsdlText);
  if (!types) throw new Error('WSDL has no <wsdl:types> section');
  const byNamespace = new Map<string, string[]>();
  for (const m of types[1]!.matchAll(IMPORT_RE)) {
    const attrs = attributes(m[1]!);
    const namespace = attrs.get('namespace');
    const schemaLocation = attrs.get('schemaLocation');
    if (!namespace || !schemaLocation) throw new Error(`xsd:import without namespace or schemaLocation: ${m[0]}`);
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), schemaLocation]);
  }
  if (byNamespace.size === 0) throw new Error('WSDL <wsdl:types> imports no schema');
  let fileIndex = 0;
  const schemas: string[] = [];
  for (const [namespace, files] of byNamespace) {
    const xmlns = new Map<string, string>();
    const bodies: string[] = [];
    const seenImports = new Set<string>();
    for (const file of files) {
      const text = await readSibling(file);
      const targetNamespace = attributes(SCHEMA_RE.exec(text)?.[1] ?? '').get('targetNamespace');
      if (targetNamespace !== namespace) throw new Error(`${file} has targetNamespace ${targetNamespace}, expected ${namespace}`);
      const inlined = inlineSchemaFile(text, `f${fileIndex++}`);
      for (const [prefix, uri] of inlined.xmlns) xmlns.set(prefix, uri);
      // Two files importing the same shared schema would load and merge it twice; once is enough.
      bodies.push(
        inlined.body.replace(IMPORT_RE, (whole) => {
          const key = whole.replace(/\s+/g, ' ');
          if (seenImports.has(key)) return '';
          seenImports.add(key);
          return whole;
        }),
      );
    }
    const declarations = [...xmlns].map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`).join('');
    schemas.push(
      `<xsd:schema xmlns:xsd="${XSD_NS}"${declarations} targetNamespace="${namespace}" elementFormDefault="qualified">${bodies.join('')}</xsd:schema>`,
    );
  }
  return wsdlText.replace(TYPES_RE, () => `<wsdl:types>${schemas.join('')}</wsdl:types>`);
}

/** The `soap` WSDL object for a WSDL file, with its types merged as above; imports resolve next to the file. */
export async function loadWsdl(wsdlPath: string, options: soap.IOptions = {}): Promise<soap.WSDL> {
  const absolute = path.resolve(wsdlPath);
  const dir = path.dirname(absolute);
  const text = await mergeWsdlTypes(await readFile(absolute, 'utf8'), (file) => readFile(path.join(dir, file), 'utf8'));
  const wsdl = new soap.WSDL(text, absolute, options);
  await new Promise<void>((resolve, reject) => wsdl.onReady((err) => (err ? reject(err) : resolve())));
  return wsdl;
}
