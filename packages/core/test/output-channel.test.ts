import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fixtureCommand, makeTempDir, shellQuote, waitFor } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { SupervisorError } from '../src/index.ts';
import { startHarness } from './helpers.ts';
import { makeProcessConfig } from './make-config.ts';

test('AUTO logs are created when the group is added, named as supervisord names them', async () => {
  await using h = await startHarness([makeProcessConfig({ name: 'web', autostart: false })]);
  const p = h.supervisor.getProcess('web');
  expect(basename(p.stdout.path!)).toMatch(/^web-stdout---supervisor-[a-z0-9_]{8}\.log$/);
  expect(basename(p.stderr!.path!)).toMatch(/^web-stderr---supervisor-[a-z0-9_]{8}\.log$/);
  expect(statSync(p.stdout.path!).mode & 0o777).toBe(0o600);
  expect(readdirSync(h.dir.path)).toHaveLength(2);
});

test('stdout and stderr go to their files; NONE discards; redirect_stderr merges', async () => {
  await using h = await startHarness([
    makeProcessConfig({
      name: 'both',
      command: fixtureCommand('print-lines', 2, 'x', 'both'),
      startSecs: 0,
      autorestart: false,
    }),
    makeProcessConfig({
      name: 'none',
      command: fixtureCommand('print-lines', 2, 'x', 'both'),
      startSecs: 0,
      autorestart: false,
      stdout: { logfile: { kind: 'none' } },
    }),
    makeProcessConfig({
      name: 'merged',
      command: fixtureCommand('print-lines', 2, 'x', 'both'),
      startSecs: 0,
      autorestart: false,
      redirectStderr: true,
    }),
  ]);
  for (const name of ['both', 'none', 'merged']) await h.waitForState(name, 'EXITED');
  const both = h.supervisor.getProcess('both');
  await waitFor(() => readFileSync(both.stderr!.path!, 'utf8') === 'x-1\nx-2\n');
  expect(readFileSync(both.stdout.path!, 'utf8')).toBe('x-1\nx-2\n');
  const none = h.supervisor.getProcess('none');
  expect(none.stdout.path).toBeNull();
  await waitFor(() => readFileSync(none.stderr!.path!, 'utf8') === 'x-1\nx-2\n');
  const merged = h.supervisor.getProcess('merged');
  expect(merged.stderr).toBeNull();
  await waitFor(() => readFileSync(merged.stdout.path!, 'utf8').length === 16);
  expect(readFileSync(merged.stdout.path!, 'utf8').split('\n').sort().join('')).toBe('x-1x-1x-2x-2');
  expect(readdirSync(h.dir.path)).toHaveLength(4);
});

test('a child writing 64 MiB as fast as it can loses no byte, with rotation', async () => {
  const total = 64 * 1024 * 1024;
  await using h = await startHarness([
    makeProcessConfig({
      name: 'flood',
      command: fixtureCommand('write-bytes', total, 65_536),
      startSecs: 0,
      autorestart: false,
      stdout: { logfileMaxBytes: 16 * 1024 * 1024, logfileBackups: 10 },
    }),
  ]);
  await h.waitForState('flood', 'EXITED', 1, 20_000);
  const path = h.supervisor.getProcess('flood').stdout.path!;
  const files = () => readdirSync(h.dir.path).filter((f) => f.startsWith('flood-stdout'));
  const size = () => files().reduce((sum, f) => sum + statSync(`${h.dir.path}/${f}`).size, 0);
  await waitFor(() => size() === total, { timeoutMs: 10_000, what: 'all bytes logged' });
  // Reassemble oldest backup first and check the pattern.
  const parts = files()
    .map((f) => f.slice(basename(path).length))
    .map((suffix) => (suffix === '' ? 0 : Number(suffix.slice(1))))
    .sort((a, b) => b - a)
    .map((n) => readFileSync(n === 0 ? path : `${path}.${n}`));
  expect(parts.length).toBeGreaterThanOrEqual(4);
  const all = Buffer.concat(parts);
  for (let i = 0; i < all.length; i += 65_536) {
    expect(all[i]).toBe(97);
    expect(all[i + 1]).toBe(98);
    expect(all[i + 65_535]).toBe(10);
  }
});

