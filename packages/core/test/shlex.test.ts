import { expect, test } from 'vitest';
import { ShlexError, shlexSplit } from '../src/index.ts';

test.each([
  ['sleep 10', ['sleep', '10']],
  ['  a\t b\n', ['a', 'b']],
  [`sh -c 'echo "hi there"'`, ['sh', '-c', 'echo "hi there"']],
  [`echo "a \\"b\\" \\$c \\\\"`, ['echo', 'a "b" \\$c \\']],
  [`a\\ b c`, ['a b', 'c']],
  [`x'y'"z"`, ['xyz']],
  [`'' ""`, ['', '']],
  [`nginx -g 'daemon off;'`, ['nginx', '-g', 'daemon off;']],
  ['echo $HOME #no-comments', ['echo', '$HOME', '#no-comments']],
  ['', []],
])('shlexSplit(%j)', (input, expected) => {
  expect(shlexSplit(input)).toEqual(expected);
});

test.each([
  [`echo 'open`, 'No closing quotation'],
  [`echo "open`, 'No closing quotation'],
  ['echo \\', 'No escaped character'],
])('shlexSplit(%j) throws %s', (input, message) => {
  expect(() => shlexSplit(input)).toThrow(new ShlexError(message));
});
