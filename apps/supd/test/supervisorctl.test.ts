// Compatibility e2e: Debian's real `supervisorctl` drives the built supd over XML-RPC through every
// command of spec §6.2. Where Debian's supervisord is installed, the same script runs against it in
// the same test and the two transcripts are compared after normalising pids, times, paths, versions.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, makeTempDir, type TempDir, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { BASE_CONF, BIN, runE2e } from './helpers.ts';

const SUPERVISORCTL = '/usr/bin/supervisorctl';
const SUPERVISORD = '/usr/bin/supervisord';
const hasCtl = existsSync(SUPERVISORCTL);
const hasSupervisord = existsSync(SUPERVISORD);

interface Entry {
  readonly cmd: string;
  readonly code: number | null;
  readonly out: string;
}

function programs(extra: string): string {
  return `[program:sleeper]
command=sleep 300
startsecs=0
[program:nostart]
command=sleep 300
autostart=false
startsecs=0
[program:badcmd]
command=/nonexistent/bin/foo
autostart=false
[program:notexec]
command=%(here)s/notexec.sh
autostart=false
[program:quick]
; startsecs well above any reaping delay: a supervisord slowed by a loaded machine reaps the exit
; late, calls the process RUNNING and restarts it (a second quick-out), which supd does not.
command=sh -c "echo quick-out; exit 1"
autostart=false
startsecs=10
startretries=0
[program:talker]
command=sh -c "echo out1; echo err1 >&2; exec sleep 300"
startsecs=0
[program:stubborn]
command=sh -c "trap '' TERM; exec sleep 300"
startsecs=0
stopwaitsecs=2
[program:p1]
command=sleep 300
startsecs=0
[program:p2]
command=sleep 300
startsecs=0
autostart=false
[group:grp]
programs=p1,p2
[program:unlogged]
; never started: its log at an explicit path does not exist yet (tail: no log file)
command=sleep 300
autostart=false
stdout_logfile=%(here)s/unlogged.log
${extra}`;
}

function writeConfig(dir: string, extra = ''): string {
  const file = join(dir, 'sd.conf');
  writeFileSync(
    file,
    `${BASE_CONF}[supervisorctl]
serverurl=unix://%(here)s/s.sock
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
${programs(extra)}`,
  );
  return file;
}

