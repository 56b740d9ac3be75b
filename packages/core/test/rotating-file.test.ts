import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { RotatingFile } from '../src/index.ts';

test('rotates after a write reaches maxBytes, keeping backups .1 (newest) … .N', async () => {
  await using dir = makeTempDir();
  const path = join(dir.path, 'rot.log');
  const log = new RotatingFile({ path, maxBytes: 10, backups: 2 });
  for (const chunk of ['aaaa', 'bbbbbbbb', 'cc', 'dddddddddddd', 'eee']) log.write(Buffer.from(chunk));
  log.close();
  // aaaa+bbbbbbbb (12) → .1; cc+dddddddddddd (14) → rotates: .1 → .2
  expect(readFileSync(`${path}.2`, 'utf8')).toBe('aaaabbbbbbbb');
  expect(readFileSync(`${path}.1`, 'utf8')).toBe('ccdddddddddddd');
  expect(readFileSync(path, 'utf8')).toBe('eee');
  expect(existsSync(`${path}.3`)).toBe(false);
});

test('the oldest backup is dropped', async () => {
  await using dir = makeTempDir();
  const path = join(dir.path, 'rot.log');
  const log = new RotatingFile({ path, maxBytes: 4, backups: 2 });
  for (const chunk of ['1111', '2222', '3333', '4444', '5']) log.write(Buffer.from(chunk));
  log.close();
  expect([
    readFileSync(`${path}.2`, 'utf8'),
    readFileSync(`${path}.1`, 'utf8'),
    readFileSync(path, 'utf8'),
  ]).toEqual(['3333', '4444', '5']);
});

test('backups=0 truncates; maxBytes=0 never rotates; appends to an existing file', async () => {
  await using dir = makeTempDir();
  const path = join(dir.path, 'a.log');
  writeFileSync(path, 'old\n');
  const log = new RotatingFile({ path, maxBytes: 8, backups: 0 });
  log.write(Buffer.from('12345'));
  expect(statSync(path).size).toBe(0);
  log.write(Buffer.from('xy'));
  log.close();
  expect(readFileSync(path, 'utf8')).toBe('xy');
  const never = new RotatingFile({ path, maxBytes: 0, backups: 3 });
  never.write(Buffer.alloc(1000));
  never.close();
  expect(statSync(path).size).toBe(1002);
});

test('clear removes and recreates; reopen follows a moved file', async () => {
  await using dir = makeTempDir();
  const path = join(dir.path, 'a.log');
  const log = new RotatingFile({ path });
  log.write(Buffer.from('one\n'));
  log.clear();
  log.write(Buffer.from('two\n'));
  expect(readFileSync(path, 'utf8')).toBe('two\n');
  const { renameSync } = await import('node:fs');
  renameSync(path, `${path}.moved`);
  log.reopen();
  log.write(Buffer.from('three\n'));
  log.close();
  expect(readFileSync(path, 'utf8')).toBe('three\n');
  expect(readFileSync(`${path}.moved`, 'utf8')).toBe('two\n');
});

test('append batches a turn into one write with the rotation points of write, and keeps order', async () => {
  await using dir = makeTempDir();
  const path = join(dir.path, 'rot.log');
  const log = new RotatingFile({ path, maxBytes: 10, backups: 2 });
  for (const chunk of ['aaaa', 'bbbbbbbb', 'cc', 'dddddddddddd']) log.append(Buffer.from(chunk));
  expect(readFileSync(path, 'utf8')).toBe(''); // not yet: written at the end of the turn
  log.write(Buffer.from('eee')); // flushes the queue first
  log.append(Buffer.from('ff'));
  await new Promise((resolve) => setImmediate(resolve));
  expect(readFileSync(path, 'utf8')).toBe('eeeff');
  log.append(Buffer.from('g'));
  log.close();
  expect(readFileSync(`${path}.2`, 'utf8')).toBe('aaaabbbbbbbb');
  expect(readFileSync(`${path}.1`, 'utf8')).toBe('ccdddddddddddd');
  expect(readFileSync(path, 'utf8')).toBe('eeeffg');
});

test('with onError, write failures are reported once per episode and not thrown; clear still throws', async () => {
  // /dev/full opens, and every write to it fails with ENOSPC.
  const errors: string[] = [];
  const full = new RotatingFile({ path: '/dev/full', onError: (e) => errors.push(e.code ?? e.message) });
  full.write(Buffer.from('one\n'));
  full.write(Buffer.from('two\n'));
  full.append(Buffer.from('three\n'));
  full.append(Buffer.from('four\n'));
  full.flush();
  expect(errors).toEqual(['ENOSPC']);
  full.reopen(); // a success in between: the next failure is a new episode
  full.write(Buffer.from('five\n'));
  expect(errors).toEqual(['ENOSPC', 'ENOSPC']);
  // clear() is an RPC's (clearProcessLogs): its failure goes to the caller, which answers FAILED.
  // A directory where the log was cannot be removed as a file (as root too).
  await using dir = makeTempDir();
  const log = new RotatingFile({ path: join(dir.path, 'a.log'), onError: (e) => errors.push(e.message) });
  replaceByDirectory(dir.path, 'a.log');
  expect(() => log.clear()).toThrow(/EISDIR/);
  log.close();
  // Without onError, a write failure is thrown as before.
  const plain = new RotatingFile({ path: '/dev/full' });
  expect(() => plain.write(Buffer.from('x\n'))).toThrow(/ENOSPC/);
  plain.close();
  full.close();
});

// Replaces the file `name` in `dir` by a directory of that name: opening it for append fails.
function replaceByDirectory(dir: string, name: string): void {
  rmSync(join(dir, name), { force: true });
  mkdirSync(join(dir, name));
}
