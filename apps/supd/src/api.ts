// The one implementation of the Supervisor API over the engine; both transports (native msgpack
// and XML-RPC) serve this object. Names, faults and struct shapes are Supervisor's.
import { type Config, isValidSignalNumber, type LogTarget, lookupSignal } from '@supctl/config';
import { type ManagedProcess, readLog, type Supervisor, SupervisorError, tailLog } from '@supctl/core';
import {
  PROCESS_STATES,
  SUPERVISOR_STATES,
  type SupervisorEvent,
  type SupervisorStateName,
} from '@supctl/events';
import {
  type ApiImplementation,
  type ConfigInfo,
  cacheEncoding,
  createPushStream,
  type EventsDropped,
  Fault,
  matchesSubscribeFilter,
  type ProcessInfo,
  type ProcessStatusResult,
} from '@supctl/rpc';
import { tailProcessLog } from './tail.ts';
import { lookupUser } from './users.ts';

/** What the API needs from the running daemon. */
export interface DaemonHandle {
  /** The engine, or null between a restart's stop and start. */
  supervisor(): Supervisor | null;
  state(): SupervisorStateName;
  readonly pid: number;
  identifier(): string;
  mainLogPath(): string | null;
  clearMainLog(): void;
  shutdown(): void;
  restart(): void;
  /** Re-read the config file; throws an Error whose message is the CANT_REREAD detail. */
  rereadConfig(): Config;
  readonly version: string;
}

/**
 * The Supervisor release whose behaviour supd reproduces: what `getSupervisorVersion` (and so
 * `supervisorctl version`) reports, because tools written for Supervisor check it.
 */
export const SUPERVISOR_VERSION = '4.2.5';

const SUCCESS = 80;
const INT32_MAX = 2 ** 31 - 1;

function toFault(e: unknown): Fault {
  if (e instanceof Fault) return e;
  if (e instanceof SupervisorError) return new Fault(e.code, e.detail || undefined);
  return new Fault('FAILED', e instanceof Error ? e.message : String(e));
}

/**
 * An error about one process, as supervisord words it: naming the process as the caller did
 * (`ALREADY_STARTED: web:web_0`, not `web_0`). Other details (a command's path) stay.
 */
function processFault(e: unknown, p: ManagedProcess, asked: string): Fault {
  if (e instanceof SupervisorError && e.detail === p.name) return new Fault(e.code, asked);
  return toFault(e);
}

/** BAD_NAME naming what the caller asked for (`web:*`, or `` as `BAD_NAME: `), as supervisord's. */
function badNameAsAsked(e: unknown, asked: string): Fault {
  if (e instanceof SupervisorError && e.code === 'BAD_NAME') return new Fault('BAD_NAME', asked);
  return toFault(e);
}

function result(
  p: { name: string; group: string },
  error: SupervisorError | Fault | null,
): ProcessStatusResult {
  if (!error) return { name: p.name, group: p.group, status: SUCCESS, description: 'OK' };
  // supervisord acts on each member by its namespec (`x:bad_0`, or `solo` in a group of its
  // name), which its fault then names.
  const fault =
    error instanceof SupervisorError && error.detail === p.name
      ? new Fault(error.code, p.group === p.name ? p.name : `${p.group}:${p.name}`)
      : toFault(error);
  return { name: p.name, group: p.group, status: fault.code, description: fault.message };
}

const seconds = (ms: number) => Math.min(INT32_MAX, Math.floor(ms / 1000));

// `group:*` / `group:` name a whole group; everything else a process.
function splitNamespec(name: string): { group: string; process: string | null } {
  const colon = name.indexOf(':');
  if (colon < 0) return { group: name, process: name };
  const process = name.slice(colon + 1);
  return { group: name.slice(0, colon), process: process === '' || process === '*' ? null : process };
}

