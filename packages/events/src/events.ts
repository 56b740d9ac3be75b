import type { ConcreteEventTypeName } from './event-types.ts';
import type { ProcessStateName } from './process-states.ts';

/** Facts every process-state event carries. `groupName` is `''` for a process without a group. */
interface ProcessStateEventBase<T extends ConcreteEventTypeName> {
  readonly type: T;
  readonly processName: string;
  readonly groupName: string;
  /** The state the process left. */
  readonly fromState: ProcessStateName;
}

/**
 * PROCESS_STATE_STARTING: a spawn attempt. `tries` is the failed-start count *before* this attempt
 * (0 on a fresh start, N after N BACKOFFs).
 *
 * @example
 * const e: ProcessStateStartingEvent = {
 *   type: 'PROCESS_STATE_STARTING', processName: 'cat', groupName: 'cat', fromState: 'STOPPED', tries: 0,
 * };
 */
export interface ProcessStateStartingEvent extends ProcessStateEventBase<'PROCESS_STATE_STARTING'> {
  readonly tries: number;
}

/**
 * PROCESS_STATE_BACKOFF: the spawn failed or the process exited before startsecs. `tries` is the
 * count after incrementing (1, 2, …). `fromState` is STARTING in practice.
 *
 * @example
 * const e: ProcessStateBackoffEvent = {
 *   type: 'PROCESS_STATE_BACKOFF', processName: 'q', groupName: 'q', fromState: 'STARTING', tries: 1,
 * };
 */
export interface ProcessStateBackoffEvent extends ProcessStateEventBase<'PROCESS_STATE_BACKOFF'> {
  readonly tries: number;
}

/**
 * PROCESS_STATE_RUNNING: the process outlived startsecs. `fromState` is STARTING in practice.
 *
 * @example
 * const e: ProcessStateRunningEvent = {
 *   type: 'PROCESS_STATE_RUNNING', processName: 'cat', groupName: 'cat', fromState: 'STARTING', pid: 42,
 * };
 */
export interface ProcessStateRunningEvent extends ProcessStateEventBase<'PROCESS_STATE_RUNNING'> {
  readonly pid: number;
}

/**
 * PROCESS_STATE_STOPPING: the first stop signal was sent (the SIGKILL escalation emits nothing).
 *
 * @example
 * const e: ProcessStateStoppingEvent = {
 *   type: 'PROCESS_STATE_STOPPING', processName: 'cat', groupName: 'cat', fromState: 'RUNNING', pid: 42,
 * };
 */
export interface ProcessStateStoppingEvent extends ProcessStateEventBase<'PROCESS_STATE_STOPPING'> {
  readonly pid: number;
}

/**
 * PROCESS_STATE_STOPPED: death after a stop request (`pid` of the process that died), or a stop
 * request on BACKOFF (`pid: 0`).
 *
 * @example
 * const e: ProcessStateStoppedEvent = {
 *   type: 'PROCESS_STATE_STOPPED', processName: 'q', groupName: 'q', fromState: 'BACKOFF', pid: 0,
 * };
 */
export interface ProcessStateStoppedEvent extends ProcessStateEventBase<'PROCESS_STATE_STOPPED'> {
  readonly pid: number;
}

/**
 * PROCESS_STATE_EXITED: death while RUNNING. `expected` is whether the exit code is in `exitcodes`
 * (a signal death never is).
 *
 * @example
 * const e: ProcessStateExitedEvent = {
 *   type: 'PROCESS_STATE_EXITED', processName: 'crash', groupName: 'crash', fromState: 'RUNNING',
 *   expected: false, pid: 42,
 * };
 */
export interface ProcessStateExitedEvent extends ProcessStateEventBase<'PROCESS_STATE_EXITED'> {
  readonly expected: boolean;
  readonly pid: number;
}

/**
 * PROCESS_STATE_FATAL: too many failed starts. `fromState` is BACKOFF in practice.
 *
 * @example
 * const e: ProcessStateFatalEvent = {
 *   type: 'PROCESS_STATE_FATAL', processName: 'q', groupName: 'q', fromState: 'BACKOFF',
 * };
 */
export interface ProcessStateFatalEvent extends ProcessStateEventBase<'PROCESS_STATE_FATAL'> {}

/**
 * PROCESS_STATE_UNKNOWN: signalling the process raised an unexpected OS error.
 *
 * @example
 * const e: ProcessStateUnknownEvent = {
 *   type: 'PROCESS_STATE_UNKNOWN', processName: 'p', groupName: 'p', fromState: 'RUNNING',
 * };
 */
export interface ProcessStateUnknownEvent extends ProcessStateEventBase<'PROCESS_STATE_UNKNOWN'> {}

/** Any PROCESS_STATE_* event. */
export type ProcessStateEvent =
  | ProcessStateStartingEvent
  | ProcessStateBackoffEvent
  | ProcessStateRunningEvent
  | ProcessStateStoppingEvent
  | ProcessStateStoppedEvent
  | ProcessStateExitedEvent
  | ProcessStateFatalEvent
  | ProcessStateUnknownEvent;

/**
 * PROCESS_LOG_STDOUT / PROCESS_LOG_STDERR: one pipe read of child output (only with
 * `stdout_events_enabled` / `stderr_events_enabled`). `data` is the chunk decoded as UTF-8, or
 * `Undecodable: b'…'` when it is not valid UTF-8 (see `decodeEventData`). The channel is the type.
 *
 * @example
 * const e: ProcessLogEvent = {
 *   type: 'PROCESS_LOG_STDOUT', processName: 'cat', groupName: 'cat', pid: 42, data: 'hello\n',
 * };
 */
