/**
 * The sandbox's own XML: a namespace-aware reader for incoming envelopes (fast-xml-parser, entities off, DOCTYPE
 * refused) and a tiny string builder for answers. Deliberately independent of the `soap` package and of
 * adapters/: a simulator built from the connector's own parts would agree with its bugs.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

export interface XNode {
  readonly ns: string;
  readonly name: string;
  readonly children: readonly XNode[];
  readonly text: string;
}

export class XmlRejected extends Error {}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

type Raw = Record<string, unknown>;

function build(raw: Raw, scope: ReadonlyMap<string, string>): XNode | null {
  const qname = Object.keys(raw).find((k) => k !== ':@');
  if (!qname || qname === '#text' || qname.startsWith('?') || qname.startsWith('!')) return null;
  const attrs = (raw[':@'] ?? {}) as Record<string, string>;
  const inner = new Map(scope);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'xmlns') inner.set('', value);
    else if (key.startsWith('xmlns:')) inner.set(key.slice(6), value);
  }
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const ns = inner.get(prefix);
  if (ns === undefined && prefix !== '') throw new XmlRejected(`undeclared namespace prefix ${prefix}`);
  const children: XNode[] = [];
  let text = '';
  for (const child of (raw[qname] ?? []) as Raw[]) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const node = build(child, inner);
      if (node) children.push(node);
    }
  }
  return { ns: ns ?? '', name: colon < 0 ? qname : qname.slice(colon + 1), children, text };
}

/** Parses a request document into namespace-resolved nodes; throws XmlRejected on anything suspicious or broken. */
export function parseXml(text: string): XNode {
  // No DTDs at all: entity expansion (billion laughs) and external entities (XXE) have no way in.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlRejected('DOCTYPE and ENTITY declarations are not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlRejected(`malformed XML: ${valid.err.msg}`);
  const roots = (parser.parse(text) as Raw[]).map((raw) => build(raw, new Map())).filter((n): n is XNode => n !== null);
  if (roots.length !== 1) throw new XmlRejected('expected exactly one root element');
  return roots[0]!;
}

export const child = (node: XNode | undefined, ns: string, name: string): XNode | undefined =>
  node?.children.find((c) => c.ns === ns && c.name === name);

export const childrenNamed = (node: XNode | undefined, ns: string, name: string): XNode[] =>
  node ? node.children.filter((c) => c.ns === ns && c.name === name) : [];

export const textOf = (node: XNode | undefined, ns: string, name: string): string | undefined => child(node, ns, name)?.text;

// ---- building answers ----

export const escapeXml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export type Content = string | number | boolean | null | undefined | readonly Content[];

/** Children are already-built element strings; anything else in a child list is a builder bug. */
const joinChildren = (children: readonly Content[]): string =>
  children
    .map((c) => {
      if (Array.isArray(c)) return joinChildren(c);
      if (typeof c !== 'string') throw new Error(`child elements must be built strings, got ${typeof c}`);
      return c;
    })
    .join('');

/**
 * One element. Primitive content is escaped text; arrays are already-built children; null/undefined content
 * omits the element entirely (optional elements), while '' gives an empty element.
 */
export function el(qname: string, content: Content, attrs: Readonly<Record<string, string>> = {}): string {
  if (content === null || content === undefined) return '';
  const attributes = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const inner = Array.isArray(content) ? joinChildren(content as readonly Content[]) : escapeXml(String(content));
  return `<${qname}${attributes}>${inner}</${qname}>`;
}

export const envelope = (body: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body>${body}</soap:Body></soap:Envelope>`;

/** A SOAP 1.1 fault; per SOAP 1.1 §6.2 it travels with HTTP 500 whether Client or Server. */
export const faultEnvelope = (code: 'Client' | 'Server', message: string): string =>
  envelope(`<soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${escapeXml(message)}</faultstring></soap:Fault>`);
