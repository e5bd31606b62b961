/**
 * Validates SOAP messages against the published XSDs with xmllint (libxml2-utils), so tests check the wire
 * against the standard itself, not against our reading of it. The envelope is validated by a small wrapper
 * schema whose Body must hold exactly one element declared by the given XSD (processContents="strict").
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';

const run = promisify(execFile);
const workDir = mkdtempSync(path.join(tmpdir(), 'ps-xsd-'));
// Imported by test files only; vitest isolates modules per file, so this removes this file's scratch folder.
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const wrappers = new Map<string, string>();
let documents = 0;

export const SCHEMA_ROOT = path.resolve(import.meta.dirname, '../../schema');

function wrapperFor(xsdPath: string): string {
  const absolute = path.resolve(SCHEMA_ROOT, xsdPath);
  const cached = wrappers.get(absolute);
  if (cached) return cached;
  const targetNamespace = /targetNamespace="([^"]+)"/.exec(readFileSync(absolute, 'utf8'))?.[1];
  if (!targetNamespace) throw new Error(`${xsdPath} has no targetNamespace`);
  const wrapper = path.join(workDir, `envelope-${wrappers.size}.xsd`);
  writeFileSync(
    wrapper,
    `<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://schemas.xmlsoap.org/soap/envelope/" elementFormDefault="qualified">
  <xsd:import namespace="${targetNamespace}" schemaLocation="${pathToFileURL(absolute).href}"/>
  <xsd:element name="Envelope"><xsd:complexType><xsd:sequence>
    <xsd:element name="Header" minOccurs="0"><xsd:complexType><xsd:sequence>
      <xsd:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence><xsd:anyAttribute processContents="lax"/></xsd:complexType></xsd:element>
    <xsd:element name="Body"><xsd:complexType><xsd:sequence>
      <xsd:any namespace="##other" processContents="strict" minOccurs="1" maxOccurs="1"/>
    </xsd:sequence><xsd:anyAttribute processContents="lax"/></xsd:complexType></xsd:element>
  </xsd:sequence><xsd:anyAttribute processContents="lax"/></xsd:complexType></xsd:element>
</xsd:schema>
`,
  );
  wrappers.set(absolute, wrapper);
  return wrapper;
}

export interface XsdResult {
  readonly valid: boolean;
  /** xmllint's messages, for assertion output. */
  readonly output: string;
}

/** Validates a whole SOAP 1.1 envelope whose Body holds one element of the XSD at `xsdPath` (relative to schema/). */
export async function validateEnvelope(envelopeXml: string, xsdPath: string): Promise<XsdResult> {
  const doc = path.join(workDir, `doc-${documents++}.xml`);
  writeFileSync(doc, envelopeXml);
  try {
    const { stderr } = await run('xmllint', ['--noout', '--nonet', '--schema', wrapperFor(xsdPath), doc]);
    return { valid: true, output: stderr };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return { valid: false, output: e.stderr ?? e.message };
  }
}
