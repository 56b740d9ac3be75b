import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { cleanupAutoLogs, createAutoLogFile, isAutoLogName } from '../src/index.ts';

test('AUTO log names: created mode 0600 and matched as supervisord matches them at start', async () => {
  await using dir = makeTempDir();
  const path = createAutoLogFile({
    childlogdir: dir.path,
    processName: 'web',
    channel: 'stdout',
    identifier: 'supervisor',
  });
  expect(path).toMatch(/\/web-stdout---supervisor-[a-z0-9_]{8}\.log$/);
  expect(isAutoLogName(path.slice(dir.path.length + 1), 'supervisor')).toBe(true);
  // Matched from the start of the name only, as supervisord's re.match: rotated and renamed too.
  for (const name of [
    'w---supervisor-abc.log',
    'w---supervisor-abc.log.1',
    'w---supervisor-abc.log.12345',
    'w---supervisor-abc.logold',
  ])
    expect([name, isAutoLogName(name, 'supervisor')]).toEqual([name, true]);
  for (const name of [
    'w---other-abc.log',
    'w--supervisor-abc.log',
    'w---supervisor-.log',
    '---supervisor-abc.log',
    'w---supervisor-a b.log',
  ])
    expect([name, isAutoLogName(name, 'supervisor')]).toEqual([name, false]);
  // The identifier is text, not a pattern.
  expect(isAutoLogName('w---a.b-abc.log', 'a.b')).toBe(true);
  expect(isAutoLogName('w---axb-abc.log', 'a.b')).toBe(false);
});

test("cleanup deletes this identifier's AUTO logs and warns, in supervisord's words, about what it cannot", async () => {
  await using dir = makeTempDir();
  const files = [
    'a---supervisor-x1.log',
    'a---supervisor-x1.log.3',
    'b---supervisor-y2.logfoo',
    'c---other-z3.log',
    'keep.log',
  ];
  for (const file of files) writeFileSync(join(dir.path, file), '');
  mkdirSync(join(dir.path, 'd---supervisor-abc.log'));
  const lines: string[] = [];
  const removed = cleanupAutoLogs(dir.path, 'supervisor', {
    log: (level, message) => lines.push(`${level} ${message}`),
  });
  expect(removed.map((p) => p.slice(dir.path.length + 1)).sort()).toEqual([
    'a---supervisor-x1.log',
    'a---supervisor-x1.log.3',
    'b---supervisor-y2.logfoo',
  ]);
  expect(readdirSync(dir.path).sort()).toEqual(['c---other-z3.log', 'd---supervisor-abc.log', 'keep.log']);
  expect(lines).toEqual([`warn Failed to clean up '${join(dir.path, 'd---supervisor-abc.log')}'`]);
  expect(
    cleanupAutoLogs(join(dir.path, 'missing'), 'supervisor', {
      log: (level, message) => lines.push(`${level} ${message}`),
    }),
  ).toEqual([]);
  expect(lines.at(-1)).toBe('warn Could not clear childlog dir');
  expect(existsSync(join(dir.path, 'keep.log'))).toBe(true);
});
