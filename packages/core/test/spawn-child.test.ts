import { readFileSync } from 'node:fs';
import { fixtureCommand } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { buildChildEnv, EXITED_TOO_QUICKLY, spawnerKind } from '../src/index.ts';
import { startHarness } from './helpers.ts';
import { makeProcessConfig } from './make-config.ts';

test('environment precedence: supd env → SUPERVISOR_* → configured environment', () => {
  const config = makeProcessConfig({
    name: 'web_01',
    environment: { SHARED: 'fromprog', SUPERVISOR_GROUP_NAME: 'x' },
  });
  const env = buildChildEnv(config, {
    baseEnv: { SHARED: 'fromsupd', HOME: '/root', SUPERVISOR_ENABLED: '0' },
    groupName: 'web',
    serverUrl: 'unix:///tmp/supd.sock',
  });
  expect(env).toEqual({
    HOME: '/root',
    SHARED: 'fromprog',
    SUPERVISOR_ENABLED: '1',
    SUPERVISOR_SERVER_URL: 'unix:///tmp/supd.sock',
    SUPERVISOR_PROCESS_NAME: 'web_01',
    SUPERVISOR_GROUP_NAME: 'x',
  });
  expect(
    buildChildEnv({ ...config, serverUrl: 'http://h:1' }, { baseEnv: {}, groupName: 'g' })
      .SUPERVISOR_SERVER_URL,
  ).toBe('http://h:1');
  expect(buildChildEnv(config, { baseEnv: {}, groupName: 'g' })).not.toHaveProperty('SUPERVISOR_SERVER_URL');
});

test('a real child sees its environment, directory and umask', async () => {
  await using h = await startHarness(
    [
      makeProcessConfig({
        name: 'env',
        command: fixtureCommand(
          'print-env',
          'SUPERVISOR_ENABLED',
          'SUPERVISOR_PROCESS_NAME',
          'SUPERVISOR_GROUP_NAME',
          'SUPERVISOR_SERVER_URL',
          'FOO',
          'BASE',
        ),
        startSecs: 0,
        autorestart: false,
        directory: '/tmp',
        umask: 0o077,
        environment: { FOO: 'bar baz' },
      }),
    ],
    { env: { BASE: 'yes', PATH: process.env.PATH }, serverUrl: 'unix:///tmp/x.sock' },
  );
  await h.waitForState('env', 'EXITED');
  const p = h.supervisor.getProcess('env');
  expect(readFileSync(p.stdout.path!, 'utf8')).toBe(
    [
      'SUPERVISOR_ENABLED=1',
      'SUPERVISOR_PROCESS_NAME=env',
      'SUPERVISOR_GROUP_NAME=env',
      'SUPERVISOR_SERVER_URL=unix:///tmp/x.sock',
      'FOO=bar baz',
      'BASE=yes',
      'CWD=/tmp',
      'UMASK=077',
      '',
    ].join('\n'),
  );
  // Our own umask is untouched.
  const mask = process.umask(0o022);
  process.umask(mask);
  expect(mask).not.toBe(0o077);
});

test('childOpenFiles lowers the soft open-files limit children start with (native helper only)', async () => {
  const [, ourSoft, ourHard] = /Max open files\s+(\S+)\s+(\S+)/.exec(
    readFileSync('/proc/self/limits', 'utf8'),
  )!;
  const limitsOfChild = async (childOpenFiles: number) => {
    await using h = await startHarness(
      [
        makeProcessConfig({
          name: 'nofile',
          command: "sh -c 'ulimit -Sn; ulimit -Hn'",
          startSecs: 0,
          autorestart: false,
        }),
      ],
      { childOpenFiles },
    );
    await h.waitForState('nofile', 'EXITED');
    return readFileSync(h.supervisor.getProcess('nofile').stdout.path!, 'utf8').trim().split('\n');
  };
  // node:child_process cannot set it: its children inherit ours (supd logs a warning then).
  expect(await limitsOfChild(777)).toEqual([spawnerKind() === 'native' ? '777' : ourSoft, ourHard]);
  // Never raised: a limit above ours leaves the child with ours.
  expect(await limitsOfChild(2 ** 30)).toEqual([ourSoft, ourHard]);
});

test('the PATH of the program environment is used to find the command', async () => {
  await using h = await startHarness([
    makeProcessConfig({
      name: 'p',
      command: 'nosuch',
      environment: { PATH: '/nonexistent' },
      startRetries: 0,
    }),
  ]);
  await h.waitForState('p', 'FATAL');
  expect(h.lines[0]).toBe("info spawnerr: can't find command 'nosuch'");
});

test.runIf(process.getuid?.() === 0)('user= runs the child as that user (root only)', async () => {
  await using h = await startHarness([
    makeProcessConfig({ name: 'id', command: 'id -u', user: 'nobody', startSecs: 0, autorestart: false }),
  ]);
  await h.waitForState('id', 'EXITED');
  const { lookupUser } = await import('../src/users.ts');
  expect(readFileSync(h.supervisor.getProcess('id').stdout.path!, 'utf8')).toBe(
    `${lookupUser('nobody')!.uid}\n`,
  );
});

test('an unknown user is a spawn error', async () => {
  await using h = await startHarness([
    makeProcessConfig({ name: 'u', command: 'true', user: 'no-such-user-x', startRetries: 0 }),
  ]);
  await h.waitForState('u', 'FATAL');
  expect(h.supervisor.getProcess('u').info().spawnerr).toBe("couldn't find user no-such-user-x");
});

test('a NUL in the environment fails in the child, as in supervisord (exit 127), not the supervisor', async () => {
  await using h = await startHarness([
    makeProcessConfig({ name: 'nul', command: 'true', environment: { X: 'a\0b' }, startRetries: 0 }),
  ]);
  await h.waitForState('nul', 'FATAL');
  const p = h.supervisor.getProcess('nul');
  expect(p.info().spawnerr).toBe(EXITED_TOO_QUICKLY);
  expect(h.lines).toContain('warn exited: nul (exit status 127; not expected)');
  expect(readFileSync(p.stderr!.path!, 'utf8')).toBe(
    "supervisor: couldn't exec true: embedded null byte\nsupervisor: child process was not spawned\n",
  );
});
