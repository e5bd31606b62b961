import { describe, expect, it } from 'vitest';
import { inlineSchemaFile, mergeWsdlTypes } from './wsdl-loader.ts';
import { faultKind, toSoapRegistryError } from './errors.ts';
import { asArray, asBool, asCount, asDecimalString, asText } from './coerce.ts';

const XSD = (ns: string, body: string, prefixes = '') =>
  `<?xml version="1.0"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"${prefixes} targetNamespace="${ns}" elementFormDefault="qualified">${body}</xsd:schema>`;

describe('mergeWsdlTypes', () => {
  it('puts every file of one namespace into one schema, each with its own prefixes', async () => {
    const wsdl =
      '<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"><wsdl:types>' +
      '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:import namespace="urn:svc" schemaLocation="Req.xsd"/></xsd:schema>' +
      '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:import namespace="urn:svc" schemaLocation="Res.xsd"/></xsd:schema>' +
      '</wsdl:types></wsdl:definitions>';
    const files: Record<string, string> = {
      // The OSN trap: ns1 means SharedObjects in one file and the service namespace in the other.
      'Req.xsd': XSD('urn:svc', '<xsd:import namespace="urn:shared" schemaLocation="Shared.xsd"/><xsd:element name="Req"><xsd:complexType><xsd:sequence><xsd:element ref="ns1:id"/></xsd:sequence></xsd:complexType></xsd:element>', ' xmlns:ns1="urn:shared"'),
      'Res.xsd': XSD('urn:svc', '<xsd:import namespace="urn:shared" schemaLocation="Shared.xsd"/><xsd:element name="Res" type="ns1:T"/><xsd:complexType name="T"><xsd:sequence><xsd:element ref="ns2:id"/></xsd:sequence></xsd:complexType>', ' xmlns:ns1="urn:svc" xmlns:ns2="urn:shared"'),
    };
    const merged = await mergeWsdlTypes(wsdl, async (f) => files[f]!);
    expect(merged.match(/<xsd:schema /g)).toHaveLength(1);
    expect(merged).toContain('xmlns:f0_ns1="urn:shared"');
    expect(merged).toContain('xmlns:f1_ns1="urn:svc"');
    expect(merged).toContain('ref="f0_ns1:id"');
    expect(merged).toContain('type="f1_ns1:T"');
    expect(merged).toContain('ref="f1_ns2:id"');
    // The shared import appears once, not once per file.
    expect(merged.match(/schemaLocation="Shared.xsd"/g)).toHaveLength(1);
  });

  it('refuses files it was not written for instead of guessing', async () => {
    expect(() => inlineSchemaFile('<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:x"></xsd:schema>', 'f0')).toThrow(/default namespace/);
    expect(() => inlineSchemaFile(XSD('urn:x', '<xsd:element ref="zz:y"/>'), 'f0')).toThrow(/prefix zz/);
    await expect(mergeWsdlTypes('<wsdl:definitions/>', async () => '')).rejects.toThrow(/no <wsdl:types>/);
    const wrongNs = '<wsdl:types><xsd:schema><xsd:import namespace="urn:a" schemaLocation="A.xsd"/></xsd:schema></wsdl:types>';
    await expect(mergeWsdlTypes(wrongNs, async () => XSD('urn:b', ''))).rejects.toThrow(/targetNamespace urn:b/);
  });
});

describe('error helpers', () => {
  it('reads the kind of a SOAP 1.1 faultcode, subcodes included', () => {
    expect(faultKind('soap:Client')).toBe('Client');
    expect(faultKind('SOAP-ENV:Server.Database')).toBe('Server');
    expect(faultKind('Client')).toBe('Client');
  });

  it('passes registry errors through and calls anything without an answer unavailable', () => {
    const ctx = { supplier: 's', operation: 'op' };
    expect(toSoapRegistryError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), ctx).code).toBe('SUPPLIER_UNAVAILABLE');
    const aborted = new AbortController();
    aborted.abort();
    expect(toSoapRegistryError(new Error('whatever'), { ...ctx, signal: aborted.signal }).code).toBe('CALL_ABORTED');
  });
});

describe('coercion', () => {
  it('turns what soap gives into the XSD types', () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray({ a: 1 })).toEqual([{ a: 1 }]);
    expect(asArray([1, 2])).toEqual([1, 2]);
    expect(asText(new Date('2026-01-01T00:00:00Z'), 'd')).toBe('2026-01-01T00:00:00.000Z');
    expect(asBool('1', 'b')).toBe(true);
    expect(asBool(false, 'b')).toBe(false);
    expect(() => asBool('yes', 'b')).toThrow(/not a boolean/);
    expect(asDecimalString('+007.50', 'p')).toBe('7.50');
    expect(asDecimalString(12, 'p')).toBe('12');
    expect(() => asDecimalString('1e3', 'p')).toThrow(/not a decimal/);
    expect(asCount('42.0', 'q')).toBe(42);
    expect(() => asCount('4.2', 'q')).toThrow(/whole/);
  });
});
