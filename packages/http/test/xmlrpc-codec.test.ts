import { describe, expect, test } from 'vitest';
import { XmlError } from '../src/xml-parse.ts';
import { decodeCall, encodeFault, encodeResponse, XmlRpcEncodeError } from '../src/xmlrpc-codec.ts';

const call = (params: string, method = 'm') =>
  `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n${params}</params>\n</methodCall>\n`;
const param = (value: string) => `<param>\n<value>${value}</value>\n</param>\n`;

// Python's xmlrpc.client.dumps((value,), methodname='m') for the same values, as a reference.
describe('decodeCall: Supervisor value mapping (spec §2.1)', () => {
  test.each([
    ['<int>5</int>', 5],
    ['<i4>-7</i4>', -7],
    ['<int> 42 </int>', 42],
    ['<i8>5</i8>', '5'],
    ['<boolean>1</boolean>', true],
    ['<boolean>0</boolean>', false],
    ['<boolean>true</boolean>', false],
    ['<string>a &amp; b &lt;c&gt; &#233;&#x263A;</string>', 'a & b <c> é☺'],
    ['<string></string>', ''],
    ['<string/>', ''],
    ['untyped text', 'untyped text'],
    ['', ''],
    ['<double>1.5</double>', 1.5],
    ['<double>-2e3</double>', -2000],
    ['<nil/>', null],
    ['<base64>aMOpbGxv</base64>', 'héllo'],
    ['<string><![CDATA[<raw> & ]]></string>', '<raw> & '],
    ['<string>a\r\nb\rc&#13;</string>', 'a\nb\nc\r'],
    [
      '<array><data>\n<value><int>1</int></value>\n<value><string>x</string></value>\n</data></array>',
      [1, 'x'],
    ],
    ['<array><data></data></array>', []],
    [
      '<struct>\n<member>\n<name>methodName</name>\n<value><string>supervisor.getPID</string></value>\n</member>\n<member>\n<name>params</name>\n<value><array><data>\n</data></array></value>\n</member>\n</struct>',
      { methodName: 'supervisor.getPID', params: [] },
    ],
    [
      '<struct><member><name>__proto__</name><value>x</value></member></struct>',
      JSON.parse('{"__proto__":"x"}'),
    ],
    ['<unknown>text</unknown>', 'text'],
  ])('%s', (xml, expected) => {
    expect(decodeCall(call(param(xml)))).toEqual({ method: 'm', params: [expected] });
  });

  test('dateTime.iso8601 becomes a Date', () => {
    const [date] = decodeCall(call(param('<dateTime.iso8601>20261124T05:10:47</dateTime.iso8601>'))).params;
    expect(date).toEqual(new Date(Date.UTC(2026, 10, 24, 5, 10, 47)));
  });

  test('no <params> means no arguments; an empty or missing methodName is null', () => {
    expect(decodeCall('<methodCall><methodName>a.b</methodName></methodCall>')).toEqual({
      method: 'a.b',
      params: [],
    });
    expect(decodeCall('<methodCall><methodName></methodName></methodCall>').method).toBeNull();
    expect(decodeCall('<methodCall><params/></methodCall>').method).toBeNull();
  });

  test('the method name is kept raw', () => {
    expect(decodeCall('<methodCall><methodName> a.b </methodName></methodCall>').method).toBe(' a.b ');
  });

  test.each([
    ['not XML at all', 'hello'],
    ['unclosed', '<methodCall><methodName>x</methodName>'],
    ['mismatched', '<methodCall><methodName>x</name></methodCall>'],
    ['two roots', '<a/><b/>'],
    ['bad int', call(param('<int>five</int>'))],
    ['empty int', call(param('<int/>'))],
    ['bad double', call(param('<double>x</double>'))],
    ['empty param', call('<param></param>')],
    ['empty array', call(param('<array></array>'))],
    ['bad member', call(param('<struct><member><name>a</name></member></struct>'))],
    ['bad base64 padding', call(param('<base64>YWJjZ</base64>'))],
    ['base64 that is not UTF-8', call(param('<base64>/w==</base64>'))],
    ['raw ESC', call(param('<string>\u001b[31m</string>'))],
    ['NUL', call(param('<string>\u0000</string>'))],
    ['undefined entity', call(param('<string>&nbsp;</string>'))],
    ['invalid char reference', call(param('<string>&#27;</string>'))],
    ['bare ampersand', call(param('<string>a & b</string>'))],
    ['< in attribute', '<methodCall a="<"/>'],
    ['duplicate attribute', '<methodCall a="1" a="2"/>'],
    ['late XML declaration', ` <?xml version='1.0'?><methodCall/>`],
    ['text after the root', '<methodCall/>junk'],
  ])('rejects %s', (_what, xml) => {
    expect(() => decodeCall(xml)).toThrow(XmlError);
  });

  test.each([
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><methodCall><methodName>&lol2;</methodName></methodCall>`,
    ],
    [
      'external entity',
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><methodCall><methodName>&xxe;</methodName></methodCall>`,
    ],
    ['a bare DOCTYPE', '<!DOCTYPE methodCall><methodCall><methodName>a.b</methodName></methodCall>'],
    ['an entity reference without a DTD', '<methodCall><methodName>&xxe;</methodName></methodCall>'],
  ])('refuses %s (no DTD, no entity expansion)', (_what, xml) => {
    expect(() => decodeCall(xml)).toThrow(XmlError);
  });

  test('comments and processing instructions are skipped', () => {
    expect(
      decodeCall(
        '<?xml version="1.0"?><!-- c --><methodCall><?pi x?><methodName>a<!-- c -->.b</methodName></methodCall>',
      ),
    ).toEqual({ method: 'a.b', params: [] });
  });

  test('a big body (1 MiB string, 10,000-element array) decodes', () => {
    const big = 'x'.repeat(1 << 20);
    expect(decodeCall(call(param(`<string>${big}</string>`))).params[0]).toBe(big);
    const items = '<value><int>1</int></value>'.repeat(10_000);
    expect(
      (decodeCall(call(param(`<array><data>${items}</data></array>`))).params[0] as number[]).length,
    ).toBe(10_000);
  });

  test('deep nesting does not overflow the stack', () => {
    const depth = 20_000;
    const xml = call(
      param(`${'<array><data><value>'.repeat(depth)}x${'</value></data></array>'.repeat(depth)}`),
    );
    expect(() => decodeCall(xml)).not.toThrow();
  });
});

