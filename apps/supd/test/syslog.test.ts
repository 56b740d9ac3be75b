// `logfile=syslog` and `stdout_syslog`/`stderr_syslog`: what reaches the system log socket, read
// by a real datagram listener on /dev/log, and where Debian's supervisord is installed, the same
// config run by it for comparison. Needs root (to bind /dev/log), python3 (Node has no unix
// datagram sockets), the native helper, and a /dev/log nobody else owns: otherwise it says why it
// skipped.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnerKind } from '@supctl/core';
import { makeTempDir, waitFor } from '@supctl/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BIN, readLog, runE2e, waitForLog } from './helpers.ts';

const DEV_LOG = '/dev/log';
const SUPERVISORD = '/usr/bin/supervisord';
const hasPython = spawnSync('python3', ['-c', ''], { stdio: 'ignore' }).status === 0;
const skipReason =
  process.getuid?.() !== 0
    ? 'not root: cannot bind /dev/log'
    : existsSync(DEV_LOG)
      ? 'a syslog daemon owns /dev/log here'
      : !hasPython
        ? 'no python3 for the datagram listener'
        : spawnerKind() !== 'native'
          ? 'no native helper: supd sends nothing to syslog (it warns so)'
          : null;
if (skipReason) console.warn(`syslog tests skipped: ${skipReason}`);

// Prints each datagram received on /dev/log as a JSON string (latin1), one per line.
const LISTENER = `
import json, os, signal, socket, sys
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print('ready', flush=True)
try:
    while True:
        print(json.dumps(s.recv(65536).decode('latin1')), flush=True)
finally:
    os.unlink(sys.argv[1])
`;

let listener: ChildProcess;
let received: string[] = [];
beforeAll(async () => {
  if (skipReason || !runE2e) return;
  listener = spawn('python3', ['-c', LISTENER, DEV_LOG], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  let ready = false;
  listener.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') ready = true;
      else received.push(JSON.parse(line) as string);
    }
  });
  await waitFor(() => ready, { what: 'the /dev/log listener' });
});
afterAll(async () => {
  if (!listener) return;
  if (listener.exitCode === null) {
    const exited = new Promise((r) => listener.once('exit', r));
    listener.kill('SIGTERM'); // its `finally` removes /dev/log
    await exited;
  }
  rmSync(DEV_LOG, { force: true }); // ours in any case: it did not exist before
});

// An event listener that takes each event and answers OK: its stdout is its protocol, which
// supervisord never sends to syslog, whatever stdout_syslog says.
const LISTENER_PROGRAM = `import sys
while True:
    sys.stdout.write('READY\\n'); sys.stdout.flush()
    header = dict(x.split(':') for x in sys.stdin.readline().split())
    sys.stdin.read(int(header['len']))
    sys.stdout.write('RESULT 2\\nOK'); sys.stdout.flush()
`;

// One write with trailing newlines (dropped, as supervisord drops them), a blank line and a \r.
const CONF = (dir: string) => `[supervisord]
logfile=syslog
pidfile=${dir}/sd.pid
childlogdir=${dir}
loglevel=debug
[program:talk]
command=sh -c 'printf "a\\n\\nb\\r\\nc\\n\\n\\n"; printf "oops\\n" >&2; exec sleep 300'
stdout_syslog=true
stderr_syslog=true
startsecs=0
autorestart=false
[eventlistener:lis]
command=python3 ${dir}/listener.py
events=PROCESS_STATE
stdout_syslog=true
`;

// `<14>Nov 25 01:08:23 supervisord: ` (libc's format: the day padded with a space) and the rest.
const HEADER = /^<14>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d supervisord: /;
const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /;

