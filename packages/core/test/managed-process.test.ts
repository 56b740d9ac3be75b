import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureCommand, isPidAlive, makeTempDir, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { EXITED_TOO_QUICKLY, SupervisorError } from '../src/index.ts';
import { startHarness } from './helpers.ts';
import { makeProcessConfig } from './make-config.ts';

const sleeper = (name: string, over: Parameters<typeof makeProcessConfig>[0] = {}) =>
  makeProcessConfig({ name, command: fixtureCommand('sleep-forever'), startSecs: 0, ...over });

describe('start', () => {
  test('STOPPED → STARTING → RUNNING after startsecs, with the main-log lines', async () => {
    await using h = await startHarness([sleeper('web', { startSecs: 0.2 })]);
    const p = h.supervisor.getProcess('web');
    expect(p.state).toBe('STARTING');
    expect(p.info().description).toBe('');
    await h.waitForState('web', 'RUNNING');
    expect(h.states('web')).toEqual(['STARTING', 'RUNNING']);
    expect(h.lines).toEqual([
      `info spawned: 'web' with pid ${p.pid}`,
      'info success: web entered RUNNING state, process has stayed up for > than 0.2 seconds (startsecs)',
    ]);
    expect(p.info().description).toMatch(new RegExp(`^pid ${p.pid}, uptime 0:00:0\\d$`));
    const starting = h.events.find((e) => e.type === 'PROCESS_STATE_STARTING');
    expect(starting).toEqual({
      type: 'PROCESS_STATE_STARTING',
      processName: 'web',
      groupName: 'web',
      fromState: 'STOPPED',
      tries: 0,
    });
    expect(h.events.find((e) => e.type === 'PROCESS_STATE_RUNNING')).toMatchObject({ pid: p.pid });
  });

  test('start with wait resolves at RUNNING; a second start is ALREADY_STARTED', async () => {
    await using h = await startHarness([sleeper('web', { autostart: false, startSecs: 0.1 })]);
    const p = h.supervisor.getProcess('web');
    expect(p.info().description).toBe('Not started');
    await p.start();
    expect(p.state).toBe('RUNNING');
    await expect(p.start()).rejects.toMatchObject({
      code: 'ALREADY_STARTED',
      message: 'ALREADY_STARTED: web',
    });
  });

  test('start checks the command first: NO_FILE and NOT_EXECUTABLE, state unchanged', async () => {
    await using h = await startHarness([
      makeProcessConfig({ name: 'nofile', command: '/nonexistent/binary', autostart: false }),
      makeProcessConfig({ name: 'notexec', command: '/etc/passwd', autostart: false }),
    ]);
    await expect(h.supervisor.getProcess('nofile').start()).rejects.toThrow(
      "NO_FILE: can't find command '/nonexistent/binary'",
    );
    await expect(h.supervisor.getProcess('notexec').start()).rejects.toThrow(
      "NOT_EXECUTABLE: command at '/etc/passwd' is not executable",
    );
    expect(h.states('nofile')).toEqual([]);
  });
});

