import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventListenerPoolConfig, ProcessConfig } from '@supctl/config';
import { formatEventPayload, isSubtypeOf, type SupervisorEvent } from '@supctl/events';
import { fixtureCommand, makeTempDir, shellQuote, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './helpers.ts';
import { makeGroupConfig, makeProcessConfig } from './make-config.ts';

const PYTHON = '/usr/bin/python3';
const PY_LISTENER = fileURLToPath(new URL('fixtures/childutils-listener.py', import.meta.url));

// Whether Debian's supervisor package is importable (the real peer of the issue).
const childutilsMissing = ((): string | null => {
  try {
    execFileSync(PYTHON, ['-c', 'import supervisor.childutils'], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PYTHON} cannot import supervisor.childutils (apt-get install -y supervisor)`;
  }
})();
if (childutilsMissing !== null) console.warn(`skipping the Python listener tests: ${childutilsMissing}`);

/** One envelope as a listener recorded it. */
interface Received {
  readonly eventname: string;
  readonly serial: number;
  readonly poolserial: number;
  readonly pool: string;
  readonly len: number;
  readonly payload: string;
  /** SUPERVISOR_PROCESS_NAME of the listener (node listener only). */
  readonly process?: string;
  /** PROCESS_STATE payload tokens as childutils.eventdata parsed them (Python listener only). */
  readonly tokens?: Record<string, string>;
}

function readReceived(file: string): Received[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const record = JSON.parse(line) as {
        header?: string;
        headers?: Record<string, string>;
        payload: string;
        process?: string;
        tokens?: Record<string, string>;
      };
      const headers =
        record.headers ??
        Object.fromEntries(record.header!.split(' ').map((token) => token.split(':') as [string, string]));
      expect(headers.ver).toBe('3.0');
      expect(headers.server).toBe('supervisor');
      return {
        eventname: headers.eventname!,
        serial: Number(headers.serial),
        poolserial: Number(headers.poolserial),
        pool: headers.pool!,
        len: Number(headers.len),
        payload: record.payload,
        ...(record.process ? { process: record.process } : {}),
        ...(record.tokens ? { tokens: record.tokens } : {}),
      };
    });
}

function pool(
  name: string,
  command: string,
  options: {
    events: string[];
    bufferSize?: number;
    numprocs?: number;
    process?: Partial<ProcessConfig>;
  },
): EventListenerPoolConfig {
  const numprocs = options.numprocs ?? 1;
  const processes = Array.from({ length: numprocs }, (_, i) =>
    makeProcessConfig({
      name: numprocs === 1 ? name : `${name}_${i}`,
      programName: name,
      kind: 'eventlistener',
      command,
      startSecs: 0,
      autorestart: true,
      processNum: i,
      numprocs,
      environment: { PYTHONIOENCODING: 'utf-8' },
      ...options.process,
    }),
  );
  return {
    ...makeGroupConfig(processes, { name, priority: -1 }),
    kind: 'eventlistener',
    events: options.events,
    bufferSize: options.bufferSize ?? 10,
    resultHandler: 'supervisor.dispatchers:default_handler',
  };
}

const nodeListener = (out: string, mode = 'ok') => fixtureCommand('listen-events', out, mode);
const pyListener = (out: string, mode = '') =>
  [PYTHON, PY_LISTENER, out, ...(mode ? [mode] : [])].map(shellQuote).join(' ');

function pidOf(h: Harness, name: string, nth = 0): number {
  const pids = h.lines.flatMap((line) => {
    const match = /^info spawned: '(.*)' with pid (\d+)$/.exec(line);
    return match?.[1] === name ? [Number(match[2])] : [];
  });
  return pids[nth] ?? 0;
}

async function waitForReceived(file: string, check: (received: Received[]) => boolean, what: string) {
  await waitFor(
    () => {
      const received = readReceived(file);
      if (check(received)) return received;
      throw new Error(received.map((r) => `${r.serial}:${r.eventname}`).join(' '));
    },
    { timeoutMs: 15_000, what },
  );
  return readReceived(file);
}

// The events core emitted that a pool subscribed to `types` accepts, as (name, payload) pairs.
function emitted(h: Harness, types: Parameters<typeof isSubtypeOf>[1][]): string[] {
  return h.events
    .filter((e) => types.some((t) => isSubtypeOf(e.type, t)))
    .map((e: SupervisorEvent) => `${e.type} ${formatEventPayload(e)}`);
}

const asPairs = (received: readonly Received[]) => received.map((r) => `${r.eventname} ${r.payload}`);

// The same scenarios for a node listener and for a Supervisor childutils listener.
const listeners = [
  { kind: 'node', command: nodeListener, skip: null },
  { kind: 'python childutils', command: pyListener, skip: childutilsMissing },
] as const;

describe.each(listeners)('a $kind listener in an [eventlistener:x] pool', ({ command, skip }) => {
  test.skipIf(skip !== null)(
    'receives every PROCESS_STATE_* with its payload, in order, and TICK_5 on a boundary',
    async () => {
      await using tmp = makeTempDir();
      const out = join(tmp.path, 'watcher.jsonl');
      // A tick clock 400 ms before a 5-second boundary, so TICK_5 comes without waiting 5 s.
      const boundaryMs = Math.ceil((Date.now() + 1000) / 5000) * 5000;
      const offset = boundaryMs - 400 - Date.now();
      await using h = await startHarness(
        [
          pool('watcher', command(out), { events: ['PROCESS_STATE', 'TICK_5'], bufferSize: 100 }),
          makeGroupConfig([
            makeProcessConfig({
              name: 'crash',
              command: fixtureCommand('exit-with', 3, 200),
              startSecs: 0,
              autorestart: false,
            }),
          ]),
          makeGroupConfig([
            makeProcessConfig({ name: 'quick', command: fixtureCommand('exit-with', 1), startRetries: 1 }),
          ]),
          makeGroupConfig([
            makeProcessConfig({ name: 'sleeper', command: fixtureCommand('sleep-forever'), startSecs: 0 }),
          ]),
        ],
        { tickClock: () => Date.now() + offset },
      );
      await h.waitForState('sleeper', 'RUNNING');
      await h.supervisor.getProcess('sleeper').stop();
      await h.waitForState('quick', 'FATAL');
      await h.waitForState('crash', 'EXITED');
      const received = await waitForReceived(
        out,
        (r) =>
          r.some((e) => e.eventname === 'TICK_5') &&
          r.length === emitted(h, ['PROCESS_STATE', 'TICK_5']).length,
        'every state event and a TICK_5',
      );
      // Nothing lost, nothing added, FIFO: what the listener read is what core emitted.
      expect(asPairs(received)).toEqual(emitted(h, ['PROCESS_STATE', 'TICK_5']));
      // One pool: global serials and pool serials both count 0, 1, 2, … (only accepted events count).
      expect(received.map((r) => r.poolserial)).toEqual(received.map((_, i) => i));
      expect(received.map((r) => r.serial)).toEqual(received.map((_, i) => i));
      expect(received.every((r) => r.pool === 'watcher' && r.len === [...r.payload].length)).toBe(true);

      const watcher = pidOf(h, 'watcher');
      const crash = pidOf(h, 'crash');
      const sleeper = pidOf(h, 'sleeper');
      const of = (name: string) => asPairs(received).filter((p) => p.includes(`processname:${name} `));
      // The listener sees its own state changes, as in Supervisor.
      expect(of('watcher')).toEqual([
        'PROCESS_STATE_STARTING processname:watcher groupname:watcher from_state:STOPPED tries:0',
        `PROCESS_STATE_RUNNING processname:watcher groupname:watcher from_state:STARTING pid:${watcher}`,
      ]);
      expect(of('crash')).toEqual([
        'PROCESS_STATE_STARTING processname:crash groupname:crash from_state:STOPPED tries:0',
        `PROCESS_STATE_RUNNING processname:crash groupname:crash from_state:STARTING pid:${crash}`,
        `PROCESS_STATE_EXITED processname:crash groupname:crash from_state:RUNNING expected:0 pid:${crash}`,
      ]);
      expect(of('quick')).toEqual([
        'PROCESS_STATE_STARTING processname:quick groupname:quick from_state:STOPPED tries:0',
        'PROCESS_STATE_BACKOFF processname:quick groupname:quick from_state:STARTING tries:1',
        'PROCESS_STATE_STARTING processname:quick groupname:quick from_state:BACKOFF tries:1',
        'PROCESS_STATE_BACKOFF processname:quick groupname:quick from_state:STARTING tries:2',
        'PROCESS_STATE_FATAL processname:quick groupname:quick from_state:BACKOFF',
      ]);
      expect(of('sleeper')).toEqual([
        'PROCESS_STATE_STARTING processname:sleeper groupname:sleeper from_state:STOPPED tries:0',
        `PROCESS_STATE_RUNNING processname:sleeper groupname:sleeper from_state:STARTING pid:${sleeper}`,
        `PROCESS_STATE_STOPPING processname:sleeper groupname:sleeper from_state:RUNNING pid:${sleeper}`,
        `PROCESS_STATE_STOPPED processname:sleeper groupname:sleeper from_state:STOPPING pid:${sleeper}`,
      ]);
      expect(asPairs(received).filter((p) => p.startsWith('TICK_5'))[0]).toBe(
        `TICK_5 when:${boundaryMs / 1000}`,
      );
      // superlance's reading of a state payload: eventdata(payload + '\n').
      const exited = received.find((r) => r.eventname === 'PROCESS_STATE_EXITED');
      if (exited?.tokens) {
        expect(exited.tokens).toEqual({
          processname: 'crash',
          groupname: 'crash',
          from_state: 'RUNNING',
          expected: '0',
          pid: String(crash),
        });
      }
      // The protocol channel is still written to the listener's stdout log, as supervisord does.
      expect(readFileSync(h.supervisor.getProcess('watcher').stdout.path!, 'utf8')).toMatch(/^READY\n/);
      expect(h.lines).toContain('debug watcher: ACKNOWLEDGED -> READY');
      expect(h.lines).toContain('debug watcher: event was processed');
      expect(h.lines).toContain('debug watcher: BUSY -> ACKNOWLEDGED');
      expect(h.lines).toContain('debug event 0 sent to listener watcher');
      expect(h.events.some((e) => e.type === 'PROCESS_LOG_STDOUT')).toBe(false);
    },
  );

  test.skipIf(skip !== null)(
    'a listener that answers FAIL gets the same event again; another pool gets it once',
    async () => {
      await using tmp = makeTempDir();
      const failerOut = join(tmp.path, 'failer.jsonl');
      const fineOut = join(tmp.path, 'fine.jsonl');
      await using h = await startHarness([
        pool('failer', command(failerOut, 'fail-first'), { events: ['PROCESS_STATE_RUNNING'] }),
        pool('fine', nodeListener(fineOut), { events: ['PROCESS_STATE_RUNNING'] }),
        makeGroupConfig([
          makeProcessConfig({ name: 'sleeper', command: fixtureCommand('sleep-forever'), startSecs: 0 }),
        ]),
      ]);
      await h.waitForState('sleeper', 'RUNNING');
      const running = emitted(h, ['PROCESS_STATE_RUNNING']);
      expect(running).toHaveLength(3); // failer, fine, sleeper
      const failed = await waitForReceived(failerOut, (r) => r.length === 6, 'each event twice');
      const fine = await waitForReceived(fineOut, (r) => r.length === 3, 'each event once');
      // FAIL → re-queued at the head with its serial and pool serial, sent again at once.
      expect(failed.map((r) => [r.serial, r.poolserial])).toEqual([
        [0, 0],
        [0, 0],
        [1, 1],
        [1, 1],
        [2, 2],
        [2, 2],
      ]);
      expect(asPairs(failed)).toEqual(running.flatMap((pair) => [pair, pair]));
      // Only the owning pool re-queues (the spec's recommendation, not 4.2.5's broadcast).
      expect(asPairs(fine)).toEqual(running);
      expect(fine.map((r) => [r.serial, r.poolserial])).toEqual([
        [0, 0],
        [1, 1],
        [2, 2],
      ]);
      expect(h.lines.filter((l) => l === 'warn failer: event was rejected')).toHaveLength(3);
      expect(
        h.lines.some((l) => /^debug rebuffering event 2 for pool failer \(buf size=\d+, max=10\)$/.test(l)),
      ).toBe(true);
    },
  );
});

const remote = (i: number): SupervisorEvent => ({
  type: 'REMOTE_COMMUNICATION',
  commType: 't',
  data: `msg-${i}`,
});

test('a full buffer drops the oldest event with supervisord’s ERROR line; the rest are delivered', async () => {
  await using tmp = makeTempDir();
  const out = join(tmp.path, 'slow.jsonl');
  await using h = await startHarness([
    pool('slow', nodeListener(out), {
      events: ['REMOTE_COMMUNICATION'],
      bufferSize: 3,
      process: { autostart: false },
    }),
  ]);
  for (let i = 0; i < 5; i++) h.supervisor.notify(remote(i));
  expect(h.lines.filter((l) => l.startsWith('error '))).toEqual([
    'error pool slow event buffer overflowed, discarding event 0',
    'error pool slow event buffer overflowed, discarding event 1',
  ]);
  expect(h.supervisor.getPool('slow').buffer.map((e) => e.serial)).toEqual([2, 3, 4]);
  await h.supervisor.getProcess('slow').start();
  const received = await waitForReceived(out, (r) => r.length === 3, 'the three kept events');
  expect(received.map((r) => [r.serial, r.poolserial, r.payload])).toEqual([
    [2, 2, 'type:t\nmsg-2'],
    [3, 3, 'type:t\nmsg-3'],
    [4, 4, 'type:t\nmsg-4'],
  ]);
});

test('events go only to RUNNING listeners: nothing is sent before startsecs', async () => {
  await using tmp = makeTempDir();
  const out = join(tmp.path, 'late.jsonl');
  await using h = await startHarness([
    pool('late', nodeListener(out), { events: ['REMOTE_COMMUNICATION'], process: { startSecs: 0.3 } }),
  ]);
  h.supervisor.notify(remote(0));
  // The listener is READY long before it is RUNNING; the event waits for RUNNING.
  await waitFor(() => h.lines.includes('debug late: ACKNOWLEDGED -> READY'));
  expect(h.supervisor.getProcess('late').state).toBe('STARTING');
  expect(readReceived(out)).toEqual([]);
  await h.waitForState('late', 'RUNNING');
  const [first] = await waitForReceived(out, (r) => r.length === 1, 'the event after RUNNING');
  expect(first?.payload).toBe('type:t\nmsg-0');
  const sent = h.lines.indexOf('debug event 0 sent to listener late');
  expect(sent).toBeGreaterThan(h.lines.findIndex((l) => l.startsWith('info success: late entered RUNNING')));
});

test.each(['split', 'ok'])(
  'a listener writing READY and RESULT %s (byte by byte, or result and READY in one write) gets every event once',
  async (mode) => {
    await using tmp = makeTempDir();
    const out = join(tmp.path, `${mode}.jsonl`);
    await using h = await startHarness([
      pool('l', nodeListener(out, mode), { events: ['REMOTE_COMMUNICATION'] }),
    ]);
    const data = ['héllo wörld €', 'emoji 😀 two units', 'line\nbreak\r\n'];
    for (const d of data) h.supervisor.notify({ type: 'REMOTE_COMMUNICATION', commType: 'u', data: d });
    const received = await waitForReceived(out, (r) => r.length === 3, 'three events');
    expect(received.map((r) => r.payload)).toEqual(data.map((d) => `type:u\n${d}`));
    expect(received.map((r) => r.len)).toEqual(data.map((d) => [...`type:u\n${d}`].length));
    await waitFor(() => h.lines.filter((l) => l === 'debug l: event was processed').length === 3);
    expect(h.lines.some((l) => l.includes('UNKNOWN'))).toBe(false);
    const outputs = h.lines.filter((l) => l.startsWith("debug 'l' stdout output:\n"));
    if (mode === 'split') expect(outputs).toContain("debug 'l' stdout output:\nb'R'");
    else expect(outputs).toContain("debug 'l' stdout output:\nb'RESULT 2\\nOKREADY\\n'");
  },
);

test('garbage instead of READY puts the listener in UNKNOWN for good; its events pile up', async () => {
  await using tmp = makeTempDir();
  const out = join(tmp.path, 'garbage.jsonl');
  await using h = await startHarness([
    pool('bad', nodeListener(out, 'garbage'), { events: ['REMOTE_COMMUNICATION'], bufferSize: 2 }),
  ]);
  await waitFor(() => h.lines.includes('debug bad: ACKNOWLEDGED -> UNKNOWN'));
  expect(h.lines).toContain(
    'warn bad: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
  );
  const pool_ = h.supervisor.getPool('bad');
  expect(pool_.channel(h.supervisor.getProcess('bad'))?.state).toBe('UNKNOWN');
  for (let i = 0; i < 3; i++) h.supervisor.notify(remote(i));
  expect(pool_.buffer.map((e) => e.serial)).toEqual([1, 2]);
  expect(h.lines).toContain('error pool bad event buffer overflowed, discarding event 0');
  expect(readReceived(out)).toEqual([]);
});

test('a listener that dies while BUSY is restarted and gets the same event again', async () => {
  await using tmp = makeTempDir();
  const out = join(tmp.path, 'dies.jsonl');
  await using h = await startHarness([
    pool('dies', nodeListener(out, 'exit-busy'), { events: ['REMOTE_COMMUNICATION'] }),
  ]);
  await waitFor(() => h.lines.includes('debug dies: ACKNOWLEDGED -> READY'));
  h.supervisor.notify(remote(0));
  const received = await waitForReceived(out, (r) => r.length === 2, 'the event twice');
  expect(received.map((r) => [r.serial, r.poolserial, r.payload])).toEqual([
    [0, 0, 'type:t\nmsg-0'],
    [0, 0, 'type:t\nmsg-0'],
  ]);
  expect(h.states('dies')).toEqual(['STARTING', 'RUNNING', 'EXITED', 'STARTING', 'RUNNING']);
  expect(h.lines).toContain('debug rebuffering event 0 for pool dies (buf size=0, max=10)');
  expect(pidOf(h, 'dies', 1)).not.toBe(0);
});

test('numprocs listeners share one buffer: each event goes to the first READY one, once', async () => {
  await using tmp = makeTempDir();
  const out = join(tmp.path, 'many.jsonl');
  await using h = await startHarness([
    pool('many', nodeListener(out), { events: ['REMOTE_COMMUNICATION'], numprocs: 2, bufferSize: 50 }),
  ]);
  await waitFor(() => h.lines.includes('debug many_1: ACKNOWLEDGED -> READY'));
  await waitFor(() => h.lines.includes('debug many_0: ACKNOWLEDGED -> READY'));
  for (let i = 0; i < 20; i++) h.supervisor.notify(remote(i));
  const received = await waitForReceived(out, (r) => r.length === 20, 'twenty events');
  expect(received.map((r) => r.serial).sort((a, b) => a - b)).toEqual(received.map((_, i) => i));
  expect(new Set(received.map((r) => r.process))).toEqual(new Set(['many_0', 'many_1']));
  // The first pass sends serial 0 to the first listener in config order, serial 1 to the second.
  expect(h.lines).toContain('debug event 0 sent to listener many_0');
  expect(h.lines).toContain('debug event 1 sent to listener many_1');
});

test('pools see their own PROCESS_GROUP_ADDED and later groups’, not earlier ones; unsubscribed events get no serial', async () => {
  await using tmp = makeTempDir();
  const out = join(tmp.path, 'groups.jsonl');
  await using h = await startHarness([
    makeGroupConfig([makeProcessConfig({ name: 'early', autostart: false })], {
      name: 'early',
      priority: -5,
    }),
    pool('groups', nodeListener(out), { events: ['PROCESS_GROUP', 'REMOTE_COMMUNICATION'] }),
    makeGroupConfig([makeProcessConfig({ name: 'later', autostart: false })]),
  ]);
  h.supervisor.notify({ type: 'TICK_60', when: 60 }); // nobody subscribes: no serial used
  h.supervisor.notify(remote(0));
  const received = await waitForReceived(out, (r) => r.length === 3, 'three events');
  expect(received.map((r) => `${r.serial} ${r.eventname} ${JSON.stringify(r.payload)}`)).toEqual([
    '0 PROCESS_GROUP_ADDED "groupname:groups\\n"',
    '1 PROCESS_GROUP_ADDED "groupname:later\\n"',
    '2 REMOTE_COMMUNICATION "type:t\\nmsg-0"',
  ]);
});