/** Runs `command` on CONF until the child's lines have arrived; returns its messages, headers off. */
async function run(command: readonly string[]): Promise<string[]> {
  await using dir = makeTempDir();
  const file = join(dir.path, 'sd.conf');
  writeFileSync(file, CONF(dir.path));
  writeFileSync(join(dir.path, 'listener.py'), LISTENER_PROGRAM);
  received = [];
  const daemon = spawn(command[0]!, [...command.slice(1), '-n', '-c', file], {
    cwd: dir.path,
    stdio: 'ignore',
  });
  const exited = new Promise((r) => daemon.once('exit', r));
  try {
    await waitFor(
      () => received.some((m) => m.endsWith('talk c')) && received.some((m) => m.endsWith('talk oops')),
      {
        timeoutMs: 15_000,
        what: "the child's lines in syslog",
      },
    );
    // The listener has answered an event: had its stdout gone to syslog, that would be there.
    await waitFor(() => received.some((m) => m.includes('DEBG lis: BUSY -> ACKNOWLEDGED')), {
      timeoutMs: 15_000,
      what: 'the listener to take an event',
    });
    await waitFor(() => received.some((m) => m.includes(' DEBG c\n')), {
      what: 'the debug copy of the output',
    });
  } finally {
    daemon.kill('SIGTERM');
    await exited;
  }
  for (const m of received) expect(m).toMatch(HEADER);
  return received.map((m) => m.replace(HEADER, ''));
}

const childLines = (messages: string[]) => messages.filter((m) => m.startsWith('talk '));
// The main log's lines: date and time off, pids as <pid>.
const mainLines = (messages: string[]) =>
  messages.filter((m) => STAMP.test(m)).map((m) => m.replace(STAMP, '').replace(/pid \d+/g, 'pid <pid>'));

test.runIf(runE2e && !skipReason)(
  "logfile=syslog and stdout_syslog/stderr_syslog send supervisord's messages to /dev/log",
  async () => {
    const ours = await run([process.execPath, BIN]);
    // Each line of output as `<name> <line>`: split at \n only, blank lines too.
    expect(childLines(ours).filter((m) => m !== 'talk oops')).toEqual([
      'talk a',
      'talk ',
      'talk b\r',
      'talk c',
    ]);
    expect(childLines(ours)).toContain('talk oops');
    expect(ours.filter((m) => m.startsWith('lis '))).toEqual([]);
    // Each main-log line as it would be in the file (newline included); a message of several lines
    // goes as that many, each with date and level.
    const main = mainLines(ours);
    expect(main).toContain("INFO spawned: 'talk' with pid <pid>\n");
    const output = main.indexOf("DEBG 'talk' stdout output:\n");
    expect(main.slice(output, output + 5)).toEqual([
      "DEBG 'talk' stdout output:\n",
      'DEBG a\n',
      'DEBG \n',
      'DEBG b\r\n',
      'DEBG c\n',
    ]);

    if (!existsSync(SUPERVISORD)) {
      console.warn('syslog: supervisord is not installed, no comparison');
      return;
    }
    const theirs = await run([SUPERVISORD]);
    expect(childLines(ours).sort()).toEqual(childLines(theirs).sort());
    const theirMain = mainLines(theirs);
    const theirOutput = theirMain.indexOf("DEBG 'talk' stdout output:\n");
    expect(main.slice(output, output + 5)).toEqual(theirMain.slice(theirOutput, theirOutput + 5));
    expect(theirMain).toContain("INFO spawned: 'talk' with pid <pid>\n");
  },
  60_000,
);

test.runIf(runE2e)('without the native helper, supd says that nothing goes to syslog', async () => {
  await using dir = makeTempDir();
  const file = join(dir.path, 'sd.conf');
  writeFileSync(
    file,
    `[supervisord]\nlogfile=%(here)s/sd.log\npidfile=%(here)s/sd.pid\n[program:talk]\ncommand=sleep 300\nstdout_syslog=true\nstartsecs=0\n`,
  );
  const daemon = spawn(process.execPath, [BIN, '-n', '-c', file], {
    cwd: dir.path,
    stdio: 'ignore',
    env: { ...process.env, SUPCTL_SPAWN: 'node' },
  });
  const exited = new Promise((r) => daemon.once('exit', r));
  try {
    const log = join(dir.path, 'sd.log');
    await waitForLog(log, /success: talk entered RUNNING state/);
    expect(readLog(log)).toMatch(
      /WARN syslog output \(logfile=syslog, stdout_syslog, stderr_syslog\) needs the native helper of @supctl\/core, which is not available here: nothing is sent to syslog\n/,
    );
  } finally {
    daemon.kill('SIGTERM');
    await exited;
  }
});