test('clear truncates only while the process runs; reopen keeps writing', async () => {
  await using h = await startHarness([
    makeProcessConfig({ name: 'echo', command: fixtureCommand('echo-stdin'), startSecs: 0 }),
  ]);
  const p = h.supervisor.getProcess('echo');
  await waitFor(() => readFileSync(p.stdout.path!, 'utf8') === 'READY\n');
  p.clearLogs();
  expect(readFileSync(p.stdout.path!, 'utf8')).toBe('');
  p.sendStdin('hello\n');
  await waitFor(() => readFileSync(p.stdout.path!, 'utf8') === 'hello\n');
  p.reopenLogs();
  p.sendStdin('again\n');
  await waitFor(() => readFileSync(p.stdout.path!, 'utf8') === 'hello\nagain\n');
  await p.stop();
  p.clearLogs();
  expect(readFileSync(p.stdout.path!, 'utf8')).toBe('hello\nagain\n');
  expect(() => p.sendStdin('x')).toThrow('NOT_RUNNING: echo');
});

test('stdin: more than a pipe holds arrives whole and in order; a closed stdin is NO_FILE', async () => {
  await using h = await startHarness([
    makeProcessConfig({ name: 'echo', command: fixtureCommand('echo-stdin'), startSecs: 0 }),
    makeProcessConfig({
      name: 'deaf',
      command: `sh -c 'exec 0<&-; echo READY; exec sleep 300'`,
      startSecs: 0,
    }),
  ]);
  const echo = h.supervisor.getProcess('echo');
  await waitFor(() => readFileSync(echo.stdout.path!, 'utf8') === 'READY\n');
  // 4 MiB (a pipe holds 64 KiB to 1 MiB): part written at once, the rest queued, then a line after.
  const line = `${'x'.repeat(1023)}\n`;
  echo.sendStdin(line.repeat(4096));
  echo.sendStdin('last\n');
  const expected = `READY\n${line.repeat(4096)}last\n`;
  await waitFor(() => statSync(echo.stdout.path!).size === expected.length, { timeoutMs: 20_000 });
  expect(readFileSync(echo.stdout.path!, 'utf8') === expected).toBe(true);

  const deaf = h.supervisor.getProcess('deaf');
  await waitFor(() => readFileSync(deaf.stdout.path!, 'utf8') === 'READY\n');
  // As supervisord, which writes at once and answers NO_FILE on EPIPE (the first call already).
  expect(() => deaf.sendStdin('lost\n')).toThrow(new SupervisorError('NO_FILE', 'deaf'));
  expect(() => deaf.sendStdin('lost\n')).toThrow(new SupervisorError('NO_FILE', 'deaf'));
  expect(deaf.state).toBe('RUNNING');
});

test('PROCESS_LOG events when stdout_events_enabled', async () => {
  await using h = await startHarness([
    makeProcessConfig({
      name: 'ev',
      command: fixtureCommand('print-lines', 1, 'hi'),
      startSecs: 0,
      autorestart: false,
      stdout: { eventsEnabled: true },
    }),
  ]);
  await waitFor(() => h.events.find((e) => e.type === 'PROCESS_LOG_STDOUT'));
  expect(h.events.find((e) => e.type === 'PROCESS_LOG_STDOUT')).toMatchObject({
    processName: 'ev',
    groupName: 'ev',
    data: 'hi-1\n',
  });
});

test('strip_ansi removes escape sequences from the log, its debug copy in the main log and PROCESS_LOG events', async () => {
  await using h = await startHarness(
    [
      makeProcessConfig({
        name: 'color',
        command: `printf '\\033[31mred\\033[0m plain\\n'`,
        startSecs: 0,
        autorestart: false,
        stdout: { eventsEnabled: true },
      }),
    ],
    { supervisord: { stripAnsi: true }, logger: { log() {}, enabled: (level) => level === 'debug' } },
  );
  await h.waitForState('color', 'EXITED');
  const p = h.supervisor.getProcess('color');
  await waitFor(() => readFileSync(p.stdout.path!, 'utf8') === 'red plain\n');
  // As supervisord: the same stripped text everywhere.
  expect(h.lines).toContain("debug 'color' stdout output:\nred plain\n");
  expect(h.events.find((e) => e.type === 'PROCESS_LOG_STDOUT')).toMatchObject({ data: 'red plain\n' });
});
test('capture mode emits PROCESS_COMMUNICATION_STDOUT and keeps the tokens out of the log', async () => {
  await using h = await startHarness([
    makeProcessConfig({
      name: 'comm',
      command: `sh -c "printf 'before<!--XSUPERVISOR:BEGIN-->hello comm<!--XSUPERVISOR:END-->after, long enough to flush\\n'; exec sleep 10"`,
      startSecs: 0,
      stdout: { captureMaxBytes: 1024 },
    }),
  ]);
  const p = h.supervisor.getProcess('comm');
  await waitFor(() => h.events.find((e) => e.type === 'PROCESS_COMMUNICATION_STDOUT'));
  expect(h.events.find((e) => e.type === 'PROCESS_COMMUNICATION_STDOUT')).toEqual({
    type: 'PROCESS_COMMUNICATION_STDOUT',
    processName: 'comm',
    groupName: 'comm',
    pid: p.pid,
    data: 'hello comm',
  });
  await waitFor(() => readFileSync(p.stdout.path!, 'utf8') === 'beforeafter, long enough to flush\n');
});