describe('encodeResponse / encodeFault: Python marshaller output (spec §1.4, §2.2)', () => {
  test('getState, byte for byte', () => {
    expect(encodeResponse({ statecode: 1, statename: 'RUNNING' })).toBe(
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n<name>statecode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>statename</name>\n<value><string>RUNNING</string></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n",
    );
  });

  test('a fault, byte for byte', () => {
    expect(encodeFault({ faultCode: 10, faultString: 'BAD_NAME: nope' })).toBe(
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>BAD_NAME: nope</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
    );
  });

  test('every type', () => {
    expect(encodeResponse([true, false, 0, -5, 1.5, '', [], {}])).toBe(
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><boolean>1</boolean></value>\n<value><boolean>0</boolean></value>\n<value><int>0</int></value>\n<value><int>-5</int></value>\n<value><double>1.5</double></value>\n<value><string></string></value>\n<value><array><data>\n</data></array></value>\n<value><struct>\n</struct></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n",
    );
  });

  test('strings: only & < > escaped; control characters and CR go out raw', () => {
    expect(encodeResponse('a&b<c>"\'\u001b[31m\r\n')).toContain(
      '<string>a&amp;b&lt;c&gt;"\'\u001b[31m\r\n</string>',
    );
  });

  test('ints are 32-bit; None cannot be marshalled (HTTP 500 cases)', () => {
    expect(encodeResponse(2 ** 31 - 1)).toContain('<int>2147483647</int>');
    expect(encodeResponse(-(2 ** 31))).toContain('<int>-2147483648</int>');
    expect(() => encodeResponse(2 ** 31)).toThrow(XmlRpcEncodeError);
    expect(() => encodeResponse(null)).toThrow(XmlRpcEncodeError);
    expect(() => encodeResponse([undefined])).toThrow(XmlRpcEncodeError);
  });

  test('multicall: bare values and inline fault structs', () => {
    const body = encodeResponse([8144, { faultCode: 10, faultString: 'BAD_NAME: nope' }, true]);
    expect(body).toContain(
      '<data>\n<value><int>8144</int></value>\n<value><struct>\n<member>\n<name>faultCode</name>',
    );
  });

  test.each([
    ['int', 123],
    ['string', 'héllo & <world>'],
    ['nested', { a: [1, 'two', { b: false }], c: '' }],
    ['multicall-like', [[1, 2], { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' }]],
  ])('round trip: %s', (_what, value) => {
    const response = encodeResponse(value);
    // A methodResponse reads back with the same rules as a methodCall's params.
    const asCall = response
      .replace('<methodResponse>', '<methodCall>')
      .replace('</methodResponse>', '</methodCall>');
    expect(decodeCall(asCall).params).toEqual([value]);
  });
});
