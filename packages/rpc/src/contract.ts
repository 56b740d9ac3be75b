import type {
  ConcreteEventTypeName,
  EVENT_TYPES,
  EventTypeName,
  ProcessStateCode,
  ProcessStateName,
  SupervisorEvent,
  SupervisorStateCode,
  SupervisorStateName,
} from '@supctl/events';
import type { FaultStruct } from './faults.ts';

/** `supervisor.getState()`: the daemon's state. */
export interface StateInfo {
  statecode: SupervisorStateCode;
  statename: SupervisorStateName;
}

/**
 * `supervisor.getProcessInfo()`: Supervisor's struct, keys in Supervisor's order. Times are epoch
 * seconds (0 = never); `exitstatus` is -1 after a signal death.
 */
export interface ProcessInfo {
  name: string;
  group: string;
  start: number;
  stop: number;
  now: number;
  state: ProcessStateCode;
  statename: ProcessStateName;
  spawnerr: string;
  exitstatus: number;
  logfile: string;
  stdout_logfile: string;
  stderr_logfile: string;
  pid: number;
  description: string;
}

/**
 * One entry of the array that group and "all" methods return: `status` is 80 (SUCCESS) with
 * `description: 'OK'`, or a fault code with the full fault string.
 */
export interface ProcessStatusResult {
  name: string;
  group: string;
  status: number;
  description: string;
}

/** `supervisor.getAllConfigInfo()`: one struct per process config (Supervisor 4.2.5's 29 keys). */
export interface ConfigInfo {
  name: string;
  group: string;
  group_prio: number;
  process_prio: number;
  inuse: boolean;
  command: string;
  /** A path, or `'none'`. */
  directory: string;
  /** A uid, or `'none'`. */
  uid: number | 'none';
  autostart: boolean;
  exitcodes: number[];
  startsecs: number;
  startretries: number;
  stopwaitsecs: number;
  stopsignal: number;
  killasgroup: boolean;
  redirect_stderr: boolean;
  /** A URL, or `'none'`. */
  serverurl: string;
  /** A path, `'auto'` (not created yet) or `'none'`. */
  stdout_logfile: string;
  stderr_logfile: string;
  stdout_logfile_maxbytes: number;
  stderr_logfile_maxbytes: number;
  stdout_logfile_backups: number;
  stderr_logfile_backups: number;
  stdout_capture_maxbytes: number;
  stderr_capture_maxbytes: number;
  stdout_events_enabled: boolean;
  stderr_events_enabled: boolean;
  stdout_syslog: boolean;
  stderr_syslog: boolean;
}

/** `tailProcess*Log()`: `[text, newOffset, overflow]`; `newOffset` is always the file size. */
export type TailResult = [text: string, offset: number, overflow: boolean];

/** `reloadConfig()`: group names, wrapped in one more array as Supervisor does. */
export type ReloadResult = [[added: string[], changed: string[], removed: string[]]];

/** One call of `system.multicall`; a missing `params` means `[]`. */
export interface MulticallCall {
  methodName: string;
  params?: unknown[];
}

/** A multicall slot: the bare result of that call, or its fault as a struct. */
export type MulticallResult = unknown | FaultStruct;

/**
 * The Supervisor API, keyed by Supervisor's method names (aliases included), each with its typed
 * parameters and result. Both transports speak it: XML-RPC at `/RPC2` and the native protocol.
 *
 * @example
 * type Info = SupervisorMethods['supervisor.getProcessInfo']['result']; // ProcessInfo
 */
