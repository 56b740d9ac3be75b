import { expect, test } from 'vitest';
import { isNativeHandshake, NATIVE_MAGIC, PROTOCOL_ERRORS, sniffProtocol } from '../src/index.ts';
import { encodePreamble, parsePreamble, protocolErrorName } from '../src/protocol.ts';

test('the magic starts with a byte no HTTP request and no MessagePack value starts with', () => {
  expect(NATIVE_MAGIC[0]).toBe(0xc1);
  expect(Buffer.from(NATIVE_MAGIC.subarray(1)).toString()).toBe('supctl');
  for (let byte = 0x20; byte < 0x7f; byte++) expect(sniffProtocol(Uint8Array.of(byte))).toBe('http');
  expect(isNativeHandshake(encodePreamble())).toBe(true);
});

test('preamble round trip', () => {
  expect(parsePreamble(encodePreamble(7))).toBe(7);
  expect(parsePreamble(Buffer.from('GET / HT'))).toBeUndefined();
});

test('transport error codes are negative and named', () => {
  for (const [name, code] of Object.entries(PROTOCOL_ERRORS)) {
    expect(code).toBeLessThan(0);
    expect(protocolErrorName(code)).toBe(name);
  }
});
