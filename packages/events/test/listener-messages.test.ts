import { expect, test } from 'vitest';
import { formatListenerResult, LISTENER_READY } from '../src/index.ts';

test('LISTENER_READY', () => {
  expect(LISTENER_READY).toBe('READY\n');
});

test.each([
  ['OK', 'RESULT 2\nOK'],
  ['FAIL', 'RESULT 4\nFAIL'],
  ['', 'RESULT 0\n'],
  // supervisord reads the length in bytes.
  ['é', 'RESULT 2\né'],
  ['😀', 'RESULT 4\n😀'],
])('formatListenerResult(%j)', (body, text) => {
  expect(formatListenerResult(body)).toBe(text);
});