export interface SupervisorMethods {
  'supervisor.getAPIVersion': { params: []; result: string };
  'supervisor.getVersion': { params: []; result: string };
  'supervisor.getSupervisorVersion': { params: []; result: string };
  'supervisor.getIdentification': { params: []; result: string };
  'supervisor.getState': { params: []; result: StateInfo };
  'supervisor.getPID': { params: []; result: number };
  'supervisor.readLog': { params: [offset: number, length: number]; result: string };
  'supervisor.readMainLog': { params: [offset: number, length: number]; result: string };
  'supervisor.clearLog': { params: []; result: boolean };
  'supervisor.shutdown': { params: []; result: boolean };
  'supervisor.restart': { params: []; result: boolean };
  'supervisor.reloadConfig': { params: []; result: ReloadResult };
  'supervisor.addProcessGroup': { params: [name: string]; result: boolean };
  'supervisor.removeProcessGroup': { params: [name: string]; result: boolean };
  /** `true`, or a results array when `name` is `group:*`. */
  'supervisor.startProcess': {
    params: [name: string, wait?: boolean];
    result: boolean | ProcessStatusResult[];
  };
  'supervisor.startProcessGroup': { params: [name: string, wait?: boolean]; result: ProcessStatusResult[] };
  'supervisor.startAllProcesses': { params: [wait?: boolean]; result: ProcessStatusResult[] };
  /** `true`, or a results array when `name` is `group:*`. */
  'supervisor.stopProcess': {
    params: [name: string, wait?: boolean];
    result: boolean | ProcessStatusResult[];
  };
  'supervisor.stopProcessGroup': { params: [name: string, wait?: boolean]; result: ProcessStatusResult[] };
  'supervisor.stopAllProcesses': { params: [wait?: boolean]; result: ProcessStatusResult[] };
  /** `signal` is a name (`HUP`, `SIGHUP`, `hup`) or a number. */
  'supervisor.signalProcess': {
    params: [name: string, signal: string | number];
    result: boolean | ProcessStatusResult[];
  };
  'supervisor.signalProcessGroup': {
    params: [name: string, signal: string | number];
    result: ProcessStatusResult[];
  };
  'supervisor.signalAllProcesses': { params: [signal: string | number]; result: ProcessStatusResult[] };
  'supervisor.getProcessInfo': { params: [name: string]; result: ProcessInfo };
  'supervisor.getAllProcessInfo': { params: []; result: ProcessInfo[] };
  'supervisor.getAllConfigInfo': { params: []; result: ConfigInfo[] };
  'supervisor.readProcessStdoutLog': {
    params: [name: string, offset: number, length: number];
    result: string;
  };
  'supervisor.readProcessLog': { params: [name: string, offset: number, length: number]; result: string };
  'supervisor.readProcessStderrLog': {
    params: [name: string, offset: number, length: number];
    result: string;
  };
  'supervisor.tailProcessStdoutLog': {
    params: [name: string, offset: number, length: number];
    result: TailResult;
  };
  'supervisor.tailProcessLog': { params: [name: string, offset: number, length: number]; result: TailResult };
  'supervisor.tailProcessStderrLog': {
    params: [name: string, offset: number, length: number];
    result: TailResult;
  };
  'supervisor.clearProcessLogs': { params: [name: string]; result: boolean };
  'supervisor.clearProcessLog': { params: [name: string]; result: boolean };
  'supervisor.clearAllProcessLogs': { params: []; result: ProcessStatusResult[] };
  'supervisor.sendProcessStdin': { params: [name: string, chars: string]; result: boolean };
  'supervisor.sendRemoteCommEvent': { params: [type: string, data: string]; result: boolean };
  'system.listMethods': { params: []; result: string[] };
  'system.methodHelp': { params: [name: string]; result: string };
  'system.methodSignature': { params: [name: string]; result: string[] };
  'system.multicall': { params: [calls: MulticallCall[]]; result: MulticallResult[] };
}

/** What `supctl.subscribe` delivers. Every given criterion must match; an empty filter matches all. */
export interface SubscribeFilter {
  /** Event types, abstract ones included (`PROCESS_STATE` means every PROCESS_STATE_*). */
  types?: readonly EventTypeName[];
  /**
   * Process names or namespecs (`web`, `site:web`, `site:*`); events that name no process
   * (TICK_*, …) pass only when this is absent.
   */
  processes?: readonly string[];
  /** Group names; events that name no group pass only when this is absent. */
  groups?: readonly string[];
}

/** Options of `supctl.tail`. */
export interface TailOptions {
  /** @default 'stdout' */
  channel?: 'stdout' | 'stderr';
  /** Keep the stream open and deliver what the process writes next. @default true */
  follow?: boolean;
  /**
   * Byte offset to start at; a negative number starts that many bytes before the end (as
   * `readProcessStdoutLog`'s negative offset). @default -1600 (supervisorctl tail's 1600 bytes)
   */
  offset?: number;
}

/**
 * One piece of a log delivered by `supctl.tail`. Pieces are sized to fit the client's
 * `maxFrameBytes`, so the first read and large writes arrive as several pieces.
 */
export interface LogChunk {
  /**
   * Text, decoded as UTF-8, never split inside a character: the first bytes of a character wait
   * for the rest, and a first read that starts inside one starts at its first byte. Bytes that are
   * not UTF-8 arrive as U+FFFD, as a reader of the file would see them.
   */
  data: string;
  /**
   * Where to resume: the byte offset just after this chunk's last byte in the log file as it is
   * now (bytes held back for an unfinished character are not counted). After a rotation (`stdout_logfile_maxbytes`) or a clear it counts in the new file: a chunk
   * that fills the file to its limit ends at 0, the next one at its own length.
   */
  offset: number;
}

/**
 * Delivered by `supctl.subscribe` where events were lost: a subscriber that stops reading (or
 * reads too slowly) has a bounded amount held for it on the server, and past it the oldest events
 * are dropped. This item stands where they were, before the oldest event still delivered. What
 * they said is gone: a front end that mirrors state should read it again (`getAllProcessInfo`).
 * Two may come in a row, when more were dropped before the reader took the event after the first.
 *
 * @example
 * for await (const event of client.subscribe({ types: ['PROCESS_STATE'] })) {
 *   if (event.type === 'EVENTS_DROPPED') await refreshAll();
 *   else update(event);
 * }
 */
export interface EventsDropped {
  readonly type: 'EVENTS_DROPPED';
  /** How many events were dropped at this point of the stream. */
  readonly dropped: number;
}

