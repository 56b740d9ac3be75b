import fc from 'fast-check';
import { expect, test } from 'vitest';
import { decodeEventData, pythonBytesRepr } from '../src/index.ts';

const utf8 = new TextEncoder();

test.each<[string, Uint8Array, string]>([
  ['ASCII', utf8.encode('hello\n'), 'hello\n'],
  ['UTF-8 with CR', utf8.encode('héllo wörld €\r\nsecond\n'), 'héllo wörld €\r\nsecond\n'],
  ['a BOM is kept', Uint8Array.of(0xef, 0xbb, 0xbf, 0x61), '\ufeffa'],
  // Verified against supervisord 4.2.5.
  [
    'invalid UTF-8',
    Uint8Array.of(...utf8.encode('bad '), 0xff, 0xfe, ...utf8.encode(' bytes\n')),
    "Undecodable: b'bad \\xff\\xfe bytes\\n'",
  ],
  ['a character cut by a pipe read', utf8.encode('€').subarray(0, 2), "Undecodable: b'\\xe2\\x82'"],
  ['an encoded surrogate', Uint8Array.of(0xed, 0xa0, 0x80), "Undecodable: b'\\xed\\xa0\\x80'"],
  ['an overlong slash', Uint8Array.of(0xc0, 0xaf), "Undecodable: b'\\xc0\\xaf'"],
])('%s', (_name, bytes, text) => {
  expect(decodeEventData(bytes)).toBe(text);
});

// Outputs of Python 3.11's repr() on the same bytes.
test.each<[number[], string]>([
  [[], "b''"],
  [[0x27], `b"'"`],
  [[0x22], `b'"'`],
  [[0x27, 0x22], `b'\\'"'`],
  [[0x5c, 0x20, 0x7f, 0x20, 0x00, 0x20, 0x09], "b'\\\\ \\x7f \\x00 \\t'"],
  [[0x0d, 0x0a, 0x1b, 0x80, 0x7e], "b'\\r\\n\\x1b\\x80~'"],
])('pythonBytesRepr(%j) is %s', (bytes, repr) => {
  expect(pythonBytesRepr(Uint8Array.from(bytes))).toBe(repr);
});

test('valid UTF-8 decodes to itself', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => decodeEventData(utf8.encode(text)) === text),
  );
});

test('the repr is printable ASCII', () => {
  fc.assert(fc.property(fc.uint8Array(), (bytes) => /^b(['"])[\x20-\x7e]*\1$/.test(pythonBytesRepr(bytes))));
});
