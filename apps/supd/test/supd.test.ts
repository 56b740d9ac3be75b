// supd as a user runs it: the built bin, real children, real signals.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, isPidAlive, makeTempDir, processesInGroups, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { BIN, readLog, runE2e, startSupd, waitForLog } from './helpers.ts';

function config(dir: string, programs: string, extra = ''): string {
  const file = join(dir, 'supervisord.conf');
  writeFileSync(
    file,
    `[supervisord]\nlogfile=%(here)s/supd.log\npidfile=%(here)s/supd.pid\nchildlogdir=%(here)s\n${extra}\n${programs}`,
  );
  return file;
}

const hasPrlimit = spawnSync('prlimit', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasPrlimit) console.warn('supd open-files limit test skipped: no prlimit (util-linux)');

const SLEEPER = '[program:sleeper]\ncommand=sleep 300\nstartsecs=0\nstopasgroup=true\n';

/**
 * Runs supd in daemon mode on `cwd`'s supervisord.conf (through `command`) until the command
 * returns; disposing stops the daemon it left running.
 */
function runDaemon(cwd: string, command = [process.execPath, BIN]) {
  const result = spawnSync(command[0]!, [...command.slice(1), '-c', 'supervisord.conf'], {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
  });
  const pidfile = join(cwd, 'supd.pid');
  const pid = existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8')) : undefined;
  const stop = async () => {
    if (pid === undefined || !isPidAlive(pid)) return;
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !isPidAlive(pid), { timeoutMs: 10_000, what: 'daemon exit' });
  };
  return { result, pid, stop, [Symbol.asyncDispose]: stop };
}

// A port nothing listens on now (127.0.0.1 only).

