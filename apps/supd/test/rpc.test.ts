// supd over its unix socket with the native client: the API as a front end uses it.

import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { connect, Fault } from '@supctl/rpc';
import { makeTempDir, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { BASE_CONF, BIN, readLog, runE2e, startSupd, waitForLog } from './helpers.ts';

function writeConfig(dir: string, extra = '', programs = ''): string {
  const file = join(dir, 'sd.conf');
  writeFileSync(
    file,
    `${BASE_CONF}${extra}
[program:cat]
command=cat
startsecs=0
[program:hello]
command=sh -c "echo hello-out; echo hello-err >&2; exec sleep 300"
startsecs=0
[program:slow]
command=sleep 300
autostart=false
startsecs=1
[program:quick]
command=sh -c "exit 1"
autostart=false
startsecs=1
startretries=0
[program:web]
command=sleep 300
process_name=%(program_name)s_%(process_num)d
numprocs=2
startsecs=0
${programs}`,
  );
  return file;
}

async function rejection(p: Promise<unknown>): Promise<Fault> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Fault) return e;
    throw e;
  }
  throw new Error('expected a fault');
}

describe.runIf(runE2e)('supd native API', () => {
  test('states, process info, start/stop/signal, faults, logs, reread, streams, shutdown', async () => {
    await using dir = makeTempDir();
    const file = writeConfig(dir.path);
    await using supd = startSupd(['-n', '-s', '-c', file], dir.path);
    const log = join(dir.path, 'sd.log');
    await waitForLog(log, /success: web_1 entered RUNNING state/);
    await using client = await connect(`unix://${join(dir.path, 's.sock')}`);

    expect(await client.call('supervisor.getState')).toEqual({ statecode: 1, statename: 'RUNNING' });
    expect(await client.call('supervisor.getAPIVersion')).toBe('3.0');
    expect(await client.call('supervisor.getPID')).toBe(supd.child.pid);
    expect(await client.call('supervisor.getIdentification')).toBe('supervisor');

    const all = await client.call('supervisor.getAllProcessInfo');
    expect(all.map((p) => `${p.group}:${p.name} ${p.statename}`)).toEqual([
      'cat:cat RUNNING',
      'hello:hello RUNNING',
      'quick:quick STOPPED',
      'slow:slow STOPPED',
      'web:web_0 RUNNING',
      'web:web_1 RUNNING',
    ]);
    const cat = await client.call('supervisor.getProcessInfo', 'cat');
    expect(Object.keys(cat)).toEqual([
      'name',
      'group',
      'start',
      'stop',
      'now',
      'state',
      'statename',
      'spawnerr',
      'exitstatus',
      'logfile',
      'stdout_logfile',
      'stderr_logfile',
      'pid',
      'description',
    ]);
    expect(cat).toMatchObject({
      name: 'cat',
      group: 'cat',
      state: 20,
      statename: 'RUNNING',
      spawnerr: '',
      stop: 0,
    });
    expect(cat.description).toMatch(/^pid \d+, uptime 0:00:\d\d$/);
    expect((await client.call('supervisor.getProcessInfo', 'slow')).description).toBe('Not started');

    // Faults with Supervisor's codes and strings.
    expect(await rejection(client.call('supervisor.getProcessInfo', 'nosuch'))).toMatchObject({
      code: 10,
      message: 'BAD_NAME: nosuch',
    });
    expect(await rejection(client.call('supervisor.getProcessInfo', 'web:*'))).toMatchObject({ code: 10 });
    expect(await rejection(client.call('supervisor.startProcess', 'cat', true))).toMatchObject({
      code: 60,
      message: 'ALREADY_STARTED: cat',
    });
    expect(await rejection(client.call('supervisor.stopProcess', 'slow', true))).toMatchObject({
      code: 70,
      message: 'NOT_RUNNING: slow',
    });
    expect(await rejection(client.call('supervisor.startProcess', 'quick', true))).toMatchObject({
      code: 50,
      message: 'SPAWN_ERROR: quick',
    });
    expect(await rejection(client.call('supervisor.signalProcess', 'cat', 'NOPE'))).toMatchObject({
      code: 11,
      message: 'BAD_SIGNAL: NOPE',
    });

    // start waits for RUNNING (startsecs=1); stop waits for STOPPED.
    const before = Date.now();
    expect(await client.call('supervisor.startProcess', 'slow', true)).toBe(true);
    expect(Date.now() - before).toBeGreaterThanOrEqual(900);
    expect((await client.call('supervisor.getProcessInfo', 'slow')).statename).toBe('RUNNING');
    expect(await client.call('supervisor.stopProcess', 'slow', true)).toBe(true);
    expect((await client.call('supervisor.getProcessInfo', 'slow')).statename).toBe('STOPPED');

    // Group forms return result arrays.
    // Results come in completion order, as Supervisor's do.
    const stopped = (await client.call('supervisor.stopProcess', 'web:*', true)) as { name: string }[];
    expect(stopped.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'web_0', group: 'web', status: 80, description: 'OK' },
      { name: 'web_1', group: 'web', status: 80, description: 'OK' },
    ]);
    expect(await client.call('supervisor.startProcessGroup', 'web', true)).toHaveLength(2);
    expect(await client.call('supervisor.startProcessGroup', 'web', true)).toEqual([]);
    const catPid = ((await client.call('supervisor.getProcessInfo', 'cat')) as { pid: number }).pid;
    expect(await client.call('supervisor.signalProcess', 'cat', 'HUP')).toBe(true);
    // HUP ends cat, and autorestart starts a new one: write to that one, not the dying one.
    await waitFor(async () => {
      const info = (await client.call('supervisor.getProcessInfo', 'cat')) as {
        pid: number;
        statename: string;
      };
      return info.statename === 'RUNNING' && info.pid !== catPid;
    });

    // Logs: read, tail, stdin.
    await waitFor(
      async () => (await client.call('supervisor.readProcessStdoutLog', 'hello', 0, 0)) === 'hello-out\n',
    );
    expect(await client.call('supervisor.readProcessStderrLog', 'hello', -4, 0)).toBe('err\n');
    expect(await client.call('supervisor.tailProcessStdoutLog', 'hello', 0, 100)).toEqual([
      'hello-out\n',
      10,
      false,
    ]);
    expect(await client.call('supervisor.sendProcessStdin', 'cat', 'via stdin\n')).toBe(true);
    await waitFor(async () =>
      (await client.call('supervisor.readProcessStdoutLog', 'cat', 0, 0)).includes('via stdin'),
    );
    expect(await client.call('supervisor.readLog', 0, 0)).toContain('supervisord started with pid');

    // Streams: events and a followed tail.
    const events = client.subscribe({ types: ['PROCESS_STATE'], processes: ['slow'] });
    const tail = client.tail('cat', { offset: 0, follow: true });
    await client.call('supervisor.startProcess', 'slow', false);
    const seen: string[] = [];
    for await (const event of events) {
      seen.push(event.type);
      if (event.type === 'PROCESS_STATE_RUNNING') break;
    }
    expect(seen).toEqual(['PROCESS_STATE_STARTING', 'PROCESS_STATE_RUNNING']);
    await client.call('supervisor.sendProcessStdin', 'cat', 'followed\n');
    let text = '';
    for await (const chunk of tail) {
      text += chunk.data;
      if (text.includes('followed')) break;
    }
    expect(text).toBe('via stdin\nfollowed\n');

    // reread after an edit: added / changed / removed, as supervisorctl reread shows them.
    writeConfig(dir.path, '', '[program:added]\ncommand=sleep 300\n');
    expect(await client.call('supervisor.reloadConfig')).toEqual([[['added'], [], []]]);
    expect(await client.call('supervisor.addProcessGroup', 'added')).toBe(true);
    expect(await rejection(client.call('supervisor.addProcessGroup', 'added'))).toMatchObject({ code: 90 });
    expect(await rejection(client.call('supervisor.removeProcessGroup', 'cat'))).toMatchObject({ code: 91 });
    writeFileSync(file, '[supervisord]\n[program:x]\nautostart=maybe\n');
    expect(await rejection(client.call('supervisor.reloadConfig'))).toMatchObject({ code: 92 });

    // Junk on the socket gets an HTTP error on that connection only; the daemon carries on.
    const junk = netConnect(join(dir.path, 's.sock'));
    let answer = '';
    junk.setEncoding('utf8').on('data', (d: string) => {
      answer += d;
    });
    junk.write(Buffer.concat([Buffer.from([0xff, 0x00, 0x13, 0x37, 0x42]), Buffer.from('\r\n\r\n')]));
    await waitFor(() => /^HTTP\/1\.\d [45]\d\d /.test(answer), { what: 'an HTTP error for junk' });
    junk.destroy();
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });

    expect(await client.call('supervisor.shutdown')).toBe(true);
    expect(await supd.exited()).toBe(0);
    expect(readLog(log)).toMatch(/stopped: cat/);
  });

  test('group results name a failing member by its namespec, as supervisord’s', async () => {
    await using dir = makeTempDir();
    const flop = `[program:flop]
command=sh -c "exit 1"
process_name=%(program_name)s_%(process_num)d
numprocs=2
autostart=false
startsecs=1
startretries=0
`;
    const file = writeConfig(dir.path, '', flop);
    await using _supd = startSupd(['-n', '-s', '-c', file], dir.path);
    await waitForLog(join(dir.path, 'sd.log'), /success: web_1 entered RUNNING state/);
    await using client = await connect(`unix://${join(dir.path, 's.sock')}`);
    const results = await client.call('supervisor.startProcessGroup', 'flop', true);
    expect(results.map((r) => r.description).sort()).toEqual([
      'SPAWN_ERROR: flop:flop_0',
      'SPAWN_ERROR: flop:flop_1',
    ]);
    // A process in a group of its own name is named alone.
    expect(await client.call('supervisor.startProcessGroup', 'quick', true)).toEqual([
      { name: 'quick', group: 'quick', status: 50, description: 'SPAWN_ERROR: quick' },
    ]);
  });

  test('logfile=syslog: readLog and clearLog answer NO_FILE as supervisord’s', async () => {
    await using dir = makeTempDir();
    const file = join(dir.path, 'sd.conf');
    writeFileSync(
      file,
      '[supervisord]\nlogfile=syslog\npidfile=%(here)s/sd.pid\n[unix_http_server]\nfile=%(here)s/s.sock\n',
    );
    await using _supd = startSupd(['-n', '-s', '-c', file], dir.path);
    const client = await waitFor(() => connect(`unix://${join(dir.path, 's.sock')}`).catch(() => undefined), {
      what: 'supd listening',
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    await using _client = client;
    expect((await rejection(client.call('supervisor.readLog', 0, 10))).message).toBe('NO_FILE: syslog');
    expect((await rejection(client.call('supervisor.clearLog'))).message).toBe('NO_FILE');
  });

  test('a second supd on the same socket refuses to start, with supervisord’s message', async () => {
    await using dir = makeTempDir();
    const file = writeConfig(dir.path);
    await using first = startSupd(['-n', '-s', '-c', file], dir.path);
    await waitForLog(join(dir.path, 'sd.log'), /supervisord started/);
    await waitFor(() => first.child.pid);
    const second = spawnSync(
      process.execPath,
      [BIN, '-n', '-c', file, '-l', 'other.log', '-j', 'other.pid'],
      { cwd: dir.path, encoding: 'utf8' },
    );
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(
      'Error: Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.',
    );
  });

  test('with username/password, the client must authenticate; a failure is logged', async () => {
    await using dir = makeTempDir();
    const file = writeConfig(
      dir.path,
      'username=admin\npassword={SHA}d033e22ae348aeb5660fc2140aec35850c4da997\nchmod=0760',
    );
    await using supd = startSupd(['-n', '-s', '-c', file], dir.path);
    await waitForLog(join(dir.path, 'sd.log'), /supervisord started/);
    const url = `unix://${join(dir.path, 's.sock')}`;
    expect(statSync(join(dir.path, 's.sock')).mode & 0o777).toBe(0o760);
    await expect(connect(url, { username: 'admin', password: 'wrong' })).rejects.toThrow();
    await waitForLog(join(dir.path, 'sd.log'), /WARN rpc: client failed authentication\n/);
    await using client = await connect(url, { username: 'admin', password: 'admin' });
    expect(await client.call('supervisor.getPID')).toBe(supd.child.pid);
  });
});