function compareNames(a: ProcessInfo, b: ProcessInfo): number {
  if (a.group !== b.group) return a.group < b.group ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function parseSignal(value: string | number): number {
  const text = String(value);
  const num = /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : lookupSignal(text);
  if (num === undefined || !isValidSignalNumber(num)) throw new Fault('BAD_SIGNAL', text);
  return num;
}

function logName(target: LogTarget, actual: string | null | undefined): string {
  if (target.kind === 'none') return 'none';
  if (target.kind === 'file') return target.path;
  return actual ?? 'auto';
}

/**
 * getAllProcessInfo's rows, rebuilt only when they can differ: another second (`now`, uptimes),
 * an event from the engine (state changes, groups added or removed), or a process whose state or
 * pid moved without one (a belt to the events' braces). In between, every call returns the same
 * frozen array, whose encoding the native server reuses.
 */
function createProcessInfoCache(build: (p: ManagedProcess, nowMs: number) => ProcessInfo) {
  let engine: Supervisor | null = null;
  let unsubscribe = () => {};
  let dirty = true;
  let second = -1;
  let processes: ManagedProcess[] = [];
  let marks: (string | number)[] = [];
  let rows: ProcessInfo[] = [];

  const isCurrent = (now: number): boolean => {
    if (dirty || now !== second) return false;
    for (let i = 0; i < processes.length; i++) {
      const p = processes[i]!;
      if (p.state !== marks[2 * i] || p.pid !== marks[2 * i + 1]) return false;
    }
    return true;
  };

  return (s: Supervisor): ProcessInfo[] => {
    if (s !== engine) {
      unsubscribe();
      engine = s;
      dirty = true;
      unsubscribe = s.subscribe(() => {
        dirty = true;
      });
    }
    const nowMs = Date.now();
    const now = Math.floor(nowMs / 1000);
    if (isCurrent(now)) return rows;
    dirty = false;
    second = now;
    processes = s.processes();
    marks = processes.flatMap((p) => [p.state, p.pid]);
    rows = cacheEncoding(processes.map((p) => build(p, nowMs)).sort(compareNames));
    return rows;
  };
}

// Events held for a subscriber that is slow or has paused its stream, by their approximate size:
// a chatty program's PROCESS_LOG events carry its output. Past it the oldest are dropped.
const SUBSCRIPTION_BUFFER_BYTES = 4 * 1024 * 1024;
const EVENT_BYTES = 256;

function eventBytes(event: SupervisorEvent | EventsDropped): number {
  return 'data' in event && typeof event.data === 'string' ? EVENT_BYTES + event.data.length : EVENT_BYTES;
}

export function createApi(daemon: DaemonHandle): ApiImplementation {
  const engine = (): Supervisor => {
    const s = daemon.supervisor();
    if (!s || daemon.state() !== 'RUNNING') throw new Fault('SHUTDOWN_STATE');
    return s;
  };
  const process = (name: string): ManagedProcess => {
    const { group, process } = splitNamespec(name);
    if (process === null) throw new Fault('BAD_NAME', name);
    const s = engine();
    try {
      return s.getProcess(`${group}:${process}`);
    } catch (e) {
      if (e instanceof SupervisorError && e.code === 'BAD_NAME') throw new Fault('BAD_NAME', name);
      throw toFault(e);
    }
  };
  const info = (p: ManagedProcess, nowMs = Date.now()): ProcessInfo => {
    const i = p.info(nowMs);
    return {
      name: i.name,
      group: i.group,
      start: seconds(i.startMs),
      stop: seconds(i.stopMs),
      now: seconds(i.nowMs),
      state: PROCESS_STATES[i.state],
      statename: i.state,
      spawnerr: i.spawnerr,
      exitstatus: i.exitStatus,
      logfile: i.stdoutLogfile ?? '',
      stdout_logfile: i.stdoutLogfile ?? '',
      stderr_logfile: i.stderrLogfile ?? '',
      pid: i.pid,
      description: i.description,
    };
  };
  const allProcessInfo = createProcessInfoCache(info);
  // `asked`: the name as the caller gave it (`web:*`, `web:`, ``), which supervisord's BAD_NAME
  // repeats.
  const groupAction = async (
    name: string,
    run: (
      s: Supervisor,
      group: string,
    ) => Promise<{ name: string; group: string; error: SupervisorError | null }[]>,
    asked = name,
  ): Promise<ProcessStatusResult[]> => {
    const s = engine();
    try {
      return (await run(s, name)).map((r) => result(r, r.error));
    } catch (e) {
      throw badNameAsAsked(e, asked);
    }
  };
  const groupMembers = (group: string, asked: string): ManagedProcess[] => {
    try {
      return [...engine().getGroup(group).byPriority];
    } catch (e) {
      throw badNameAsAsked(e, asked);
    }
  };
  // Each signallable process gets the signal; a bad signal name is each one's BAD_SIGNAL result,
  // as supervisord's (supervisorctl prints one `ERROR (bad signal name)` per process).
  const signalMany = (
    processes: readonly ManagedProcess[],
    signal: string | number,
  ): ProcessStatusResult[] => {
    let num: number | Fault;
    try {
      num = parseSignal(signal);
    } catch (e) {
      num = toFault(e);
    }
    return processes
      .filter((p) => ['STARTING', 'RUNNING', 'STOPPING'].includes(p.state))
      .map((p) => {
        const who = { name: p.name, group: p.info().group };
        if (num instanceof Fault) return result(who, num);
        try {
          p.signal(num);
          return result(who, null);
        } catch (e) {
          return result(who, toFault(e));
        }
      });
  };
  const readChannel = (name: string, channel: 'stdout' | 'stderr', offset: number, length: number) => {
    const i = process(name).info();
    try {
      return readLog(channel === 'stdout' ? i.stdoutLogfile : i.stderrLogfile, offset, length);
    } catch (e) {
      throw toFault(e);
    }
  };
  const tailChannel = (name: string, channel: 'stdout' | 'stderr', offset: number, length: number) => {
    const i = process(name).info();
    const t = tailLog(channel === 'stdout' ? i.stdoutLogfile : i.stderrLogfile, offset, length);
    return [t.text, t.offset, t.overflow] as [string, number, boolean];
  };

  return {
    'supervisor.getAPIVersion': () => {
      engine();
      return '3.0';
    },
    'supervisor.getSupervisorVersion': () => {
      engine();
      return SUPERVISOR_VERSION;
    },
    'supervisor.getIdentification': () => {
      engine();
      return daemon.identifier();
    },
    'supervisor.getState': () => {
      const state = daemon.state();
      if (state !== 'RUNNING') throw new Fault('SHUTDOWN_STATE');
      return { statecode: SUPERVISOR_STATES[state], statename: state };
    },
    'supervisor.getPID': () => {
      engine();
      return daemon.pid;
    },
    'supervisor.readLog': (offset, length) => {
      engine();
      try {
        const path = daemon.mainLogPath();
        // No path: `logfile=syslog`, which supervisord's NO_FILE names.
        if (path === null) throw new Fault('NO_FILE', 'syslog');
        return readLog(path, offset, length);
      } catch (e) {
        throw toFault(e);
      }
    },
    'supervisor.clearLog': () => {
      engine();
      if (daemon.mainLogPath() === null) throw new Fault('NO_FILE');
      try {
        daemon.clearMainLog();
      } catch (e) {
        // The file was removed behind supd's back: supervisord's answer too.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Fault('NO_FILE');
        throw toFault(e);
      }
      return true;
    },
    'supervisor.shutdown': () => {
      engine();
      daemon.shutdown();
      return true;
    },
    'supervisor.restart': () => {
      engine();
      daemon.restart();
      return true;
    },
    'supervisor.reloadConfig': () => {
      const s = engine();
      let config: Config;
      try {
        config = daemon.rereadConfig();
      } catch (e) {
        throw new Fault('CANT_REREAD', e instanceof Error ? e.message : String(e));
      }
      const diff = s.reloadConfig(config);
      return [[[...diff.added], [...diff.changed], [...diff.removed]]];
    },
    'supervisor.addProcessGroup': (name) => {
      try {
        engine().addGroup(name);
      } catch (e) {
        throw toFault(e);
      }
      return true;
    },
    'supervisor.removeProcessGroup': (name) => {
      try {
        engine().removeGroup(name);
      } catch (e) {
        throw toFault(e);
      }
      return true;
    },
    'supervisor.startProcess': async (name, wait) => {
      const { group, process: proc } = splitNamespec(name);
      if (proc === null) return groupAction(group, (s, g) => s.startGroup(g, { wait }), name);
      const p = process(name);
      try {
        await p.start({ wait });
      } catch (e) {
        throw processFault(e, p, name);
      }
      return true;
    },
    'supervisor.startProcessGroup': (name, wait) => groupAction(name, (s, g) => s.startGroup(g, { wait })),
    'supervisor.startAllProcesses': async (wait) => groupAction('', (s) => s.startAll({ wait })),
    'supervisor.stopProcess': async (name, wait) => {
      const { group, process: proc } = splitNamespec(name);
      if (proc === null) return groupAction(group, (s, g) => s.stopGroup(g, { wait }), name);
      const p = process(name);
      try {
        await p.stop({ wait });
      } catch (e) {
        throw processFault(e, p, name);
      }
      return true;
    },
    'supervisor.stopProcessGroup': (name, wait) => groupAction(name, (s, g) => s.stopGroup(g, { wait })),
    'supervisor.stopAllProcesses': (wait) => groupAction('', (s) => s.stopAll({ wait })),
    'supervisor.signalProcess': (name, signal) => {
      const { group, process: proc } = splitNamespec(name);
      if (proc === null) return signalMany(groupMembers(group, name), signal);
      const p = process(name);
      const num = parseSignal(signal);
      try {
        p.signal(num);
      } catch (e) {
        throw processFault(e, p, name);
      }
      return true;
    },
    'supervisor.signalProcessGroup': (name, signal) => signalMany(groupMembers(name, name), signal),
    'supervisor.signalAllProcesses': (signal) => {
      const s = daemon.supervisor();
      const results = s ? signalMany(s.processesByPriority(), signal) : [];
      // Supervisor signals first and checks its state after.
      engine();
      return results;
    },
    'supervisor.getProcessInfo': (name) => info(process(name)),
    'supervisor.getAllProcessInfo': () => allProcessInfo(engine()),
    'supervisor.getAllConfigInfo': () => {
      const s = engine();
      const active = new Map(s.groups.map((g) => [g.name, g]));
      const rows: ConfigInfo[] = [];
      for (const group of s.config.groups) {
        const live = active.get(group.name);
        for (const p of group.processes) {
          const running = live ? [...live.processes].find((m) => m.name === p.name)?.info() : undefined;
          rows.push({
            name: p.name,
            group: group.name,
            group_prio: group.priority,
            process_prio: p.priority,
            inuse: live !== undefined,
            command: p.command,
            directory: p.directory ?? 'none',
            uid: p.user === null ? 'none' : (lookupUser(p.user)?.uid ?? 'none'),
            autostart: p.autostart,
            exitcodes: [...p.exitCodes],
            startsecs: p.startSecs,
            startretries: p.startRetries,
            stopwaitsecs: p.stopWaitSecs,
            stopsignal: lookupSignal(p.stopSignal) ?? 15,
            killasgroup: p.killAsGroup,
            redirect_stderr: p.redirectStderr,
            serverurl: p.serverUrl ?? 'none',
            stdout_logfile: logName(p.stdout.logfile, running?.stdoutLogfile),
            stderr_logfile: logName(p.stderr.logfile, running?.stderrLogfile),
            stdout_logfile_maxbytes: p.stdout.logfileMaxBytes,
            stderr_logfile_maxbytes: p.stderr.logfileMaxBytes,
            stdout_logfile_backups: p.stdout.logfileBackups,
            stderr_logfile_backups: p.stderr.logfileBackups,
            stdout_capture_maxbytes: p.stdout.captureMaxBytes,
            stderr_capture_maxbytes: p.stderr.captureMaxBytes,
            stdout_events_enabled: p.stdout.eventsEnabled,
            stderr_events_enabled: p.stderr.eventsEnabled,
            stdout_syslog: p.stdout.syslog,
            stderr_syslog: p.stderr.syslog,
          });
        }
      }
      return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    'supervisor.readProcessStdoutLog': (name, offset, length) => readChannel(name, 'stdout', offset, length),
    'supervisor.readProcessStderrLog': (name, offset, length) => readChannel(name, 'stderr', offset, length),
    'supervisor.tailProcessStdoutLog': (name, offset, length) => tailChannel(name, 'stdout', offset, length),
    'supervisor.tailProcessStderrLog': (name, offset, length) => tailChannel(name, 'stderr', offset, length),
    'supervisor.clearProcessLogs': (name) => {
      const p = process(name);
      try {
        p.clearLogs();
      } catch {
        throw new Fault('FAILED', name);
      }
      return true;
    },
    'supervisor.clearAllProcessLogs': () =>
      engine()
        .processesByPriority()
        .map((p) => {
          const who = { name: p.name, group: p.info().group };
          try {
            p.clearLogs();
            return result(who, null);
          } catch {
            return result(who, new Fault('FAILED', p.name));
          }
        }),
    'supervisor.sendProcessStdin': (name, chars) => {
      if (typeof chars !== 'string') throw new Fault('INCORRECT_PARAMETERS');
      const p = process(name);
      try {
        p.sendStdin(chars);
      } catch (e) {
        // NOT_RUNNING, or NO_FILE (a FastCGI process's stdin is its socket).
        throw processFault(e, p, name);
      }
      return true;
    },
    'supervisor.sendRemoteCommEvent': (type, data) => {
      daemon.supervisor()?.notify({ type: 'REMOTE_COMMUNICATION', commType: type, data });
      return true;
    },
    'supctl.subscribe': (filter, ctx) => {
      const s = engine();
      let unsubscribe = () => {};
      const stream = createPushStream<SupervisorEvent | EventsDropped>({
        signal: ctx.signal,
        highWaterMark: SUBSCRIPTION_BUFFER_BYTES,
        sizeOf: eventBytes,
        gap: (dropped) => ({ type: 'EVENTS_DROPPED', dropped }),
        onEnd: () => unsubscribe(),
      });
      unsubscribe = s.subscribe((event) => {
        if (matchesSubscribeFilter(event, filter)) stream.push(event);
      });
      return stream;
    },
    'supctl.tail': (name, options, ctx) => tailProcessLog(process(name), options, ctx),
  } as ApiImplementation;
}