test('captured output is still output: PROCESS_LOG events and the debug copy, only not the log file', async () => {
  // supervisord (4.2.5, checked side by side) emits PROCESS_LOG_STDOUT `hello\ncomm` before
  // PROCESS_COMMUNICATION_STDOUT, and writes it to the main log at debug.
  await using h = await startHarness(
    [
      makeProcessConfig({
        name: 'comm',
        command: `sh -c "printf 'before<!--XSUPERVISOR:BEGIN-->hello\\\\ncomm<!--XSUPERVISOR:END-->after, long enough to flush\\\\n'; exec sleep 10"`,
        startSecs: 0,
        stdout: { captureMaxBytes: 1024, eventsEnabled: true },
      }),
    ],
    { logger: { log() {}, enabled: (level) => level === 'debug' || level === 'info' } },
  );
  const p = h.supervisor.getProcess('comm');
  await waitFor(() => h.events.some((e) => e.type === 'PROCESS_COMMUNICATION_STDOUT'));
  await waitFor(() => readFileSync(p.stdout.path!, 'utf8') === 'beforeafter, long enough to flush\n');
  const output = h.events.flatMap((e) =>
    e.type === 'PROCESS_LOG_STDOUT' || e.type === 'PROCESS_COMMUNICATION_STDOUT'
      ? [`${e.type} ${e.data}`]
      : [],
  );
  expect(output).toEqual([
    'PROCESS_LOG_STDOUT before',
    'PROCESS_LOG_STDOUT hello\ncomm',
    'PROCESS_COMMUNICATION_STDOUT hello\ncomm',
    'PROCESS_LOG_STDOUT after, long enough to flush\n',
  ]);
  expect(h.lines).toContain("debug 'comm' stdout output:\nhello\ncomm");
});

test("with the main log at debug, each chunk of output is logged as supervisord's DEBG line", async () => {
  await using h = await startHarness(
    [
      makeProcessConfig({
        name: 'talk',
        command: `sh -c 'printf "hello\\n"; printf "\\377oops" >&2'`,
        startSecs: 0,
        autorestart: false,
      }),
    ],
    { logger: { log() {}, enabled: (level) => level !== 'trace' && level !== 'blather' } },
  );
  await h.waitForState('talk', 'EXITED');
  await waitFor(() => h.lines.some((l) => l.startsWith("debug 'talk' stderr")), { timeoutMs: 5000 });
  expect(h.lines).toContain("debug 'talk' stdout output:\nhello\n");
  expect(h.lines).toContain("debug 'talk' stderr output:\nUndecodable: b'\\xffoops'");
});