describe('startsecs, backoff, FATAL', () => {
  test('an exit before startsecs is BACKOFF (even code 0); FATAL after startretries+1 attempts', async () => {
    await using h = await startHarness(
      [
        makeProcessConfig({
          name: 'quick',
          command: fixtureCommand('exit-with', 0),
          startSecs: 5,
          startRetries: 2,
        }),
      ],
      { backoffStepMs: 20 },
    );
    await h.waitForState('quick', 'FATAL');
    expect(h.states('quick')).toEqual([
      'STARTING',
      'BACKOFF',
      'STARTING',
      'BACKOFF',
      'STARTING',
      'BACKOFF',
      'FATAL',
    ]);
    const tries = h.events.flatMap((e) =>
      e.type === 'PROCESS_STATE_STARTING' || e.type === 'PROCESS_STATE_BACKOFF'
        ? [`${e.type.slice(14)} ${e.tries}`]
        : [],
    );
    expect(tries).toEqual(['STARTING 0', 'BACKOFF 1', 'STARTING 1', 'BACKOFF 2', 'STARTING 2', 'BACKOFF 3']);
    expect(h.lines.filter((l) => l.startsWith('warn exited'))).toEqual(
      Array(3).fill('warn exited: quick (exit status 0; not expected)'),
    );
    expect(h.lines.at(-1)).toBe(
      'info gave up: quick entered FATAL state, too many start retries too quickly',
    );
    const info = h.supervisor.getProcess('quick').info();
    expect(info.description).toBe(EXITED_TOO_QUICKLY);
    expect(info.spawnerr).toBe(EXITED_TOO_QUICKLY);
  });

  test('backoff delays grow 1, 2, 3 steps', async () => {
    await using h = await startHarness(
      [
        makeProcessConfig({
          name: 'quick',
          command: fixtureCommand('exit-with', 1),
          startSecs: 5,
          startRetries: 3,
        }),
      ],
      { backoffStepMs: 100 },
    );
    // Each retry waits tries × step after entering BACKOFF (child run times are excluded, so
    // this holds on a loaded machine too).
    const seen: { type: string; at: number; tries?: number }[] = [];
    h.supervisor.subscribe((e) => {
      if (e.type === 'PROCESS_STATE_STARTING') seen.push({ type: e.type, at: performance.now() });
      if (e.type === 'PROCESS_STATE_BACKOFF')
        seen.push({ type: e.type, at: performance.now(), tries: e.tries });
    });
    await h.waitForState('quick', 'FATAL');
    const delays = seen.flatMap((e, i) => {
      const next = seen[i + 1];
      return e.type === 'PROCESS_STATE_BACKOFF' && next?.type === 'PROCESS_STATE_STARTING'
        ? [{ tries: e.tries!, ms: next.at - e.at }]
        : [];
    });
    expect(delays.map((d) => d.tries).slice(-2)).toEqual([2, 3]);
    for (const d of delays) expect(d.ms).toBeGreaterThanOrEqual(d.tries * 100 - 5);
  });

  test('startretries=0 gives one attempt', async () => {
    await using h = await startHarness([
      makeProcessConfig({
        name: 'q',
        command: fixtureCommand('exit-with', 3),
        startSecs: 5,
        startRetries: 0,
      }),
    ]);
    await h.waitForState('q', 'FATAL');
    expect(h.states('q')).toEqual(['STARTING', 'BACKOFF', 'FATAL']);
  });

  test('start with wait on a quickly exiting program rejects SPAWN_ERROR; FATAL → STARTING by start', async () => {
    await using h = await startHarness([
      makeProcessConfig({
        name: 'q',
        command: fixtureCommand('exit-with', 3),
        startSecs: 5,
        startRetries: 0,
        autostart: false,
      }),
    ]);
    const p = h.supervisor.getProcess('q');
    await expect(p.start()).rejects.toMatchObject({ code: 'SPAWN_ERROR' });
    await h.waitForState('q', 'FATAL');
    await expect(p.start()).rejects.toThrow(SupervisorError);
    await h.waitForState('q', 'FATAL', 2);
    expect(h.states('q')).toEqual(['STARTING', 'BACKOFF', 'FATAL', 'STARTING', 'BACKOFF', 'FATAL']);
  });

  test('a spawn error (no such command) goes to BACKOFF with the spawnerr in the main log', async () => {
    await using h = await startHarness([
      makeProcessConfig({ name: 'nofile', command: 'no-such-command-here', startRetries: 1 }),
    ]);
    await h.waitForState('nofile', 'FATAL');
    expect(h.states('nofile')).toEqual(['STARTING', 'BACKOFF', 'STARTING', 'BACKOFF', 'FATAL']);
    expect(h.lines[0]).toBe("info spawnerr: can't find command 'no-such-command-here'");
    expect(h.supervisor.getProcess('nofile').info().description).toBe(
      "can't find command 'no-such-command-here'",
    );
  });

  test('a bad directory: the child is spawned, writes why to the process log and exits 127', async () => {
    await using h = await startHarness([
      makeProcessConfig({
        name: 'baddir',
        command: 'sleep 10',
        directory: '/nonexistent/dir',
        startRetries: 0,
      }),
      // With redirect_stderr the words go to the stdout log.
      makeProcessConfig({
        name: 'redirected',
        command: 'sleep 10',
        directory: '/nonexistent/dir',
        redirectStderr: true,
        startRetries: 0,
      }),
    ]);
    await h.waitForState('baddir', 'FATAL');
    await h.waitForState('redirected', 'FATAL');
    const p = h.supervisor.getProcess('baddir');
    // As supervisord: the child is spawned, says why on its stderr, and exits 127.
    expect(p.info().spawnerr).toBe(EXITED_TOO_QUICKLY);
    const own = h.lines.filter((line) => line.includes('baddir'));
    expect(own.map((line) => line.replace(/pid \d+/, 'pid N'))).toEqual([
      "info spawned: 'baddir' with pid N",
      'warn exited: baddir (exit status 127; not expected)',
      'info gave up: baddir entered FATAL state, too many start retries too quickly',
    ]);
    const words =
      "supervisor: couldn't chdir to /nonexistent/dir: ENOENT\nsupervisor: child process was not spawned\n";
    expect(readFileSync(p.stderr!.path!, 'utf8')).toBe(words);
    const redirected = h.supervisor.getProcess('redirected');
    expect(redirected.stderr).toBeNull();
    expect(readFileSync(redirected.stdout.path!, 'utf8')).toBe(words);
  });

  test("a log file that cannot be opened fails the spawn (supervisord's words), not the supervisor", async () => {
    // `/` cannot be opened for appending (EISDIR), whoever we are; a daemon whose user may not
    // write a log gets EACCES the same way.
    await using h = await startHarness([
      makeProcessConfig({
        name: 'nolog',
        command: 'sleep 10',
        stdout: { logfile: { kind: 'file', path: '/' } },
        startRetries: 1,
      }),
      makeProcessConfig({ name: 'fine', command: 'sleep 10', startSecs: 0 }),
    ]);
    await h.waitForState('nolog', 'FATAL');
    expect(h.supervisor.getProcess('nolog').info().spawnerr).toBe(
      "unknown error making dispatchers for 'nolog': EISDIR",
    );
    expect(h.lines).toContain("info spawnerr: unknown error making dispatchers for 'nolog': EISDIR");
    await h.waitForState('fine', 'RUNNING');
  });

  test('a log file that can be opened by the next spawn is opened then', async () => {
    await using logs = makeTempDir();
    const path = join(logs.path, 'later', 'x.log'); // its directory does not exist yet: ENOENT
    await using h = await startHarness([
      makeProcessConfig({
        name: 'later',
        command: 'sleep 10',
        startSecs: 0,
        startRetries: 0,
        stdout: { logfile: { kind: 'file', path } },
      }),
    ]);
    await h.waitForState('later', 'FATAL');
    expect(h.supervisor.getProcess('later').info().spawnerr).toBe(
      "unknown error making dispatchers for 'later': ENOENT",
    );
    mkdirSync(join(logs.path, 'later'));
    await h.supervisor.getProcess('later').start();
    expect(h.supervisor.getProcess('later').state).toBe('RUNNING');
    expect(existsSync(path)).toBe(true);
  });

  test('a log path is opened by the first spawn: a program never started has none (AUTO names exist)', async () => {
    await using logs = makeTempDir();
    const path = join(logs.path, 'explicit.log');
    await using h = await startHarness([
      sleeper('idle', { autostart: false, stdout: { logfile: { kind: 'file', path } } }),
    ]);
    const p = h.supervisor.getProcess('idle');
    // As supervisord: `tail idle` answers NO_FILE until it has run; its AUTO stderr file is there.
    expect(existsSync(path)).toBe(false);
    expect(existsSync(p.stderr!.path!)).toBe(true);
    await p.start();
    expect(existsSync(path)).toBe(true);
  });
  test('a full disk loses the output, not the supervisor: one error line, and the process runs on', async () => {
    // /dev/full opens, and every write to it fails with ENOSPC.
    await using h = await startHarness([
      makeProcessConfig({
        name: 'full',
        command: "sh -c 'while :; do echo hello; sleep 0.02; done'",
        startSecs: 0,
        stdout: { logfile: { kind: 'file', path: '/dev/full' }, logfileMaxBytes: 0 },
      }),
    ]);
    await h.waitForState('full', 'RUNNING');
    const errors = () => h.lines.filter((line) => line.startsWith('error '));
    await waitFor(() => errors().length > 0, { what: 'the write error in the main log' });
    expect(errors()).toEqual([
      "error could not write the stdout log of 'full' (/dev/full): ENOSPC: no space left on device, write (said once until it works again; output may be lost meanwhile)",
    ]);
    // Output goes on arriving (listeners still get it) without another error line.
    let chunks = 0;
    h.supervisor.getProcess('full').stdout.listen(() => chunks++);
    await waitFor(() => chunks >= 5, { what: 'more output after the error' });
    expect(errors()).toHaveLength(1);
    expect(h.supervisor.getProcess('full').state).toBe('RUNNING');
  });

  test('BACKOFF → STOPPED on stop, with pid 0; start on BACKOFF is ALREADY_STARTED', async () => {
    await using h = await startHarness(
      [makeProcessConfig({ name: 'q', command: fixtureCommand('exit-with', 1), startSecs: 5 })],
      { backoffStepMs: 10_000 },
    );
    await h.waitForState('q', 'BACKOFF');
    const p = h.supervisor.getProcess('q');
    await expect(p.start()).rejects.toMatchObject({ code: 'ALREADY_STARTED' });
    await p.stop();
    expect(p.state).toBe('STOPPED');
    expect(h.events.at(-1)).toEqual({
      type: 'PROCESS_STATE_STOPPED',
      processName: 'q',
      groupName: 'q',
      fromState: 'BACKOFF',
      pid: 0,
    });
  });
});

