// An in-memory process table that behaves like supd's API for the dashboard: processes change state
// when started or stopped, emit PROCESS_STATE_* events, and keep byte-addressed logs that can be
// tailed and followed.
import { PROCESS_STATES, type SupervisorEvent } from '@supctl/events';
import type { LogChunk, ProcessInfo, StreamItem } from '@supctl/rpc';
import { createPushStream, Fault, matchesSubscribeFilter } from '@supctl/rpc';
import type { DashboardApi } from '../../src/dashboard/types.ts';

type StateName = ProcessInfo['statename'];

export interface FakeProcessSpec {
  readonly name: string;
  /** @default name */
  readonly group?: string;
  /** @default 'RUNNING' */
  readonly state?: StateName;
  /** Seconds the process has been up (RUNNING only). @default 65 */
  readonly uptime?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  /** Whether the process has a log file at all. @default true */
  readonly hasLog?: boolean;
}

interface FakeProcess {
  name: string;
  group: string;
  state: StateName;
  pid: number;
  start: number;
  stop: number;
  hasLog: boolean;
  logs: { stdout: Buffer; stderr: Buffer };
}

export interface FakeSupervisor {
  readonly api: DashboardApi;
  /** Appends to a process's log, as if it printed `text`. */
  print(ns: string, text: string, channel?: 'stdout' | 'stderr'): void;
  /** Moves a process to `state`, emitting the event as the daemon would. */
  setState(ns: string, state: StateName): void;
  /** The current state of a process. */
  state(ns: string): StateName;
  /** As supd when a subscriber fell behind: each subscription gets `EVENTS_DROPPED`. */
  dropEvents(dropped: number): void;
  /** Open subscriptions (state events and log follows). */
  readonly openStreams: number;
  /** Calls made, as `method ns`. */
  readonly calls: string[];
}

export interface FakeSupervisorOptions {
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** How long STARTING and STOPPING last. @default 20 */
  readonly transitionMs?: number;
}