export interface ProcessLogEvent {
  readonly type: 'PROCESS_LOG_STDOUT' | 'PROCESS_LOG_STDERR';
  readonly processName: string;
  readonly groupName: string;
  readonly pid: number;
  readonly data: string;
}

/**
 * PROCESS_COMMUNICATION_STDOUT / _STDERR: the text a program wrote between
 * `<!--XSUPERVISOR:BEGIN-->` and `<!--XSUPERVISOR:END-->` (capture mode), decoded like
 * {@link ProcessLogEvent.data}.
 *
 * @example
 * const e: ProcessCommunicationEvent = {
 *   type: 'PROCESS_COMMUNICATION_STDOUT', processName: 'comm', groupName: 'comm', pid: 42, data: 'state=42',
 * };
 */
export interface ProcessCommunicationEvent {
  readonly type: 'PROCESS_COMMUNICATION_STDOUT' | 'PROCESS_COMMUNICATION_STDERR';
  readonly processName: string;
  readonly groupName: string;
  readonly pid: number;
  readonly data: string;
}

/**
 * REMOTE_COMMUNICATION: sent by `supervisor.sendRemoteCommEvent(type, data)`. Supervisor calls the
 * first argument `type`; here it is `commType`, since `type` names the event.
 *
 * @example
 * const e: RemoteCommunicationEvent = { type: 'REMOTE_COMMUNICATION', commType: 'mytype', data: 'hello' };
 */
export interface RemoteCommunicationEvent {
  readonly type: 'REMOTE_COMMUNICATION';
  readonly commType: string;
  readonly data: string;
}

/**
 * SUPERVISOR_STATE_CHANGE_RUNNING (main loop started) or _STOPPING (shutdown or restart began).
 * Carries nothing; the payload is empty.
 *
 * @example
 * const e: SupervisorStateChangeEvent = { type: 'SUPERVISOR_STATE_CHANGE_RUNNING' };
 */
export interface SupervisorStateChangeEvent {
  readonly type: 'SUPERVISOR_STATE_CHANGE_RUNNING' | 'SUPERVISOR_STATE_CHANGE_STOPPING';
}

/**
 * TICK_5 / TICK_60 / TICK_3600. `when` is epoch seconds rounded down to the period
 * (see {@link tickWhen}).
 *
 * @example
 * const e: TickEvent = { type: 'TICK_5', when: 1795497550 };
 */
export interface TickEvent {
  readonly type: 'TICK_5' | 'TICK_60' | 'TICK_3600';
  readonly when: number;
}

/**
 * PROCESS_GROUP_ADDED / PROCESS_GROUP_REMOVED.
 *
 * @example
 * const e: ProcessGroupEvent = { type: 'PROCESS_GROUP_ADDED', groupName: 'web' };
 */
export interface ProcessGroupEvent {
  readonly type: 'PROCESS_GROUP_ADDED' | 'PROCESS_GROUP_REMOVED';
  readonly groupName: string;
}

/**
 * Any event supervisord emits: a union discriminated on `type`, one member per concrete event
 * type of {@link EVENT_TYPES}.
 *
 * @example
 * function describe(event: SupervisorEvent): string {
 *   return event.type === 'PROCESS_STATE_EXITED' ? `${event.processName} exited` : event.type;
 * }
 */
export type SupervisorEvent =
  | ProcessStateEvent
  | ProcessLogEvent
  | ProcessCommunicationEvent
  | RemoteCommunicationEvent
  | SupervisorStateChangeEvent
  | TickEvent
  | ProcessGroupEvent;

/**
 * The member of {@link SupervisorEvent} whose `type` is `T`.
 *
 * @example
 * type Exited = EventOfType<'PROCESS_STATE_EXITED'>; // ProcessStateExitedEvent
 */
export type EventOfType<T extends ConcreteEventTypeName> = Extract<SupervisorEvent, { readonly type: T }>;

/** The PROCESS_STATE_* type announcing that a process entered `State`. */
export type ProcessStateEventType<State extends ProcessStateName = ProcessStateName> =
  `PROCESS_STATE_${State}`;

/**
 * The event type emitted when a process enters `state`.
 *
 * @example
 * processStateEventType('EXITED'); // 'PROCESS_STATE_EXITED'
 */
export function processStateEventType<State extends ProcessStateName>(
  state: State,
): ProcessStateEventType<State> {
  return `PROCESS_STATE_${state}`;
}

/**
 * The period in seconds of each TICK_* event.
 *
 * @example
 * TICK_PERIODS.TICK_60; // 60
 */
export const TICK_PERIODS = { TICK_5: 5, TICK_60: 60, TICK_3600: 3600 } as const;

/**
 * The `when` of a tick: the start of the period that contains `epochMs`, in whole epoch seconds
 * (`floor(now / N) * N`). supervisord emits a TICK_N when this value changes between two passes of
 * its main loop (the first pass only records it).
 *
 * @example
 * tickWhen('TICK_5', 1_795_497_553_250); // 1795497550
 */
export function tickWhen(type: TickEvent['type'], epochMs: number): number {
  const period = TICK_PERIODS[type];
  return Math.floor(epochMs / (period * 1000)) * period;
}