function pidsFromLog(log: string): number[] {
  return [...log.matchAll(/spawned: '[^']+' with pid (\d+)/g)].map((m) => Number(m[1]));
}

describe.runIf(runE2e)('supd', () => {
  test('foreground: runs the programs, logs like supervisord, TERM stops everything and exits 0', async () => {
    await using dir = makeTempDir();
    config(dir.path, `${SLEEPER}[program:hello]\ncommand=sh -c "echo hello; exec sleep 300"\nstartsecs=0\n`);
    await using supd = startSupd(['-n', '-c', 'supervisord.conf'], dir.path);
    const log = join(dir.path, 'supd.log');
    await waitForLog(log, /success: sleeper entered RUNNING state/);
    await waitForLog(log, /success: hello entered RUNNING state/);
    expect(readFileSync(join(dir.path, 'supd.pid'), 'utf8')).toBe(`${supd.child.pid}\n`);
    expect(readLog(log)).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO supervisord started with pid \d+$/m,
    );
    // The foreground copy of the log goes to stdout.
    await waitFor(() => supd.stdout().includes("spawned: 'sleeper'"), { what: 'log on stdout' });
    const pids = pidsFromLog(readLog(log));
    expect(pids).toHaveLength(2);
    supd.child.kill('SIGTERM');
    expect(await supd.exited()).toBe(0);
    expect(readLog(log)).toMatch(/WARN received SIGTERM indicating exit request/);
    expect(readLog(log)).toMatch(/stopped: sleeper \(terminated by SIGTERM\)/);
    expect(existsSync(join(dir.path, 'supd.pid'))).toBe(false);
    expect(processesInGroups(pids)).toEqual([]);
  });

  // Root: prlimit may set any hard limit for the run.
  test.runIf(hasPrlimit && process.getuid?.() === 0)(
    'started as a program, children get the open-files limit supd was started with (or minfds), as under supervisord',
    async () => {
      await using dir = makeTempDir();
      config(dir.path, SLEEPER);
      const openFiles = (pid: number) =>
        /Max open files\s+(\d+)\s+(\d+)/
          .exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))
          ?.slice(1)
          .map(Number);
      const run = async (args: string[]) => {
        // Node raises its own soft limit to the hard one; the bin's shell line noted 1024 first.
        const log = join(dir.path, `supd-${args.join('')}.log`);
        await using supd = startSupd(['-n', '-c', 'supervisord.conf', '-l', log, ...args], dir.path, [
          'prlimit',
          '--nofile=1024:20000',
          BIN,
        ]);
        const [, pid] = await waitForLog(log, /spawned: 'sleeper' with pid (\d+)\n[\s\S]*entered RUNNING/);
        // supd keeps Node's limit: it holds more descriptors per program than supervisord does.
        return { supd: openFiles(supd.child.pid!), child: openFiles(Number(pid)), log: readLog(log) };
      };
      const plain = await run([]);
      expect(plain).toMatchObject({ supd: [20000, 20000], child: [1024, 20000] });
      expect(plain.log).not.toMatch(/RLIMIT/);
      const raised = await run(['-a', '2048']);
      expect(raised).toMatchObject({ supd: [20000, 20000], child: [2048, 20000] });
      expect(raised.log).toMatch(/INFO Increased RLIMIT_NOFILE limit to 2048\n/);
    },
  );

  test.runIf(hasPrlimit && process.getuid?.() === 0)(
    'daemon mode: the re-spawned daemon knows the open-files limit the command was started with',
    async () => {
      await using dir = makeTempDir();
      config(dir.path, SLEEPER);
      await using daemon = runDaemon(dir.path, ['prlimit', '--nofile=1024:20000', BIN]);
      expect(daemon.result.status).toBe(0);
      const [, child] = await waitForLog(
        join(dir.path, 'supd.log'),
        /spawned: 'sleeper' with pid (\d+)\n[\s\S]*entered RUNNING/,
      );
      expect(readFileSync(`/proc/${child}/limits`, 'utf8')).toMatch(/Max open files\s+1024\s+20000\s/);
      expect(readFileSync(`/proc/${child}/environ`, 'utf8')).not.toContain('SUPD_START_NOFILE');
    },
  );

  test('daemon mode: the command returns once running; the daemon leads its own session', async () => {
    await using dir = makeTempDir();
    config(dir.path, SLEEPER);
    await using daemon = runDaemon(dir.path);
    expect(daemon.result.status).toBe(0);
    const stat = readFileSync(`/proc/${daemon.pid}/stat`, 'utf8');
    const sid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
    expect(sid).toBe(daemon.pid);
    await waitForLog(
      join(dir.path, 'supd.log'),
      /daemonizing the supervisord process\n.*supervisord started with pid/,
    );
    await waitForLog(join(dir.path, 'supd.log'), /success: sleeper entered RUNNING state/);
    await daemon.stop();
    expect(existsSync(join(dir.path, 'supd.pid'))).toBe(false);
  });

  test('daemon mode: a stale socket file is replaced, and said so on the terminal', async () => {
    await using dir = makeTempDir();
    config(dir.path, SLEEPER, '[unix_http_server]\nfile=%(here)s/s.sock\n');
    writeFileSync(join(dir.path, 's.sock'), ''); // left behind: nothing answers on it
    await using daemon = runDaemon(dir.path);
    expect([daemon.result.status, daemon.result.stderr]).toEqual([
      0,
      `Unlinking stale socket ${join(dir.path, 's.sock')}\n`,
    ]);
    expect(statSync(join(dir.path, 's.sock')).isSocket()).toBe(true);
  });

  test('daemon mode applies umask and directory to supd and so to its children', async () => {
    await using dir = makeTempDir();
    mkdirSync(join(dir.path, 'work'));
    config(
      dir.path,
      '[program:toucher]\ncommand=sh -c "touch created; exec sleep 300"\nstartsecs=0\n',
      `umask=077\ndirectory=${join(dir.path, 'work')}`,
    );
    await using daemon = runDaemon(dir.path);
    expect(daemon.result.status).toBe(0);
    const created = join(dir.path, 'work', 'created');
    await waitFor(() => existsSync(created), { timeoutMs: 10_000, what: 'the file the child creates' });
    expect(statSync(created).mode & 0o777).toBe(0o600);
  });

  test('each HTTP server logs its RPC interface line, then its no-authentication line', async () => {
    await using dir = makeTempDir();
    const port = await freePort();
    config(
      dir.path,
      SLEEPER,
      `[unix_http_server]\nfile=%(here)s/s.sock\n[inet_http_server]\nport=127.0.0.1:${port}\n`,
    );
    await using _supd = startSupd(['-n', '-s', '-c', 'supervisord.conf'], dir.path);
    const log = join(dir.path, 'supd.log');
    await waitForLog(log, /supervisord started with pid/);
    const lines = readLog(log)
      .split('\n')
      .map((line) => line.slice(24))
      .filter((line) => /RPC interface|HTTP authentication/.test(line));
    expect(lines).toEqual([
      "INFO RPC interface 'supervisor' initialized",
      "CRIT Server 'inet_http_server' running without any HTTP authentication checking",
      "INFO RPC interface 'supervisor' initialized",
      "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
    ]);
  });

  test('HUP re-reads the config in the same process; a bad config then exits 2', async () => {
    await using dir = makeTempDir();
    const file = config(dir.path, SLEEPER);
    await using supd = startSupd(['-n', '-c', file], dir.path);
    const log = join(dir.path, 'supd.log');
    await waitForLog(log, /success: sleeper entered RUNNING state/);
    expect(readFileSync(join(dir.path, 'supd.pid'), 'utf8')).toBe(`${supd.child.pid}\n`);
    // The new config names another pidfile: the old one is removed, the new one written.
    config(
      dir.path,
      `${SLEEPER}[program:added]\ncommand=sleep 300\nstartsecs=0\n`,
      'pidfile=%(here)s/other.pid',
    );
    supd.child.kill('SIGHUP');
    await waitForLog(log, /success: added entered RUNNING state/);
    expect(readLog(log)).toMatch(/WARN received SIGHUP indicating restart request/);
    // Every start logs it, as supervisord's write_pidfile() does; same process.
    expect([...readLog(log).matchAll(/supervisord started with pid (\d+)/g)].map((m) => m[1])).toEqual([
      String(supd.child.pid),
      String(supd.child.pid),
    ]);
    expect(existsSync(join(dir.path, 'supd.pid'))).toBe(false);
    expect(readFileSync(join(dir.path, 'other.pid'), 'utf8')).toBe(`${supd.child.pid}\n`);
    const pids = pidsFromLog(readLog(log));
    writeFileSync(file, '[supervisord]\n[program:bad]\ncommand=x\nautostart=maybe\n');
    supd.child.kill('SIGHUP');
    expect(await supd.exited()).toBe(2);
    expect(supd.stderr()).toMatch(
      /^Error: .*supervisord\.conf:4 \[program:bad\] autostart: invalid value 'maybe'/,
    );
    expect(processesInGroups(pids)).toEqual([]);
    expect(existsSync(join(dir.path, 'other.pid'))).toBe(false);
  });

  // user=root: as root only (CI runs as root).
  test.runIf(process.getuid?.() === 0)(
    "start-up lines in supervisord's order: warnings, parsing's infos, then the uid's",
    async () => {
      await using dir = makeTempDir();
      writeFileSync(join(dir.path, 'extra.conf'), '');
      const file = config(
        dir.path,
        SLEEPER,
        'user=root\n[include]\nfiles=%(here)s/extra.conf %(here)s/none-*.conf',
      );
      await using _supd = startSupd(['-n', '-c', file], dir.path);
      const log = join(dir.path, 'supd.log');
      await waitForLog(log, /success: sleeper entered RUNNING state/);
      const lines = readLog(log)
        .split('\n')
        .map((line) => line.slice(24))
        .slice(0, 4);
      expect(lines).toEqual([
        `WARN No file matches via include "${dir.path}/none-*.conf"`,
        `INFO Included extra file "${dir.path}/extra.conf" during parsing`,
        'INFO Set uid to user 0 succeeded',
        `INFO supervisord started with pid ${_supd.child.pid}`,
      ]);
    },
  );

  test('after start and after each reload, supd returns the memory starting used (a DEBG line)', async () => {
    await using dir = makeTempDir();
    const file = config(dir.path, SLEEPER, 'loglevel=debug');
    await using supd = startSupd(['-n', '-c', file], dir.path);
    const log = join(dir.path, 'supd.log');
    const settled = /DEBG returned memory freed while starting: RSS (\d+\.\d) -> (\d+\.\d) MiB/g;
    await waitForLog(log, settled);
    supd.child.kill('SIGHUP');
    await waitForLog(log, /received SIGHUP[\s\S]*DEBG returned memory freed while starting/);
    const lines = [...readLog(log).matchAll(settled)];
    expect(lines).toHaveLength(2);
    for (const [, before, after] of lines) {
      expect(Number(before)).toBeGreaterThan(0);
      expect(Number(after)).toBeGreaterThan(0);
    }
  });

  // A program that takes stopwaitsecs (2 s) to stop: signals arrive while supd is stopping.
  const STUBBORN =
    '[program:stubborn]\ncommand=sh -c "trap \'\' TERM; while :; do sleep 0.1; done"\nstartsecs=0\nstopwaitsecs=2\n';
  const lifecycle = (log: string) =>
    readLog(log)
      .split('\n')
      .map((line) => line.slice(24))
      .filter((line) => /^WARN (received|ignored) SIG|started with pid|waiting for/.test(line))
      .map((line) => line.replace(/pid \d+/, 'pid N'));

  /** supd running STUBBORN, told to restart (HUP) and now waiting for it to stop. */
  async function restartingStubborn() {
    const dir = makeTempDir();
    config(dir.path, STUBBORN);
    const supd = startSupd(['-n', '-s', '-c', 'supervisord.conf'], dir.path);
    const dispose = async () => {
      await supd[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    };
    const log = join(dir.path, 'supd.log');
    try {
      await waitForLog(log, /success: stubborn/);
      supd.child.kill('SIGHUP');
      await waitForLog(log, /waiting for stubborn to die/);
    } catch (error) {
      await dispose();
      throw error;
    }
    return { supd, log, [Symbol.asyncDispose]: dispose };
  }

  test('signals while stopping only change the mood: a second HUP restarts once', async () => {
    await using stopping = await restartingStubborn();
    const { supd, log } = stopping;
    supd.child.kill('SIGHUP');
    await waitForLog(log, /received SIGHUP[\s\S]*received SIGHUP/);
    await waitForLog(log, /started with pid[\s\S]*started with pid[\s\S]*success: stubborn/);
    supd.child.kill('SIGTERM');
    expect(await supd.exited()).toBe(0);
    expect(lifecycle(log)).toEqual([
      'INFO supervisord started with pid N',
      'WARN received SIGHUP indicating restart request',
      'INFO waiting for stubborn to die',
      'WARN received SIGHUP indicating restart request',
      'INFO supervisord started with pid N',
      'WARN received SIGTERM indicating exit request',
      'INFO waiting for stubborn to die',
    ]);
  });

  test('signals while stopping: TERM turns a restart into an exit, HUP during an exit is ignored', async () => {
    await using stopping = await restartingStubborn();
    const { supd, log } = stopping;
    supd.child.kill('SIGTERM');
    await waitForLog(log, /received SIGTERM/);
    supd.child.kill('SIGHUP');
    expect(await supd.exited()).toBe(0);
    expect(lifecycle(log)).toEqual([
      'INFO supervisord started with pid N',
      'WARN received SIGHUP indicating restart request',
      'INFO waiting for stubborn to die',
      'WARN received SIGTERM indicating exit request',
      'WARN ignored SIGHUP indicating restart request (shutdown in progress)',
    ]);
  });

  test('a pidfile that cannot be written is logged as CRIT and supd runs on, as supervisord', async () => {
    await using dir = makeTempDir();
    mkdirSync(join(dir.path, 'supd.pid')); // a directory where the pidfile should go
    config(dir.path, SLEEPER);
    await using supd = startSupd(['-n', '-s', '-c', 'supervisord.conf'], dir.path);
    const log = join(dir.path, 'supd.log');
    await waitForLog(log, /success: sleeper entered RUNNING state/);
    expect(readLog(log)).toMatch(new RegExp(`CRIT could not write pidfile ${join(dir.path, 'supd.pid')}\n`));
    expect(readLog(log)).not.toMatch(/supervisord started with pid/);
    supd.child.kill('SIGTERM');
    expect(await supd.exited()).toBe(0);
    expect(statSync(join(dir.path, 'supd.pid')).isDirectory()).toBe(true);
  });

  test('USR2 reopens the main log and the child logs (after an external logrotate)', async () => {
    await using dir = makeTempDir();
    config(
      dir.path,
      '[program:ticker]\ncommand=sh -c "while :; do echo tick; sleep 0.1; done"\nstdout_logfile=%(here)s/ticker.log\nstartsecs=0\n',
    );
    await using supd = startSupd(['-n', '-s', '-c', 'supervisord.conf'], dir.path);
    const log = join(dir.path, 'supd.log');
    const childLog = join(dir.path, 'ticker.log');
    await waitForLog(log, /success: ticker/);
    await waitFor(() => readLog(childLog).includes('tick'), { what: 'child output' });
    renameSync(log, `${log}.old`);
    renameSync(childLog, `${childLog}.old`);
    supd.child.kill('SIGUSR2');
    // Both lines are written before the reopen, so they end the old file, as with supervisord.
    await waitForLog(
      `${log}.old`,
      /INFO received SIGUSR2 indicating log reopen request\n.* INFO supervisord logreopen\n$/,
    );
    await waitFor(() => readLog(childLog).includes('tick'), { what: 'child output in the new file' });
    expect(readLog(log)).toBe('');
    expect(supd.stdout()).toBe(''); // -s: silent
  });

  test('the command line beats the config: -e, -l, -j, -i, -q', async () => {
    await using dir = makeTempDir();
    config(dir.path, SLEEPER);
    await using _supd = startSupd(
      [
        '-n',
        '-c',
        'supervisord.conf',
        '-e',
        'debug',
        '-l',
        'other.log',
        '-j',
        'other.pid',
        '-i',
        'ident',
        '-q',
        '.',
      ],
      dir.path,
    );
    await waitForLog(join(dir.path, 'other.log'), /success: sleeper/);
    expect(existsSync(join(dir.path, 'other.pid'))).toBe(true);
    expect(existsSync(join(dir.path, 'supd.log'))).toBe(false);
    await waitFor(() =>
      spawnSync('sh', ['-c', 'ls'], { cwd: dir.path, encoding: 'utf8' }).stdout.includes(
        'sleeper-stdout---ident-',
      ),
    );
  });
});

