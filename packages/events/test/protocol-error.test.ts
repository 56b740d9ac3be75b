import { expect, test } from 'vitest';
import { EventProtocolError } from '../src/index.ts';

test('EventProtocolError is an Error that keeps the offending text', () => {
  const error = new EventProtocolError('event header has no len', 'ver:3.0');
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('EventProtocolError');
  expect(error.input).toBe('ver:3.0');
  expect(String(error)).toBe('EventProtocolError: event header has no len');
});
