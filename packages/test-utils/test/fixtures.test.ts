import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  FIXTURES,
  fixtureCommand,
  isPidAlive,
  makeTempDir,
  processesInGroups,
  trackPids,
  waitFor,
} from '../src/index.ts';

test('fixtures run with this node', () => {
  expect(execFileSync(process.execPath, [FIXTURES['print-lines'], '2', 'x'], { encoding: 'utf8' })).toBe(
    'x-1\nx-2\n',
  );
  const out = execFileSync('sh', ['-c', fixtureCommand('print-env', 'FOO')], {
    encoding: 'utf8',
    env: { FOO: "it's" },
  });
  expect(out).toMatch(/^FOO=it's\nCWD=.*\nUMASK=\d{3}\n$/);
});

test('temp dirs go away with await using', async () => {
  let path: string;
  {
    await using dir = makeTempDir();
    path = dir.path;
    expect(existsSync(path)).toBe(true);
  }
  expect(existsSync(path)).toBe(false);
});

test('the pid tracker finds a surviving grandchild in the process group', async () => {
  const tracker = trackPids();
  const child = spawn(process.execPath, [FIXTURES['spawn-grandchild']], { detached: true });
  tracker.track(child.pid);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  while (!out.includes('READY')) await once(child.stdout, 'data');
  const grandchild = Number(/GRANDCHILD (\d+)/.exec(out)?.[1]);
  expect(processesInGroups([child.pid!]).sort()).toEqual([child.pid, grandchild].sort());
  process.kill(child.pid!, 'SIGKILL');
  await once(child, 'exit');
  expect(isPidAlive(grandchild)).toBe(true);
  expect(() => tracker.check()).toThrow(`leaked pids: ${grandchild}`);
  await waitFor(() => processesInGroups([child.pid!]).length === 0, { what: 'an empty process group' });
});
