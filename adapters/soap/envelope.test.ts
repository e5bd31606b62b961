import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelopeProblem, MAX_XSI_PREFIXES, scanEnvelope, XSI_NAMESPACE } from './envelope-check.ts';
import { findEnvelope, MAX_ENVELOPE_PREFIX } from './envelope.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/harborpromo');
const recorded = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).map((f) => path.join(FIXTURES, f)),
  ...readdirSync(path.join(FIXTURES, 'conformance')).filter((f) => f.endsWith('.xml')).map((f) => path.join(FIXTURES, 'conformance', f)),
];
const ENV = (inner: string, prefix = 'soap') =>
  `<${prefix}:Envelope xmlns:${prefix}="http://schemas.xmlsoap.org/soap/envelope/"><${prefix}:Body>${inner}</${prefix}:Body></${prefix}:Envelope>`;

describe('findEnvelope (linear, instead of the soap package regex)', () => {
  it.each(recorded)('finds the envelope of the recorded answer %s', (file) => {
    const body = readFileSync(file, 'utf8');
    const found = findEnvelope(body);
    expect(found).toBeDefined();
    expect(found!.xml.startsWith(`<${found!.prefix}:Envelope`)).toBe(true);
    expect(found!.xml.endsWith(`</${found!.prefix}:Envelope>`)).toBe(true);
    expect(body.trim().endsWith(found!.xml)).toBe(true);
  });

  it('skips a BOM, an XML declaration and comments; takes any prefix or none; ends at the last end tag', () => {
    const inner = ENV('<x/>', 'SOAP-ENV');
    expect(findEnvelope(`\uFEFF<?xml version="1.0"?>\n<!-- generated -->\n${inner}\n`)?.xml).toBe(inner);
    expect(findEnvelope(`<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body/></Envelope >trailing`)?.xml).toBe(
      '<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body/></Envelope >',
    );
    expect(findEnvelope(`${ENV('<a/>')}junk${ENV('<b/>')}`)?.xml).toBe(`${ENV('<a/>')}junk${ENV('<b/>')}`);
  });

  it('finds none without both tags, or when the start tag begins past the bounded prefix', () => {
    expect(findEnvelope('<html><body>502 Bad Gateway</body></html>')).toBeUndefined();
    expect(findEnvelope('<soap:Envelope xmlns:soap="x"><soap:Body/>')).toBeUndefined();
    expect(findEnvelope('<soap:EnvelopeX/>')).toBeUndefined();
    expect(findEnvelope(`${' '.repeat(MAX_ENVELOPE_PREFIX)}${ENV('<x/>')}`)).toBeUndefined();
    expect(findEnvelope('<'.repeat(200 * 1024))).toBeUndefined();
  });
});

describe('envelopeProblem (shapes on which soap parsing is super-linear)', () => {
  it.each(recorded)('accepts the recorded answer %s', (file) => {
    expect(envelopeProblem(findEnvelope(readFileSync(file, 'utf8'))!.xml)).toBeUndefined();
  });

  it('accepts attributes with either quote, spaces around =, ">" inside values, CDATA, comments and PIs', () => {
    expect(envelopeProblem(ENV(`<a x = 'v>1' y="2"/><b><![CDATA[<not a tag>]]><!-- c --><?pi x?></b >`))).toBeUndefined();
    expect(envelopeProblem(ENV(`<a xmlns:xsi="${XSI_NAMESPACE}" xsi:nil="true"/>`))).toBeUndefined();
  });

  it('refuses a DOCTYPE, multiRef hrefs, an XML declaration inside CDATA', () => {
    expect(envelopeProblem(`<!DOCTYPE x [<!ENTITY a "b">]>${ENV('<a/>')}`)).toBe('doctype');
    expect(envelopeProblem(ENV('<a id="r1"><k>v</k></a><b href="#r1"/>'))).toBe('multiref-href');
    expect(envelopeProblem(ENV('<a><![CDATA[<?xml version="1.0"?><x/>]]></a>'))).toBe('xml-declaration-in-cdata');
  });

  it(`refuses more than ${MAX_XSI_PREFIXES} prefixes bound to the XSI namespace, also when the URI is written with references`, () => {
    const decls = (n: number, uri = XSI_NAMESPACE) => Array.from({ length: n }, (_, i) => ` xmlns:p${i}="${uri}"`).join('');
    expect(envelopeProblem(ENV(`<a${decls(MAX_XSI_PREFIXES)}/>`))).toBeUndefined();
    expect(envelopeProblem(ENV(`<a${decls(MAX_XSI_PREFIXES + 1)}/>`))).toBe('too-many-xsi-prefixes');
    expect(envelopeProblem(ENV(`<a${decls(MAX_XSI_PREFIXES + 1, '&#104;ttp://www.w3.org/2001/XMLSchema-instance')}/>`))).toBe('too-many-xsi-prefixes');
    // The same prefix declared on every element is one prefix.
    expect(envelopeProblem(ENV(`<a xmlns:xsi="${XSI_NAMESPACE}"/>`.repeat(1000)))).toBeUndefined();
  });

  it('refuses markup that is not well-formed at the tag level', () => {
    for (const bad of ['<a b>', '<a b=c>', '<a b="1>', '< a/>', '<a><!-- x', '<a><![CDATA[x', '<'.repeat(1000)]) {
      expect(envelopeProblem(ENV(bad)), bad).toBe('malformed-markup');
    }
  });

  it('yields between slices, so a large envelope is checked in many short steps', () => {
    const scan = scanEnvelope(ENV('<a b="1"/>'.repeat(100_000)));
    let steps = 0;
    while (!scan.next().done) steps += 1;
    expect(steps).toBeGreaterThan(50);
  });
});