export function createFakeSupervisor(
  specs: readonly FakeProcessSpec[],
  options: FakeSupervisorOptions = {},
): FakeSupervisor {
  const { now = Date.now, transitionMs = 20 } = options;
  const seconds = () => Math.floor(now() / 1000);
  const table = new Map<string, FakeProcess>();
  const subscribers = new Set<(event: SupervisorEvent) => void>();
  const subscriptions = new Set<(item: StreamItem<'supctl.subscribe'>) => void>();
  const logListeners = new Set<(p: FakeProcess, channel: 'stdout' | 'stderr', chunk: Buffer) => void>();
  const calls: string[] = [];
  let nextPid = 1000;
  let streams = 0;

  for (const spec of specs) {
    const group = spec.group ?? spec.name;
    const state = spec.state ?? 'RUNNING';
    const running = state === 'RUNNING' || state === 'STOPPING';
    table.set(group === spec.name ? spec.name : `${group}:${spec.name}`, {
      name: spec.name,
      group,
      state,
      pid: running ? nextPid++ : 0,
      start: running ? seconds() - (spec.uptime ?? 65) : 0,
      stop: 0,
      hasLog: spec.hasLog ?? true,
      logs: { stdout: Buffer.from(spec.stdout ?? ''), stderr: Buffer.from(spec.stderr ?? '') },
    });
  }

  const get = (ns: string) => {
    const p = table.get(ns);
    if (!p) throw new Fault('BAD_NAME', ns);
    return p;
  };

  const describe = (p: FakeProcess): string => {
    switch (p.state) {
      case 'RUNNING': {
        const up = Math.max(0, seconds() - p.start);
        const clock = `${Math.floor(up / 3600)}:${String(Math.floor((up % 3600) / 60)).padStart(2, '0')}:${String(up % 60).padStart(2, '0')}`;
        return `pid ${p.pid}, uptime ${clock}`;
      }
      case 'STOPPED':
        return p.stop === 0 ? 'Not started' : new Date(p.stop * 1000).toUTCString();
      case 'FATAL':
        return 'Exited too quickly (process log may have details)';
      default:
        return '';
    }
  };

  const info = (p: FakeProcess): ProcessInfo => ({
    name: p.name,
    group: p.group,
    start: p.start,
    stop: p.stop,
    now: seconds(),
    state: PROCESS_STATES[p.state],
    statename: p.state,
    spawnerr: '',
    exitstatus: 0,
    logfile: p.hasLog ? `/tmp/${p.name}.log` : '',
    stdout_logfile: p.hasLog ? `/tmp/${p.name}.log` : '',
    stderr_logfile: '',
    pid: p.pid,
    description: describe(p),
  });

  const move = (p: FakeProcess, state: StateName) => {
    const fromState = p.state;
    p.state = state;
    if (state === 'STARTING') p.pid = nextPid++;
    if (state === 'RUNNING') p.start = seconds();
    if (state === 'STOPPED' || state === 'EXITED' || state === 'FATAL') {
      p.stop = seconds();
      p.pid = 0;
    }
    const event = {
      type: `PROCESS_STATE_${state}`,
      processName: p.name,
      groupName: p.group,
      fromState,
      pid: p.pid,
      tries: 0,
      expected: true,
    } as unknown as SupervisorEvent;
    for (const subscriber of subscribers) subscriber(event);
  };

  const later = () => new Promise<void>((resolve) => setTimeout(resolve, transitionMs));

  const start = async (p: FakeProcess) => {
    if (p.state === 'RUNNING' || p.state === 'STARTING' || p.state === 'BACKOFF') {
      throw new Fault('ALREADY_STARTED', p.name);
    }
    move(p, 'STARTING');
    await later();
    move(p, 'RUNNING');
  };

  const stop = async (p: FakeProcess) => {
    if (p.state !== 'RUNNING' && p.state !== 'STARTING' && p.state !== 'BACKOFF') {
      throw new Fault('NOT_RUNNING', p.name);
    }
    move(p, 'STOPPING');
    await later();
    move(p, 'STOPPED');
  };

  const status = (p: FakeProcess) => ({ name: p.name, group: p.group, status: 80, description: 'OK' });

  const api: DashboardApi = {
    'supervisor.getAllProcessInfo': () => [...table.values()].map(info),
    'supervisor.getProcessInfo': (ns) => info(get(ns)),
    'supervisor.startProcess': async (ns) => {
      calls.push(`startProcess ${ns}`);
      await start(get(ns));
      return true;
    },
    'supervisor.stopProcess': async (ns) => {
      calls.push(`stopProcess ${ns}`);
      await stop(get(ns));
      return true;
    },
    'supervisor.startAllProcesses': async () => {
      calls.push('startAllProcesses');
      const stopped = [...table.values()].filter(
        (p) => !['RUNNING', 'STARTING', 'BACKOFF'].includes(p.state),
      );
      await Promise.all(stopped.map(start));
      return stopped.map(status);
    },
    'supervisor.stopAllProcesses': async () => {
      calls.push('stopAllProcesses');
      const running = [...table.values()].filter((p) => ['RUNNING', 'STARTING', 'BACKOFF'].includes(p.state));
      await Promise.all(running.map(stop));
      return running.map(status);
    },
    'supervisor.clearProcessLogs': (ns) => {
      calls.push(`clearProcessLogs ${ns}`);
      const p = get(ns);
      p.logs = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
      return true;
    },
    'supervisor.clearAllProcessLogs': () => {
      calls.push('clearAllProcessLogs');
      for (const p of table.values()) p.logs = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
      return [...table.values()].map(status);
    },
    'supctl.subscribe': (filter, { signal }) => {
      streams++;
      const stream = createPushStream<StreamItem<'supctl.subscribe'>>({
        signal,
        onEnd: () => {
          streams--;
          subscribers.delete(listener);
          subscriptions.delete(push);
        },
      });
      const listener = (event: SupervisorEvent) => {
        if (matchesSubscribeFilter(event, filter)) stream.push(event);
      };
      const push = (item: StreamItem<'supctl.subscribe'>) => stream.push(item);
      subscribers.add(listener);
      subscriptions.add(push);
      return stream;
    },
    'supctl.tail': (ns, { channel = 'stdout', follow = true, offset = -1600 }, { signal }) => {
      const p = get(ns);
      if (!p.hasLog) throw new Fault('NO_FILE', 'None');
      streams++;
      const stream = createPushStream<LogChunk>({
        signal,
        onEnd: () => {
          streams--;
          logListeners.delete(listener);
        },
      });
      const log = p.logs[channel];
      let position = log.length;
      const from = offset < 0 ? Math.max(0, log.length + offset) : Math.min(offset, log.length);
      if (from < log.length) stream.push({ data: log.subarray(from).toString('utf8'), offset: position });
      const listener = (q: FakeProcess, c: 'stdout' | 'stderr', chunk: Buffer) => {
        if (q !== p || c !== channel) return;
        position += chunk.length;
        stream.push({ data: chunk.toString('utf8'), offset: position });
      };
      if (follow) logListeners.add(listener);
      else stream.end();
      return stream;
    },
  };

  return {
    api,
    print(ns, text, channel = 'stdout') {
      const p = get(ns);
      const chunk = Buffer.from(text);
      p.logs[channel] = Buffer.concat([p.logs[channel], chunk]);
      for (const listener of logListeners) listener(p, channel, chunk);
    },
    setState(ns, state) {
      move(get(ns), state);
    },
    state: (ns) => get(ns).state,
    dropEvents(dropped) {
      for (const push of subscriptions) push({ type: 'EVENTS_DROPPED', dropped });
    },
    get openStreams() {
      return streams;
    },
    calls,
  };
}
