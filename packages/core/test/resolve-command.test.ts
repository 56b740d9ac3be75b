import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { CommandError, resolveCommand } from '../src/index.ts';

test('PATH search, argv kept as written', async () => {
  await using dir = makeTempDir();
  const bin = join(dir.path, 'tool');
  writeFileSync(bin, '#!/bin/sh\n');
  chmodSync(bin, 0o755);
  expect(resolveCommand('tool "a b"', `/nonexistent:${dir.path}`)).toEqual({
    file: bin,
    argv: ['tool', 'a b'],
  });
  expect(resolveCommand(`${bin} x`, undefined).file).toBe(bin);
  // The default PATH when none is given.
  expect(resolveCommand('sh -c true', undefined).file).toMatch(/^\/(usr\/)?bin\/sh$/);
});

test('errors carry supervisord spawnerr texts and the fault they map to', async () => {
  await using dir = makeTempDir();
  const plain = join(dir.path, 'plain');
  writeFileSync(plain, '');
  mkdirSync(join(dir.path, 'sub'));
  const cases: [string, string, string][] = [
    ['/nonexistent/binary', 'NO_FILE', "can't find command '/nonexistent/binary'"],
    ['nosuchcmd', 'NO_FILE', "can't find command 'nosuchcmd'"],
    [plain, 'NOT_EXECUTABLE', `command at '${plain}' is not executable`],
    [join(dir.path, 'sub'), 'NOT_EXECUTABLE', `command at '${join(dir.path, 'sub')}' is a directory`],
    ['', 'NOT_EXECUTABLE', 'command is empty'],
    [`echo 'x`, 'NOT_EXECUTABLE', "can't parse command 'echo 'x': No closing quotation"],
  ];
  for (const [command, code, message] of cases) {
    let error: unknown;
    try {
      resolveCommand(command, dir.path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toMatchObject({ code, message });
  }
});
