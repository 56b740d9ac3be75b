// A fake API implementation for transport tests: trivial results, an event bus for subscribe,
// and hooks a test can replace (core is not involved here).
import type { SupervisorEvent } from '@supctl/events';
import {
  type ApiImplementation,
  createPushStream,
  Fault,
  type LogChunk,
  matchesSubscribeFilter,
  type ProcessInfo,
} from '../src/index.ts';

export function processInfo(name: string, overrides: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    name,
    group: name,
    start: 1795497026,
    stop: 0,
    now: 1795497052,
    state: 20,
    statename: 'RUNNING',
    spawnerr: '',
    exitstatus: 0,
    logfile: `/tmp/${name}.log`,
    stdout_logfile: `/tmp/${name}.log`,
    stderr_logfile: '',
    pid: 4242,
    description: 'pid 4242, uptime 0:00:26',
    ...overrides,
  };
}

export interface FakeApi {
  readonly api: ApiImplementation;
  /** Delivers an event to every subscriber (matching its filter). */
  emit(event: SupervisorEvent): void;
  /** Subscribers currently registered. */
  readonly subscribers: number;
  /** Tail streams currently open. */
  readonly tails: number;
}

export function makeFakeApi(overrides: Partial<ApiImplementation> = {}): FakeApi {
  const listeners = new Set<(event: SupervisorEvent) => void>();
  let tails = 0;
  const known = new Set(['web', 'worker']);
  const check = (name: string) => {
    if (!known.has(name)) throw new Fault('BAD_NAME', name);
  };
  const ok = <T>(value: T) => Promise.resolve(value);
  const api: ApiImplementation = {
    'supervisor.getAPIVersion': () => ok('3.0'),
    'supervisor.getSupervisorVersion': () => ok('4.2.5'),
    'supervisor.getIdentification': () => ok('supervisor'),
    'supervisor.getState': () => ({ statecode: 1, statename: 'RUNNING' }),
    'supervisor.getPID': () => ok(process.pid),
    'supervisor.readLog': (offset, length) => ok(`log ${offset} ${length}`),
    'supervisor.clearLog': () => ok(true),
    'supervisor.shutdown': () => ok(true),
    'supervisor.restart': () => ok(true),
    'supervisor.reloadConfig': () => ok([[['added'], [], []]]),
    'supervisor.addProcessGroup': async (name) => {
      if (known.has(name)) throw new Fault('ALREADY_ADDED', name);
      known.add(name);
      return true;
    },
    'supervisor.removeProcessGroup': async (name) => {
      check(name);
      return true;
    },
    'supervisor.startProcess': async (name, wait) => {
      if (name.endsWith(':*')) return [{ name: 'web', group: 'web', status: 80, description: 'OK' }];
      check(name);
      if (name === 'web') throw new Fault('ALREADY_STARTED', name);
      return wait;
    },
    'supervisor.startProcessGroup': async () => [],
    'supervisor.startAllProcesses': async () => [],
    'supervisor.stopProcess': async (name) => {
      check(name);
      return true;
    },
    'supervisor.stopProcessGroup': async () => [],
    'supervisor.stopAllProcesses': async () => [],
    'supervisor.signalProcess': async (name, signal) => {
      check(name);
      if (signal === 'NOPE') throw new Fault('BAD_SIGNAL', String(signal));
      return true;
    },
    'supervisor.signalProcessGroup': async () => [],
    'supervisor.signalAllProcesses': async () => [],
    'supervisor.getProcessInfo': async (name) => {
      check(name);
      return processInfo(name);
    },
    'supervisor.getAllProcessInfo': async () => [...known].sort().map((name) => processInfo(name)),
    'supervisor.getAllConfigInfo': async () => [],
    'supervisor.readProcessStdoutLog': async (name, offset, length) => {
      check(name);
      if (offset < 0 && length !== 0) throw new Fault('BAD_ARGUMENTS');
      return 'x'.repeat(length);
    },
    'supervisor.readProcessStderrLog': async () => '',
    'supervisor.tailProcessStdoutLog': async () => ['', 0, false],
    'supervisor.tailProcessStderrLog': async () => ['', 0, false],
    'supervisor.clearProcessLogs': async () => true,
    'supervisor.clearAllProcessLogs': async () => [],
    'supervisor.sendProcessStdin': async (name) => {
      check(name);
      return true;
    },
    'supervisor.sendRemoteCommEvent': async (type, data) => {
      for (const listener of listeners) listener({ type: 'REMOTE_COMMUNICATION', commType: type, data });
      return true;
    },
    'supctl.subscribe': (filter, { signal }) => {
      const listener = (event: SupervisorEvent) => {
        if (matchesSubscribeFilter(event, filter)) stream.push(event);
      };
      const stream = createPushStream<SupervisorEvent>({ signal, onEnd: () => listeners.delete(listener) });
      listeners.add(listener);
      return stream;
    },
    'supctl.tail': (name, options, { signal }) => {
      check(name);
      tails++;
      const stream = createPushStream<LogChunk>({ signal, onEnd: () => tails-- });
      stream.push({ data: `${name} ${options.channel} line 1\n`, offset: 20 });
      stream.push({ data: `${name} ${options.channel} line 2\n`, offset: 40 });
      if (!options.follow) stream.end();
      return stream;
    },
    ...overrides,
  };
  return {
    api,
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    get subscribers() {
      return listeners.size;
    },
    get tails() {
      return tails;
    },
  };
}
