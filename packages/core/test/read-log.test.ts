import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { readLog, tailLog } from '../src/index.ts';

test('readLog offset/length semantics', async () => {
  await using dir = makeTempDir();
  const path = join(dir.path, 'a.log');
  writeFileSync(path, '0123456789ABCDEFGHI\n');
  expect(readLog(path, 0, 0)).toBe('0123456789ABCDEFGHI\n');
  expect(readLog(path, 5, 3)).toBe('567');
  expect(readLog(path, 25, 3)).toBe('');
  expect(readLog(path, -4, 0)).toBe('GHI\n');
  expect(readLog(path, -100, 0)).toBe('0123456789ABCDEFGHI\n');
  expect(() => readLog(path, -4, 2)).toThrow('BAD_ARGUMENTS');
  expect(() => readLog(path, 0, -2)).toThrow('BAD_ARGUMENTS');
  expect(() => readLog(join(dir.path, 'missing.log'), 0, 0)).toThrow(
    `NO_FILE: ${join(dir.path, 'missing.log')}`,
  );
  expect(() => readLog(null, 0, 0)).toThrow('NO_FILE: None');
});

test.each([
  [0, 5, 'FGHI\n', true],
  [0, 100, '0123456789ABCDEFGHI\n', false],
  [15, 10, 'ABCDEFGHI\n', false],
  [20, 10, '', false],
  [25, 10, '', false],
  [-5, 3, 'HI\n', true],
  [0, 0, '', true],
])('tailLog(%i, %i) on a 20-byte file', async (offset, length, text, overflow) => {
  await using dir = makeTempDir();
  const path = join(dir.path, 'a.log');
  writeFileSync(path, '0123456789ABCDEFGHI\n');
  expect(tailLog(path, offset, length)).toEqual({ text, offset: 20, overflow });
});

test('tailLog without a file', () => {
  expect(tailLog(null, 5, 10)).toEqual({ text: '', offset: 0, overflow: false });
});