describe('exits from RUNNING and autorestart', () => {
  test('a child killed by a signal is restarted at once, every time', async () => {
    await using h = await startHarness([sleeper('k', { startSecs: 0, autorestart: true })], {
      backoffStepMs: 5000,
    });
    const p = h.supervisor.getProcess('k');
    for (let round = 0; round < 3; round++) {
      const old = await waitFor(() => (p.state === 'RUNNING' ? p.pid : 0));
      const t0 = performance.now();
      process.kill(old, 'SIGKILL');
      await waitFor(() => p.state === 'RUNNING' && p.pid !== old, { timeoutMs: 4000 });
      // Well under the 5 s step: signal deaths are not throttled.
      expect(performance.now() - t0).toBeLessThan(4000);
    }
  });

  test('a program that keeps exiting restarts at once, then at most once per step (no spawn storm)', async () => {
    const quitters = Array.from({ length: 10 }, (_, i) =>
      makeProcessConfig({ name: `q${i}`, command: '/bin/true', startSecs: 0, autorestart: true }),
    );
    await using h = await startHarness(quitters, { backoffStepMs: 200 });
    const starts = new Map<string, number[]>();
    h.supervisor.subscribe((e) => {
      if (e.type === 'PROCESS_STATE_STARTING')
        starts.set(e.processName, [...(starts.get(e.processName) ?? []), performance.now()]);
    });
    // The event loop stays responsive while 10 programs crash-loop.
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 50));
    expect(performance.now() - t0).toBeLessThan(2000);
    await waitFor(() => (starts.get('q0')?.length ?? 0) >= 3, { timeoutMs: 10_000 });
    for (const times of starts.values()) {
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(195);
    }
  });

  const exiting = (name: string, code: number, autorestart: true | false | 'unexpected') =>
    makeProcessConfig({
      name,
      command: fixtureCommand('exit-with', code, 150),
      startSecs: 0.05,
      autorestart,
    });

  test.each([
    [false, 0, false],
    [false, 3, false],
    ['unexpected', 0, false],
    ['unexpected', 3, true],
    [true, 0, true],
    [true, 3, true],
  ] as const)('autorestart=%s, exit %i → restarted: %s', async (autorestart, code, restarts) => {
    await using h = await startHarness([exiting('p', code, autorestart)]);
    await h.waitForState('p', 'EXITED');
    const expected = code === 0;
    expect(h.events.find((e) => e.type === 'PROCESS_STATE_EXITED')).toMatchObject({
      expected,
      fromState: 'RUNNING',
    });
    expect(h.lines).toContain(
      expected
        ? 'info exited: p (exit status 0; expected)'
        : `warn exited: p (exit status ${code}; not expected)`,
    );
    if (restarts) {
      await h.waitForState('p', 'RUNNING', 2);
      expect(h.states('p').slice(0, 4)).toEqual(['STARTING', 'RUNNING', 'EXITED', 'STARTING']);
    } else {
      const p = h.supervisor.getProcess('p');
      expect(p.state).toBe('EXITED');
      expect(p.info().description).toMatch(/^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/);
      expect(p.info().exitStatus).toBe(code);
      expect(p.info().spawnerr).toBe(expected ? '' : `Bad exit code ${code}`);
    }
  });

  test('startsecs=0: an immediate exit is STARTING → RUNNING → EXITED', async () => {
    await using h = await startHarness([
      makeProcessConfig({
        name: 'p',
        command: fixtureCommand('exit-with', 0),
        startSecs: 0,
        autorestart: false,
      }),
    ]);
    await h.waitForState('p', 'EXITED');
    expect(h.states('p')).toEqual(['STARTING', 'RUNNING', 'EXITED']);
  });

  test('a signal death is unexpected (exit status -1) and restarts', async () => {
    await using h = await startHarness([sleeper('p', { startSecs: 0 })]);
    await h.waitForState('p', 'RUNNING');
    const p = h.supervisor.getProcess('p');
    const first = p.pid;
    process.kill(first, 'SIGKILL');
    await h.waitForState('p', 'RUNNING', 2);
    expect(h.lines).toContain('warn exited: p (terminated by SIGKILL; not expected)');
    expect(p.pid).not.toBe(first);
  });
});

