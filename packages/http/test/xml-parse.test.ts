import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { XmlError } from '../src/xml-parse.ts';
import { decodeCall } from '../src/xmlrpc-codec.ts';

const CALL = `<?xml version='1.0'?>
<methodCall>
<methodName>system.multicall</methodName>
<params>
<param><value><array><data>
<value><struct><member><name>methodName</name><value><string>supervisor.startProcess</string></value></member>
<member><name>params</name><value><array><data><value><string>a &amp; b</string></value><value><boolean>1</boolean></value></data></array></value></member></struct></value>
<value><int>-12</int></value><value><double>1.5</double></value><value><base64>aMOp</base64></value><value><nil/></value>
</data></array></value></param>
</params>
</methodCall>`;

describe('the XML reader', () => {
  test('every truncated prefix of a call fails with XmlError', () => {
    expect(decodeCall(CALL).method).toBe('system.multicall');
    for (let n = 0; n < CALL.length; n++) {
      expect(() => decodeCall(CALL.slice(0, n)), `prefix of ${n}`).toThrow(XmlError);
    }
  });

  test('random input raises nothing but XmlError', () => {
    const pieces = fc.constantFrom(
      '<',
      '>',
      '</',
      '/>',
      '&',
      ';',
      '&amp;',
      '&#65;',
      '<!--',
      '-->',
      '<![CDATA[',
      ']]>',
      '<?',
      '?>',
      '"',
      '=',
      ' ',
      'value',
      'int',
      'struct',
      'member',
      'name',
      'array',
      'data',
      'param',
      'params',
      'methodCall',
      'methodName',
      '5',
      'x',
      '<!DOCTYPE',
      '\u0000',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        try {
          decodeCall(parts.join(''));
        } catch (error) {
          if (!(error instanceof XmlError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          decodeCall(text);
        } catch (error) {
          if (!(error instanceof XmlError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