function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(SUPERVISORCTL, ['-c', file, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// Runs supervisorctl until `ready(stdout, stderr)` holds (or it exits), then stops it.
async function follow(file: string, args: string[], ready: (out: string, err: string) => boolean) {
  const child: ChildProcess = spawn(SUPERVISORCTL, ['-c', file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let done = false;
  void exited.then(() => (done = true));
  try {
    await waitFor(() => done || ready(out, err), {
      timeoutMs: 10_000,
      what: `supervisorctl ${args.join(' ')}`,
    });
  } finally {
    if (!done) child.kill('SIGKILL');
    await exited;
  }
  return { out, err };
}

function normalise(text: string, dir: string): string {
  return text
    .replaceAll(dir, '<dir>')
    .replace(/pid \d+/g, 'pid <pid>')
    .replace(/^\d+$/gm, '<n>')
    .replace(/uptime \d+:\d\d:\d\d/g, 'uptime <t>')
    .replace(/[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M/g, '<date>')
    .replace(/^\d+\.\d+\.\d+\S*$/gm, '<version>')
    .replace(/file: \S+ line: \d+/g, 'file: <f> line: <n>');
}

interface Daemon extends AsyncDisposable {
  readonly child: ChildProcess;
}

function startDaemon(kind: 'supd' | 'supervisord', file: string, dir: string): Daemon {
  const command = kind === 'supd' ? [process.execPath, BIN] : [SUPERVISORD];
  const child = spawn(command[0]!, [...command.slice(1), '-n', '-c', file], { cwd: dir, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    child,
    async [Symbol.asyncDispose]() {
      // An orderly shutdown first (it stops the children), SIGKILL only if that hangs.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

async function waitUntilUp(file: string, names: string[]): Promise<void> {
  await waitFor(
    async () => {
      const { stdout } = await run(file, ['status']);
      return names.every((n) => new RegExp(`^${n}\\s+RUNNING`, 'm').test(stdout));
    },
    { timeoutMs: 15_000, intervalMs: 50, what: `${names.join(', ')} RUNNING on ${file}` },
  );
}

// The whole script: each step records what supervisorctl printed (stdout and stderr) and its code.
async function scenario(kind: 'supd' | 'supervisord', dir: TempDir): Promise<Entry[]> {
  const file = writeConfig(dir.path);
  writeFileSync(join(dir.path, 'notexec.sh'), '#!/bin/sh\n');
  chmodSync(join(dir.path, 'notexec.sh'), 0o644);
  const entries: Entry[] = [];
  const ctlAs = async (label: string, ...args: string[]) => {
    const { code, stdout, stderr } = await run(file, args);
    entries.push({ cmd: label, code, out: normalise(stdout + stderr, dir.path) });
  };
  const ctl = (...args: string[]) => ctlAs(args.join(' '), ...args);
  await using daemon = startDaemon(kind, file, dir.path);
  await waitUntilUp(file, ['sleeper', 'talker', 'stubborn', 'grp:p1']);

  await ctl('status');
  await ctl('status', 'sleeper');
  await ctl('status', 'sleeper', 'nosuch');
  await ctl('status', 'nogrp:*');
  await ctl('status', 'grp:*');
  await ctl('start', 'sleeper');
  await ctl('start', 'nosuch');
  await ctl('start', 'nogrp:*');
  await ctl('start', 'badcmd');
  await ctl('start', 'notexec');
  await ctl('start', 'quick');
  await ctl('start', 'grp:*');
  await ctl('start');
  await ctl('stop', 'nostart');
  await ctl('start', 'nostart');
  await ctl('stop', 'nostart');
  await ctl('restart', 'nostart');
  await ctl('restart', 'sleeper');
  await ctl('stop', 'grp:p2');
  await ctl('stop', 'nosuch');
  await ctl('stop', 'nogrp:*');
  await ctl('stop');
  await ctl('restart');
  await ctl('signal', '0', 'sleeper');
  await ctl('signal', 'FOO', 'sleeper');
  await ctl('signal', 'HUP', 'badcmd');
  await ctl('signal', 'HUP', 'nosuch');
  await ctl('signal', 'HUP', 'nogrp:*');
  await ctl('signal', 'HUP');
  await ctl('tail', 'unlogged');
  await ctl('tail', 'talker');
  await ctl('tail', 'talker', 'stderr');
  await ctl('tail', '-3', 'talker');
  await ctl('tail', 'quick');
  await ctl('tail', 'nosuch');
  await ctl('tail', 'talker', 'foo');
  await ctl('tail');
  await ctl('tail', '-x', 'talker');
  const tailF = await follow(file, ['tail', '-f', 'talker'], (out) => out.includes('out1'));
  entries.push({ cmd: 'tail -f talker', code: 0, out: tailF.out });
  const tailFErr = await follow(file, ['tail', '-f', 'talker', 'stderr'], (out) => out.includes('err1'));
  entries.push({ cmd: 'tail -f talker stderr', code: 0, out: tailFErr.out });
  const tailFBad = await follow(file, ['tail', '-f', 'nosuch'], (_o, err) => err.includes('404'));
  entries.push({ cmd: 'tail -f nosuch', code: 0, out: normalise(tailFBad.out + tailFBad.err, dir.path) });
  const mainF = await follow(file, ['maintail', '-f'], (out) => /Press Ctrl-C to exit <==\n.+/.test(out));
  entries.push({ cmd: 'maintail -f (first line)', code: 0, out: mainF.out.split('\n')[0] ?? '' });
  const mainTail = await run(file, ['maintail', '-200']);
  entries.push({
    cmd: 'maintail -200 (ends in log lines)',
    code: mainTail.code,
    out: String(
      mainTail.stdout.length <= 202 &&
        /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4} .+\n\n$/.test(mainTail.stdout),
    ),
  });
  await ctl('maintail', '-x');
  await ctl('maintail', 'a', 'b');
  await ctl('pid', 'sleeper');
  await ctl('pid', 'badcmd');
  await ctl('pid', 'nosuch');
  await ctl('pid', 'all');
  const pid = await run(file, ['pid']);
  entries.push({
    cmd: 'pid (is the daemon)',
    code: pid.code,
    out: String(Number(pid.stdout) === daemon.child.pid),
  });
  await ctl('clear', 'talker');
  await ctl('clear', 'badcmd');
  await ctl('clear', 'nosuch');
  await ctl('clear');
  await ctl('avail');
  await ctl('avail', 'x');
  await ctl('reread');
  await ctl('reread', 'x');
  await ctl('update');
  await ctl('version');
  await ctl('version', 'x');
  await ctl('help');
  await ctl('help', 'start');
  await ctl('help', 'nosuch');

  // A new config: newprog added, nostart gone, sleeper changed.
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace('[program:nostart]\ncommand=sleep 300', '[program:newprog]\ncommand=sleep 300')
      .replace('[program:sleeper]\ncommand=sleep 300', '[program:sleeper]\ncommand=sleep 301'),
  );
  await ctl('reread');
  await ctl('avail');
  await ctl('update', 'sleeper', 'nosuch');
  await ctl('add', 'newprog');
  await ctl('add', 'nosuch');
  await ctl('remove', 'nostart');
  await ctl('update');
  await ctl('update');
  await ctl('add', 'newprog');
  await ctl('remove', 'sleeper');
  await ctl('stop', 'sleeper');
  await ctl('remove', 'sleeper');
  await ctl('add', 'sleeper');
  await ctl('reread', 'x');
  const good = readFileSync(file, 'utf8');
  writeFileSync(file, `${good}\n[program:broken]\n`);
  await ctlAs('reread (broken config)', 'reread');
  writeFileSync(file, good);
  await ctl('reload', 'x');
  await ctl('reload');
  await waitUntilUp(file, ['sleeper', 'talker', 'stubborn']);
  await ctl('status', 'sleeper');
  await ctl('shutdown', 'x');
  await ctl('shutdown');
  await ctl('shutdown');
  await waitFor(() => daemon.child.exitCode !== null || daemon.child.signalCode !== null, {
    timeoutMs: 15_000,
    what: `${kind} exit`,
  });
  await ctl('status');
  await ctl('shutdown');
  return entries;
}

// Exit codes supd must give (spec §6.2), whatever supervisord does.
const EXPECTED_CODES: Record<string, number> = {
  status: 3,
  'status sleeper': 0,
  'status sleeper nosuch': 4,
  'status nogrp:*': 4,
  'start sleeper': 0,
  'start nosuch': 1,
  'start nogrp:*': 2,
  'start badcmd': 1,
  'start notexec': 1,
  'start quick': 7,
  'start grp:*': 0,
  start: 2,
  'stop nosuch': 1,
  stop: 1,
  restart: 1,
  'signal 0 sleeper': 0,
  'signal FOO sleeper': 1,
  'signal HUP badcmd': 7,
  'signal HUP': 1,
  'tail talker': 0,
  'tail nosuch': 1,
  'tail talker foo': 1,
  tail: 1,
  'pid sleeper': 0,
  'pid badcmd': 7,
  'pid nosuch': 1,
  'pid all': 0,
  'clear talker': 0,
  'clear nosuch': 1,
  clear: 1,
  avail: 0,
  'avail x': 1,
  version: 0,
  'version x': 1,
  'update sleeper nosuch': 1,
  'add newprog': 0,
  'reload x': 1,
  reload: 0,
  'shutdown x': 1,
};

// Commands whose output may differ from supervisord's, with the reason (reported, not hidden).
const KNOWN_DIFFERENCES: Record<string, string> = {};

function transcript(entries: readonly Entry[]): string {
  return entries.map((e) => `$ supervisorctl ${e.cmd}  # exit ${e.code}\n${e.out}`).join('\n');
}

describe.runIf(runE2e && hasCtl)('supervisorctl against supd', () => {
  test('every command of spec §6.2: output and exit code (and the same as supervisord where installed)', async () => {
    await using ours = makeTempDir('sctl-');
    await using theirs = makeTempDir('sctl-');
    const [supd, reference] = await Promise.all([
      scenario('supd', ours),
      hasSupervisord ? scenario('supervisord', theirs) : Promise.resolve(null),
    ]);
    // The first time each command ran.
    const byCmd = new Map<string, Entry>();
    for (const e of supd) if (!byCmd.has(e.cmd)) byCmd.set(e.cmd, e);
    for (const [cmd, code] of Object.entries(EXPECTED_CODES)) expect(byCmd.get(cmd)?.code, cmd).toBe(code);
    expect(byCmd.get('status sleeper')?.out).toMatch(/^sleeper {26}RUNNING {3}pid <pid>, uptime <t>\n$/);
    expect(byCmd.get('start quick')?.out).toBe('quick: ERROR (spawn error)\n');
    expect(byCmd.get('tail talker')?.out).toBe('out1\n\n');
    expect(byCmd.get('tail -f talker')?.out).toBe('==> Press Ctrl-C to exit <==\nout1\n');
    expect(byCmd.get('pid (is the daemon)')?.out).toBe('true');
    expect(byCmd.get('shutdown')?.out).toBe('Shut down\n');
    if (!reference) return;
    // Compare step by step; the known differences are only compared on their exit code.
    expect(supd.map((e) => e.cmd)).toEqual(reference.map((e) => e.cmd));
    const differing: string[] = [];
    for (const [k, ours] of supd.entries()) {
      const ref = reference[k]!;
      const known = KNOWN_DIFFERENCES[ours.cmd] !== undefined;
      if (known && ours.out !== ref.out) {
        console.log(`known difference \`${ours.cmd}\`:\n--- supervisord\n${ref.out}+++ supd\n${ours.out}`);
      }
      if (ours.code !== ref.code || (!known && ours.out !== ref.out)) {
        differing.push(
          `step ${k} \`${ours.cmd}\`:\n--- supervisord (exit ${ref.code})\n${ref.out}\n+++ supd (exit ${ours.code})\n${ours.out}`,
        );
      }
    }
    if (differing.length) {
      console.log(`${differing.join('\n')}\n\nsupd transcript:\n${transcript(supd)}`);
    }
    expect(differing).toEqual([]);
  }, 120_000);

  test('basic auth over [inet_http_server] with a {SHA} password: right, wrong and missing credentials', async () => {
    const run2 = async (kind: 'supd' | 'supervisord', dir: TempDir): Promise<Entry[]> => {
      const port = await freePort();
      const file = join(dir.path, 'sd.conf');
      // sha1('secret')
      writeFileSync(
        file,
        `[supervisord]\nlogfile=%(here)s/sd.log\npidfile=%(here)s/sd.pid\nchildlogdir=%(here)s\n[inet_http_server]\nport=127.0.0.1:${port}\nusername=user\npassword={SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4\n[supervisorctl]\nserverurl=http://127.0.0.1:${port}\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[program:talker]\ncommand=sh -c "echo out1; exec sleep 300"\nstartsecs=0\n`,
      );
      await using _daemon = startDaemon(kind, file, dir.path);
      const entries: Entry[] = [];
      const ctl = async (label: string, args: string[]) => {
        const { code, stdout, stderr } = await run(file, args);
        const out = normalise(stdout + stderr, dir.path).replaceAll(String(port), '<port>');
        entries.push({ cmd: label, code, out });
      };
      await waitFor(
        async () =>
          /talker\s+RUNNING/.test((await run(file, ['-u', 'user', '-p', 'secret', 'status'])).stdout),
        {
          timeoutMs: 15_000,
          intervalMs: 50,
          what: `${kind} up`,
        },
      );
      await ctl('status (right password)', ['-u', 'user', '-p', 'secret', 'status']);
      await ctl('status (wrong password)', ['-u', 'user', '-p', 'nope', 'status']);
      await ctl('status (no credentials)', ['status']);
      await ctl('version (the hash as password)', [
        '-u',
        'user',
        '-p',
        'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4',
        'version',
      ]);
      const tailF = await follow(file, ['-u', 'user', '-p', 'secret', 'tail', '-f', 'talker'], (out) =>
        out.includes('out1'),
      );
      entries.push({ cmd: 'tail -f talker (authenticated)', code: 0, out: tailF.out });
      await ctl('shutdown', ['-u', 'user', '-p', 'secret', 'shutdown']);
      return entries;
    };
    await using ours = makeTempDir('sctl-');
    await using theirs = makeTempDir('sctl-');
    const [supd, reference] = await Promise.all([
      run2('supd', ours),
      hasSupervisord ? run2('supervisord', theirs) : Promise.resolve(null),
    ]);
    expect(supd.map((e) => [e.cmd, e.code])).toEqual([
      ['status (right password)', 0],
      ['status (wrong password)', 1],
      ['status (no credentials)', 1],
      ['version (the hash as password)', 1],
      ['tail -f talker (authenticated)', 0],
      ['shutdown', 0],
    ]);
    expect(supd[1]?.out).toMatch(/^Server requires authentication\n/);
    expect(supd[4]?.out).toBe('==> Press Ctrl-C to exit <==\nout1\n');
    if (reference) expect(supd).toEqual(reference);
  }, 60_000);
});
