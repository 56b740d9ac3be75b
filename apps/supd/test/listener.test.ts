// Issue 4's real peer under the real daemon: a listener written for Supervisor (Python,
// supervisor.childutils from Debian's package) runs as an [eventlistener:x] of supd.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from '@supctl/rpc';
import { makeTempDir, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { BASE_CONF, runE2e, startSupd, waitForLog } from './helpers.ts';

const LISTENER = resolve(import.meta.dirname, '../../../packages/core/test/fixtures/childutils-listener.py');
const python =
  spawnSync('/usr/bin/python3', ['-c', 'import supervisor.childutils'], { stdio: 'ignore' }).status === 0;

interface Received {
  headers: Record<string, string>;
  payload: string;
  tokens?: Record<string, string>;
}

function received(file: string): Received[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe.runIf(runE2e && python)('a Supervisor event listener under supd', () => {
  test('receives every process state with Supervisor’s payloads, and TICK_5; FAIL gets the event again', async () => {
    await using dir = makeTempDir();
    const out = join(dir.path, 'events.jsonl');
    const failOut = join(dir.path, 'fail.jsonl');
    writeFileSync(
      join(dir.path, 'sd.conf'),
      `${BASE_CONF}[eventlistener:watch]
command=/usr/bin/python3 ${LISTENER} ${out}
events=PROCESS_STATE,TICK_5
buffer_size=100
[eventlistener:failer]
command=/usr/bin/python3 ${LISTENER} ${failOut} fail-first
events=PROCESS_STATE_RUNNING
[program:worker]
command=sleep 300
startsecs=1
autostart=false
[program:broken]
command=sh -c "exit 3"
startsecs=1
startretries=1
autostart=false
[program:done]
command=sh -c "sleep 1.2; exit 0"
startsecs=1
autostart=false
autorestart=false
`,
    );
    await using supd = startSupd(['-n', '-s', '-c', 'sd.conf'], dir.path);
    await waitForLog(join(dir.path, 'sd.log'), /success: watch entered RUNNING state/);
    await using client = await connect(`unix://${join(dir.path, 's.sock')}`);
    // Let the listeners reach READY (their own RUNNING events are delivered first).
    await waitFor(() => received(out).some((e) => e.payload.includes('processname:failer')), {
      timeoutMs: 10_000,
    });

    await client.call('supervisor.startProcess', 'worker', true);
    await client.call('supervisor.stopProcess', 'worker', true);
    await client.call('supervisor.startProcess', 'broken', true).catch(() => {});
    await client.call('supervisor.startProcess', 'done', true);
    await waitFor(() => received(out).some((e) => e.headers.eventname === 'PROCESS_STATE_FATAL'), {
      timeoutMs: 15_000,
      what: 'FATAL',
    });
    await waitFor(
      () =>
        received(out).some(
          (e) => e.headers.eventname === 'PROCESS_STATE_EXITED' && e.payload.includes('processname:done'),
        ),
      { timeoutMs: 10_000, what: 'EXITED' },
    );
    await waitFor(() => received(out).some((e) => e.headers.eventname === 'TICK_5'), {
      timeoutMs: 10_000,
      what: 'TICK_5',
    });

    const events = received(out);
    const about = (name: string) =>
      events.filter((e) => e.tokens?.processname === name).map((e) => e.headers.eventname);
    expect(about('worker')).toEqual([
      'PROCESS_STATE_STARTING',
      'PROCESS_STATE_RUNNING',
      'PROCESS_STATE_STOPPING',
      'PROCESS_STATE_STOPPED',
    ]);
    expect(about('broken')).toEqual([
      'PROCESS_STATE_STARTING',
      'PROCESS_STATE_BACKOFF',
      'PROCESS_STATE_STARTING',
      'PROCESS_STATE_BACKOFF',
      'PROCESS_STATE_FATAL',
    ]);
    expect(about('done')).toEqual([
      'PROCESS_STATE_STARTING',
      'PROCESS_STATE_RUNNING',
      'PROCESS_STATE_EXITED',
    ]);

    const byType = (type: string, name: string) =>
      events.find((e) => e.headers.eventname === type && e.tokens?.processname === name)!;
    expect(byType('PROCESS_STATE_STARTING', 'worker').payload).toBe(
      'processname:worker groupname:worker from_state:STOPPED tries:0',
    );
    expect(byType('PROCESS_STATE_RUNNING', 'worker').payload).toMatch(
      /^processname:worker groupname:worker from_state:STARTING pid:\d+$/,
    );
    expect(byType('PROCESS_STATE_STOPPED', 'worker').payload).toMatch(
      /^processname:worker groupname:worker from_state:STOPPING pid:\d+$/,
    );
    expect(byType('PROCESS_STATE_BACKOFF', 'broken').payload).toBe(
      'processname:broken groupname:broken from_state:STARTING tries:1',
    );
    expect(byType('PROCESS_STATE_FATAL', 'broken').payload).toBe(
      'processname:broken groupname:broken from_state:BACKOFF',
    );
    expect(byType('PROCESS_STATE_EXITED', 'done').payload).toMatch(
      /^processname:done groupname:done from_state:RUNNING expected:1 pid:\d+$/,
    );
    const tick = events.find((e) => e.headers.eventname === 'TICK_5')!;
    expect(tick.payload).toMatch(/^when:\d+$/);
    expect(Number(tick.payload.slice(5)) % 5).toBe(0);
    for (const e of events) {
      expect(e.headers).toMatchObject({ ver: '3.0', server: 'supervisor', pool: 'watch' });
      expect(Number(e.headers.len)).toBe([...e.payload].length);
    }

    // The FAIL listener saw worker's RUNNING twice, with the same serials.
    const fails = received(failOut).filter((e) => e.payload.startsWith('processname:worker'));
    expect(fails).toHaveLength(2);
    expect(fails[0]!.headers.serial).toBe(fails[1]!.headers.serial);
    expect(fails[0]!.headers.poolserial).toBe(fails[1]!.headers.poolserial);

    await client.call('supervisor.shutdown');
    expect(await supd.exited()).toBe(0);
  });
});

if (!(runE2e && python))
  test.skip('listener e2e skipped: needs the built supd and Debian’s python3-supervisor', () => {
    console.warn('listener e2e skipped');
  });