// -u: root drops to the user; anyone may name themselves. Run as `nobody` through setpriv.
const hasSetpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
const nobody = /^nobody:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'));
describe.runIf(runE2e && process.getuid?.() === 0 && hasSetpriv && nobody)('supd -u', () => {
  const [uid, gid] = [Number(nobody?.[1]), Number(nobody?.[2])];
  const asNobody = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', process.execPath, BIN];
  // Started as nobody, supd must be readable by nobody: not so in a checkout under a 0700
  // directory (a clone in `mktemp -d`). Root dropping to nobody needs no such thing.
  const nobodyRunsBin =
    spawnSync(asNobody[0]!, [...asNobody.slice(1), '-v'], { stdio: 'ignore' }).status === 0;
  if (!nobodyRunsBin) console.warn(`supd -u tests started as nobody skipped: nobody cannot read ${BIN}`);
  const unusedUid = () => {
    const used = new Set(
      readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .map((line) => line.split(':')[2]),
    );
    let id = 54321;
    while (used.has(String(id))) id++;
    return id;
  };
  const uidOf = (pid: number) =>
    Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

  test.for([
    [[], 'nosuchuser', 'Error: Invalid user name nosuchuser\n'],
    [[], '', 'Error: Invalid user name \n'],
    [[], 'UNUSED', 'Error: Invalid user id UNUSED\n'],
    // The name is checked before the privilege, as supervisord checks it.
    [asNobody, 'nosuchuser', 'Error: Invalid user name nosuchuser\n'],
    [asNobody, 'root', "Error: Can't drop privilege as nonroot user\n"],
  ] as const)('%j -u %j: supervisord’s message, exit 2', async ([command, user, message], { skip }) => {
    if (command === asNobody && !nobodyRunsBin) skip();
    await using dir = makeTempDir();
    chmodSync(dir.path, 0o777);
    config(dir.path, SLEEPER);
    const u = user === 'UNUSED' ? String(unusedUid()) : user;
    const cmd = command.length ? command : [process.execPath, BIN];
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), '-n', '-c', 'supervisord.conf', '-u', u], {
      cwd: dir.path,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect([r.status, r.stderr]).toEqual([2, `${message.replace('UNUSED', u)}For help, use supd -h\n`]);
  });

  test.for([
    ['root, -u <uid>', [process.execPath, BIN], String(uid)],
    ['nobody, -u nobody (itself)', asNobody, 'nobody'],
  ] as const)('as %s: supd and its children run as the user', async ([, command, user], { skip }) => {
    if (command === asNobody && !nobodyRunsBin) skip();
    await using dir = makeTempDir();
    chmodSync(dir.path, 0o777);
    config(dir.path, SLEEPER);
    await using supd = startSupd(['-n', '-s', '-c', 'supervisord.conf', '-u', user], dir.path, command);
    const log = join(dir.path, 'supd.log');
    const [, child] = await waitForLog(log, /spawned: 'sleeper' with pid (\d+)\n[\s\S]*entered RUNNING/);
    expect(readLog(log)).toMatch(new RegExp(`INFO Set uid to user ${uid} succeeded\n`));
    expect([uidOf(supd.child.pid!), uidOf(Number(child))]).toEqual([uid, uid]);
  });
});