/**
 * Native-only streaming methods (not in XML-RPC): each answers with a stream of `item`s.
 *
 * @example
 * for await (const event of client.subscribe({ types: ['PROCESS_STATE'] })) console.log(event.type);
 */
export interface StreamMethods {
  'supctl.subscribe': { params: [filter?: SubscribeFilter]; item: SupervisorEvent | EventsDropped };
  'supctl.tail': { params: [name: string, options?: TailOptions]; item: LogChunk };
}

/** Every request/response method: `'supervisor.getState'`, …, `'system.multicall'`. */
export type MethodName = keyof SupervisorMethods;
/** The parameter tuple of a method, optional arguments included. */
export type MethodParams<M extends MethodName> = SupervisorMethods[M]['params'];
/** The result of a method. */
export type MethodResult<M extends MethodName> = SupervisorMethods[M]['result'];
/** `'supctl.subscribe' | 'supctl.tail'`. */
export type StreamMethodName = keyof StreamMethods;
/** The parameter tuple of a stream method. */
export type StreamParams<M extends StreamMethodName> = StreamMethods[M]['params'];
/** What a stream method yields. */
export type StreamItem<M extends StreamMethodName> = StreamMethods[M]['item'];

/** Methods that are the same function under another name (Supervisor keeps both). */
export const METHOD_ALIASES = {
  'supervisor.getVersion': 'supervisor.getAPIVersion',
  'supervisor.readMainLog': 'supervisor.readLog',
  'supervisor.readProcessLog': 'supervisor.readProcessStdoutLog',
  'supervisor.tailProcessLog': 'supervisor.tailProcessStdoutLog',
  'supervisor.clearProcessLog': 'supervisor.clearProcessLogs',
} as const satisfies Partial<Record<MethodName, MethodName>>;

/** Methods the transport layer answers itself from the method table. */
type BuiltinMethodName = 'system.listMethods' | 'system.methodSignature' | 'system.multicall';

/** Methods an API implementation provides (aliases and built-ins excluded; methodHelp optional). */
export type ImplementedMethodName = Exclude<
  MethodName,
  keyof typeof METHOD_ALIASES | BuiltinMethodName | 'system.methodHelp'
>;

/** Passed last to a stream handler: `signal` aborts when the client cancels or disconnects. */
export interface StreamContext {
  readonly signal: AbortSignal;
  /**
   * The largest frame the client accepts, in bytes, where the transport has frames (the native
   * protocol): an item that encodes larger fails the stream, so split large items to fit.
   */
  readonly maxFrameBytes?: number;
}

/**
 * The one object that implements the API, served by both transports (apps/supd builds it over
 * @supctl/core). Plain functions keyed by method name; optional arguments arrive with their
 * defaults filled in (`wait` = true). Throw a {@link Fault} for an API error. Stream handlers return
 * an async iterable and should register their subscriber before their first `await`, so that a call
 * sent after the subscribe request sees its events.
 *
 * @example
 * const api: ApiImplementation = {
 *   'supervisor.getState': async () => ({ statecode: 1, statename: 'RUNNING' }),
 *   // …every other method…
 * };
 */
export type ApiImplementation = {
  [M in ImplementedMethodName]: (
    ...params: Required<MethodParams<M>>
  ) => Promise<MethodResult<M>> | MethodResult<M>;
} & {
  /** Supervisor's doc text for a method; without it the method table's summary is returned. */
  'system.methodHelp'?: (name: string) => Promise<string> | string;
} & {
  [M in StreamMethodName]: (
    ...args: [...Required<StreamParams<M>>, StreamContext]
  ) => AsyncIterable<StreamItem<M>>;
};

type EventTypeTable = typeof EVENT_TYPES;
type ParentOf<T> = T extends EventTypeName ? EventTypeTable[T]['parent'] : never;
type SelfAndAncestors<T extends EventTypeName> = T | ParentOf<T> | ParentOf<ParentOf<T>>;

/**
 * The concrete event types a subscription to `T` receives (`'PROCESS_STATE'` → every
 * `PROCESS_STATE_*`).
 */
export type ConcreteTypesOf<T extends EventTypeName> = {
  [C in ConcreteEventTypeName]: [Extract<SelfAndAncestors<C>, T>] extends [never] ? never : C;
}[ConcreteEventTypeName];

/**
 * The events a filter with `types: T[]` delivers.
 *
 * @example
 * type E = EventsOfTypes<'PROCESS_STATE'>; // ProcessStateEvent
 */
export type EventsOfTypes<T extends EventTypeName> = EventByType[ConcreteTypesOf<T>];

// Precomputed (not generic), so indexing it with a generic union stays exact. A member whose `type`
// is a union (TickEvent: TICK_5 | TICK_60 | TICK_3600) belongs to each of its types.
type EventByType = { [C in ConcreteEventTypeName]: MemberWithType<SupervisorEvent, C> };
type MemberWithType<E, C> = E extends { readonly type: infer K } ? (C extends K ? E : never) : never;
