import { expect, test } from 'vitest';
import { EventProtocolError, formatTokenLine, parseTokenLine } from '../src/index.ts';
import { catchError } from './fixtures/catch-error.ts';

test.each<[string, Record<string, string>]>([
  ['', {}],
  ['when:1795497550', { when: '1795497550' }],
  [
    'processname:cat groupname:cat from_state:STOPPED tries:0',
    { processname: 'cat', groupname: 'cat', from_state: 'STOPPED', tries: '0' },
  ],
  ['groupname: pid:0', { groupname: '', pid: '0' }],
  ['  a:1\t\tb:2\r\n', { a: '1', b: '2' }],
  // Python's str.split() also splits at \x1c-\x1f and Unicode spaces.
  ['a:1\x1cb:2\u3000c:3', { a: '1', b: '2', c: '3' }],
  ['url:http://host:9001', { url: 'http://host:9001' }],
  ['a:1 a:2', { a: '2' }],
  ['__proto__:x', { ['__proto__']: 'x' }],
])('parseTokenLine(%j)', (line, tokens) => {
  expect({ ...parseTokenLine(line) }).toEqual(tokens);
});

test('a token without a colon is an error', () => {
  const error = catchError(() => parseTokenLine('pid:1 oops'));
  expect(error).toBeInstanceOf(EventProtocolError);
  expect(error).toMatchObject({
    message: "token 'oops' has no ':' (expected key:value)",
    input: 'pid:1 oops',
  });
});

test('formatTokenLine keeps the order', () => {
  expect(
    formatTokenLine([
      ['b', 1],
      ['a', 'x'],
    ]),
  ).toBe('b:1 a:x');
  expect(formatTokenLine([])).toBe('');
});