describe('stop and signal', () => {
  test('RUNNING → STOPPING → STOPPED with stopsignal', async () => {
    await using h = await startHarness([sleeper('web')]);
    await h.waitForState('web', 'RUNNING');
    const p = h.supervisor.getProcess('web');
    const pid = p.pid;
    await p.stop();
    expect(h.states('web')).toEqual(['STARTING', 'RUNNING', 'STOPPING', 'STOPPED']);
    expect(h.lines.at(-1)).toBe('warn stopped: web (terminated by SIGTERM)');
    expect(h.events.at(-1)).toMatchObject({ type: 'PROCESS_STATE_STOPPED', fromState: 'STOPPING', pid });
    expect(p.pid).toBe(0);
    expect(p.info().exitStatus).toBe(-1);
    await expect(p.stop()).rejects.toMatchObject({ code: 'NOT_RUNNING' });
  });

  test('a stop during STARTING stops it', async () => {
    await using h = await startHarness([sleeper('web', { startSecs: 10 })]);
    const p = h.supervisor.getProcess('web');
    await waitFor(() => p.pid);
    await p.stop();
    expect(h.states('web')).toEqual(['STARTING', 'STOPPING', 'STOPPED']);
  });

  test('an exit code in exitcodes after the stop signal is logged at INFO', async () => {
    // sh traps TERM and exits 0.
    await using h = await startHarness([
      makeProcessConfig({
        name: 'sh',
        command: `sh -c "trap 'exit 0' TERM; echo READY; while :; do sleep 0.05; done"`,
        startSecs: 0,
      }),
    ]);
    const p = h.supervisor.getProcess('sh');
    await waitFor(() => readFile(p.stdout.path).includes('READY'));
    await p.stop();
    expect(h.lines.at(-1)).toBe('info stopped: sh (exit status 0)');
  });

  test.each([
    { killAsGroup: false, target: '' },
    { killAsGroup: true, target: ' process group' },
  ])(
    'stopwaitsecs then SIGKILL (killasgroup $killAsGroup), logged as supervisord does',
    async ({ killAsGroup, target }) => {
      await using h = await startHarness([
        makeProcessConfig({
          name: 'stubborn',
          command: fixtureCommand('ignore-sigterm'),
          startSecs: 0,
          stopWaitSecs: 0.2,
          killAsGroup,
        }),
      ]);
      const p = h.supervisor.getProcess('stubborn');
      await waitFor(() => readFile(p.stdout.path).includes('READY'));
      const pid = p.pid;
      const t0 = performance.now();
      await p.stop();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
      // The TERM goes to the process alone (stopasgroup is off); with killasgroup the KILL goes to
      // its process group, and the debug line says so.
      expect(h.lines).toContain(`debug killing stubborn (pid ${pid}) with signal SIGTERM`);
      expect(h.lines.slice(-3)).toEqual([
        `warn killing 'stubborn' (${pid}) with SIGKILL`,
        `debug killing stubborn (pid ${pid})${target} with signal SIGKILL`,
        'warn stopped: stubborn (terminated by SIGKILL)',
      ]);
      expect(h.states('stubborn').filter((s) => s === 'STOPPING')).toHaveLength(1);
    },
  );

  test('a stop that waits logs "waiting for <p> to stop" at once and every 2 s, as supervisord does', async () => {
    await using h = await startHarness([
      makeProcessConfig({
        name: 'slowstop',
        command: fixtureCommand('ignore-sigterm'),
        startSecs: 0,
        stopWaitSecs: 2.5,
      }),
    ]);
    const p = h.supervisor.getProcess('slowstop');
    await waitFor(() => readFile(p.stdout.path).includes('READY'));
    await p.stop();
    // At 0 and 2 s; SIGKILL at 2.5 s.
    expect(h.lines.filter((l) => l === 'info waiting for slowstop to stop')).toHaveLength(2);
    expect(h.lines.at(-1)).toBe('warn stopped: slowstop (terminated by SIGKILL)');
  });

  test('a quick stop logs "waiting for <p> to stop" once, before the child is reaped', async () => {
    await using h = await startHarness([sleeper('quick')]);
    const p = h.supervisor.getProcess('quick');
    await waitFor(() => readFile(p.stdout.path).includes('READY'));
    await p.stop();
    expect(h.lines.slice(-2)).toEqual([
      'info waiting for quick to stop',
      'warn stopped: quick (terminated by SIGTERM)',
    ]);
  });

  test('signal sends any signal without a state change', async () => {
    await using h = await startHarness([sleeper('s')]);
    const p = h.supervisor.getProcess('s');
    await waitFor(() => readFile(p.stdout.path).includes('READY'));
    p.signal('usr1');
    p.signal('SIGHUP');
    // Pending signals are delivered in number order (HUP before USR1): wait for both.
    await waitFor(
      () => readFile(p.stdout.path).includes('GOT SIGHUP') && readFile(p.stdout.path).includes('GOT SIGUSR1'),
    );
    expect(p.state).toBe('RUNNING');
    expect(h.lines).toContain(`debug sending s (pid ${p.pid}) sig SIGUSR1`);
    expect(h.lines).toContain(`debug sending s (pid ${p.pid}) sig SIGHUP`);
    expect(() => p.signal('NOPE')).toThrow('BAD_SIGNAL: NOPE');
    // A number the kernel would refuse is a bad signal, not an OS error that makes the process UNKNOWN.
    expect(() => p.signal(99)).toThrow('BAD_SIGNAL: 99');
    expect(p.state).toBe('RUNNING');
  });

  test('without stopasgroup a grandchild survives; with it, it dies', async () => {
    await using h = await startHarness([
      makeProcessConfig({ name: 'plain', command: fixtureCommand('spawn-grandchild'), startSecs: 0 }),
      makeProcessConfig({
        name: 'grouped',
        command: fixtureCommand('spawn-grandchild'),
        startSecs: 0,
        stopAsGroup: true,
      }),
    ]);
    const grandchild = async (name: string) => {
      const p = h.supervisor.getProcess(name);
      const text = await waitFor(() => /GRANDCHILD (\d+)\nREADY/.exec(readFile(p.stdout.path)));
      return Number(text[1]);
    };
    const [plain, grouped] = [await grandchild('plain'), await grandchild('grouped')];
    await h.supervisor.getProcess('plain').stop();
    await h.supervisor.getProcess('grouped').stop();
    await waitFor(() => !isPidAlive(grouped), { what: 'the grouped grandchild to die' });
    expect(isPidAlive(plain)).toBe(true);
    process.kill(plain, 'SIGKILL');
  });
});

function readFile(path: string | null): string {
  try {
    return path === null ? '' : readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