test('what a child writes just before it exits is logged (and its events emitted) before EXITED', async () => {
  // Each `last*` program waits for a line on stdin, then writes 300 lines (~6 KB) to stdout,
  // the same to stderr, and exits at once. To make the exit and that output reach us in one
  // turn of the event loop every time, `kick` prints a line and exits while we hold the loop.
  // Its output is handled first (libuv handles signals after the other I/O of a poll); in that
  // callback we start the others and hold the loop until they have exited too: then the
  // SIGCHLD of `kick` reaps them all, with their output not read yet.
  const lines = Array.from({ length: 300 }, (_, i) => `a-line-of-output-${i + 1}\n`).join('');
  const last = `sh -c ${shellQuote(`read go; exec ${fixtureCommand('print-lines', 300, 'a-line-of-output', 'both')}`)}`;
  const events = { eventsEnabled: true };
  const common = { command: last, startSecs: 0, autorestart: false } as const;
  await using h = await startHarness([
    makeProcessConfig({ name: 'kick', ...common, command: `sh -c 'read go; echo go'`, stdout: events }),
    makeProcessConfig({ name: 'last', ...common }),
    makeProcessConfig({ name: 'lastmerged', ...common, redirectStderr: true }),
    makeProcessConfig({ name: 'lastevents', ...common, stdout: events, stderr: events }),
  ]);
  const names = ['last', 'lastmerged', 'lastevents'];
  for (const name of ['kick', ...names]) await h.waitForState(name, 'RUNNING');
  const processes = names.map((name) => h.supervisor.getProcess(name));
  let held = 0;
  // What each program had logged and emitted when its EXITED event was emitted.
  const seen = new Map<string, { stdout: string; stderr: string | null; logEvents: string }>();
  h.supervisor.subscribe((event) => {
    if (event.type === 'PROCESS_LOG_STDOUT' && event.processName === 'kick' && held === 0) {
      const pids = processes.map((p) => p.pid);
      for (const p of processes) p.sendStdin('go\n');
      held = holdUntilExited(pids) ? 1 : -1;
    }
    if (event.type !== 'PROCESS_STATE_EXITED') return;
    const p = h.supervisor.getProcess(event.processName);
    const logged = (type: string) =>
      h.events.flatMap((e) =>
        e.type === type && 'data' in e && 'processName' in e && e.processName === p.name ? [e.data] : [],
      );
    seen.set(p.name, {
      stdout: readFileSync(p.stdout.path!, 'utf8'),
      stderr: p.stderr === null ? null : readFileSync(p.stderr.path!, 'utf8'),
      logEvents: [...logged('PROCESS_LOG_STDOUT'), '|', ...logged('PROCESS_LOG_STDERR')].join(''),
    });
  });
  const kick = h.supervisor.getProcess('kick');
  const kickPid = kick.pid;
  kick.sendStdin('go\n');
  expect(holdUntilExited([kickPid])).toBe(true);
  for (const name of names) await h.waitForState(name, 'EXITED');
  expect(held).toBe(1);
  expect(seen.get('last')).toEqual({ stdout: lines, stderr: lines, logEvents: '|' });
  // With redirect_stderr the two streams share one pipe (native) or one log (child_process).
  const merged = seen.get('lastmerged')!;
  expect(merged.stderr).toBeNull();
  expect(merged.stdout.split('\n').sort()).toEqual(`${lines}${lines}`.split('\n').sort());
  expect(seen.get('lastevents')).toEqual({ stdout: lines, stderr: lines, logEvents: `${lines}|${lines}` });
});

test('a grandchild holding the pipe open delays neither the exit nor the output logged before it', async () => {
  // The grandchild writes when the test opens a FIFO for it, after the exit.
  await using fifoDir = makeTempDir();
  const fifo = join(fifoDir.path, 'go');
  execFileSync('mkfifo', [fifo]);
  const script = `{ read go < ${shellQuote(fifo)}; echo grandchild-late; } & echo child-last`;
  await using h = await startHarness([
    makeProcessConfig({
      name: 'parent',
      command: `sh -c ${shellQuote(script)}`,
      startSecs: 0,
      autorestart: false,
    }),
  ]);
  const p = h.supervisor.getProcess('parent');
  let atExit: string | undefined;
  h.supervisor.subscribe((event) => {
    if (event.type === 'PROCESS_STATE_EXITED') atExit = readFileSync(p.stdout.path!, 'utf8');
  });
  // Lets the grandchild go once it waits on the FIFO (until then: ENXIO, false). Tried again at
  // the end, so a failed assertion does not leave it blocked there.
  const release = (): boolean => {
    try {
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      writeSync(fd, 'go\n');
      closeSync(fd);
      return true;
    } catch {
      return false;
    }
  };
  try {
    await h.waitForState('parent', 'EXITED');
    expect(atExit).toBe('child-last\n');
    await waitFor(release, { what: 'the grandchild waiting on the FIFO' });
    await waitFor(() => readFileSync(p.stdout.path!, 'utf8') === 'child-last\ngrandchild-late\n');
  } finally {
    release();
  }
});

// Blocks the event loop until every pid has exited (a zombie not reaped yet, or reaped by the
// native helper's thread); false after 10 s.
function holdUntilExited(pids: readonly number[]): boolean {
  const deadline = performance.now() + 10_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!pids.every(hasExited)) {
    if (performance.now() > deadline) return false;
    Atomics.wait(pause, 0, 0, 1);
  }
  return true;
}

function hasExited(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  return stat[stat.lastIndexOf(')') + 2] === 'Z';
}
