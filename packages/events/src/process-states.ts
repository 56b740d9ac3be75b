import { nameForCode } from './code-table.ts';

/**
 * Process states and Supervisor's numeric codes (`supervisor.states.ProcessStates`), as
 * `getProcessInfo` reports them in `state` and `statename`.
 *
 * @example
 * PROCESS_STATES.RUNNING; // 20
 */
export const PROCESS_STATES = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;

/** A process state name: `'STOPPED' | 'STARTING' | … | 'UNKNOWN'`. */
export type ProcessStateName = keyof typeof PROCESS_STATES;

/** A process state code: `0 | 10 | 20 | 30 | 40 | 100 | 200 | 1000`. */
export type ProcessStateCode = (typeof PROCESS_STATES)[ProcessStateName];

/**
 * Every process state name, in code order.
 *
 * @example
 * PROCESS_STATE_NAMES.includes('BACKOFF'); // true
 */
export const PROCESS_STATE_NAMES: readonly ProcessStateName[] = Object.freeze(
  Object.keys(PROCESS_STATES) as ProcessStateName[],
);

/**
 * States that count as "stopped" (Supervisor's `STOPPED_STATES`): `start` may act on them and
 * `supervisorctl status` exits 3 when one is listed.
 *
 * @example
 * STOPPED_STATES; // ['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN']
 */
export const STOPPED_STATES = Object.freeze(['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'] as const);

/**
 * States that count as "running" (Supervisor's `RUNNING_STATES`): `start` on them faults
 * ALREADY_STARTED. BACKOFF is one of them.
 *
 * @example
 * RUNNING_STATES; // ['STARTING', 'RUNNING', 'BACKOFF']
 */
export const RUNNING_STATES = Object.freeze(['STARTING', 'RUNNING', 'BACKOFF'] as const);

/**
 * States in which a process has a live pid that `signalProcess` may signal (Supervisor's
 * `SIGNALLABLE_STATES`).
 *
 * @example
 * SIGNALLABLE_STATES; // ['STARTING', 'RUNNING', 'STOPPING']
 */
export const SIGNALLABLE_STATES = Object.freeze(['STARTING', 'RUNNING', 'STOPPING'] as const);

/** A state in {@link STOPPED_STATES}. */
export type StoppedStateName = (typeof STOPPED_STATES)[number];
/** A state in {@link RUNNING_STATES}. */
export type RunningStateName = (typeof RUNNING_STATES)[number];
/** A state in {@link SIGNALLABLE_STATES}. */
export type SignallableStateName = (typeof SIGNALLABLE_STATES)[number];

/**
 * Whether `state` counts as stopped: STOPPED, EXITED, FATAL or UNKNOWN.
 *
 * @example
 * isStoppedState('EXITED'); // true
 * isStoppedState('STOPPING'); // false (neither stopped nor running)
 */
export function isStoppedState(state: ProcessStateName): state is StoppedStateName {
  return (STOPPED_STATES as readonly string[]).includes(state);
}

/**
 * Whether `state` counts as running: STARTING, RUNNING or BACKOFF.
 *
 * @example
 * isRunningState('BACKOFF'); // true
 */
export function isRunningState(state: ProcessStateName): state is RunningStateName {
  return (RUNNING_STATES as readonly string[]).includes(state);
}

/**
 * Whether a process in `state` can be signalled: STARTING, RUNNING or STOPPING.
 *
 * @example
 * isSignallableState('BACKOFF'); // false (no pid)
 */
export function isSignallableState(state: ProcessStateName): state is SignallableStateName {
  return (SIGNALLABLE_STATES as readonly string[]).includes(state);
}

/**
 * Whether `name` is a process state name, spelled exactly (uppercase).
 *
 * @example
 * isProcessStateName('RUNNING'); // true
 * isProcessStateName('running'); // false
 */
export function isProcessStateName(name: string): name is ProcessStateName {
  return Object.hasOwn(PROCESS_STATES, name);
}

/**
 * The state name for a Supervisor code, or `undefined` for a number that is not one.
 *
 * @example
 * processStateName(30); // 'BACKOFF'
 * processStateName(31); // undefined
 */
export function processStateName(code: number): ProcessStateName | undefined {
  return nameForCode(PROCESS_STATES, code);
}