describe.runIf(runE2e)('supd command line: supervisord’s messages and exit codes', () => {
  const run = (args: string[], cwd = '/') =>
    spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

  test.each([
    [['-x'], 'Error: option -x not recognized\nFor help, use supd -h\n'],
    [['--bogus'], 'Error: option --bogus not recognized\nFor help, use supd -h\n'],
    [['-c'], 'Error: option -c requires argument\nFor help, use supd -h\n'],
    [
      ['-n', 'extra', 'args'],
      "Error: positional arguments are not supported: ['extra', 'args']\nFor help, use supd -h\n",
    ],
    [
      ['-c', '/nonexistent/supd.conf'],
      'Error: could not find config file /nonexistent/supd.conf\nFor help, use supd -h\n',
    ],
    [
      ['-m', '089', '-c', 'x'],
      "Error: invalid value for -m '089': 089 can not be converted to an octal type\nFor help, use supd -h\n",
    ],
    // Paths are checked before the config is read, as supervisord checks them.
    [
      ['-c', 'x', '-l', '/nonexistent/x.log'],
      "Error: invalid value for -l '/nonexistent/x.log': The directory named as part of the path /nonexistent/x.log does not exist\nFor help, use supd -h\n",
    ],
    [
      ['-c', 'x', '--pidfile=nonexistent/x.pid'],
      "Error: invalid value for --pidfile 'nonexistent/x.pid': The directory named as part of the path nonexistent/x.pid does not exist\nFor help, use supd -h\n",
    ],
    [
      ['-c', 'x', '-l', '/etc/passwd/x.log'],
      "Error: invalid value for -l '/etc/passwd/x.log': The directory named as part of the path /etc/passwd/x.log does not exist\nFor help, use supd -h\n",
    ],
    [
      ['-c', 'x', '-q', '/nonexistent'],
      "Error: invalid value for -q '/nonexistent': /nonexistent is not an existing directory\nFor help, use supd -h\n",
    ],
    [
      ['-c', 'x', '-d', '~/nonexistent'],
      "Error: invalid value for -d '~/nonexistent': ~/nonexistent is not an existing directory\nFor help, use supd -h\n",
    ],
    // An option given twice is refused, as supervisord refuses it (its value is checked first).
    [['-c', 'a', '-c', 'b'], "Error: conflicting command line option '-c'\nFor help, use supd -h\n"],
    [['-n', '--nodaemon'], "Error: conflicting command line option '--nodaemon'\nFor help, use supd -h\n"],
    [
      ['--minprocs', '5', '--minp=6'],
      "Error: conflicting command line option '--minprocs'\nFor help, use supd -h\n",
    ],
    [
      ['-e', 'info', '-e', 'loud'],
      "Error: invalid value for -e 'loud': bad logging level name 'loud'\nFor help, use supd -h\n",
    ],
  ])('%j', (args, stderr) => {
    const r = run(args);
    expect([r.status, r.stderr]).toEqual([2, stderr]);
  });

  test('-h and -v, long options by unique prefix, the first of -h/-v wins', () => {
    expect(run(['-h'])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('-c/--configuration ARG'),
    });
    expect(run(['--vers'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    // Options act in order: -h or -v ends the command line, as with supervisord.
    expect(run(['-v', '-h', '-e', 'loud'])).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/),
    });
    expect(run(['-h', '-c', 'a', '-c', 'b'])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('-c/--configuration ARG'),
    });
  });

  // Searched first, next to the program: apps/supd/etc/supervisord.conf and apps/supd/supervisord.conf,
  // which do not exist in this repository.
  test('without -c, ./supervisord.conf is found (not one in the parent directory)', async () => {
    await using dir = makeTempDir();
    mkdirSync(join(dir.path, 'here'));
    const conf = (startsecs: string) => `[supervisord]\n[program:a]\ncommand=x\nstartsecs=${startsecs}\n`;
    writeFileSync(join(dir.path, 'supervisord.conf'), conf('parent'));
    writeFileSync(join(dir.path, 'here', 'supervisord.conf'), conf('here'));
    const r = run(['-n'], join(dir.path, 'here'));
    expect([r.status, r.stderr]).toEqual([
      2,
      "Error: supervisord.conf:4 [program:a] startsecs: invalid value 'here' (expected an integer)\nFor help, use supd -h\n",
    ]);
  });

  test('a config error: every problem with file:line, exit 2, nothing started', async () => {
    await using dir = makeTempDir();
    writeFileSync(
      join(dir.path, 'supervisord.conf'),
      '[supervisord]\n[program:a]\ncommand=x\nstartsecs=soon\n',
    );
    const r = run(['-n', '-c', 'supervisord.conf'], dir.path);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "Error: supervisord.conf:4 [program:a] startsecs: invalid value 'soon' (expected an integer)\nFor help, use supd -h\n",
    );
  });
});

if (!runE2e)
  test.skip('supd e2e skipped: apps/supd is not built (run npx -y pnpm@10.34.9 build)', () => {
    console.warn('supd e2e skipped: no dist/');
  });
