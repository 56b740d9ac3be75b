import { nameForCode } from './code-table.ts';

/**
 * States of the daemon itself and their codes (`supervisor.states.SupervisorStates`), as
 * `supervisor.getState` returns them in `{statecode, statename}`. FATAL is never set by 4.2.5.
 *
 * @example
 * SUPERVISOR_STATES.SHUTDOWN; // -1
 */
export const SUPERVISOR_STATES = {
  FATAL: 2,
  RUNNING: 1,
  RESTARTING: 0,
  SHUTDOWN: -1,
} as const;

/** A daemon state name: `'FATAL' | 'RUNNING' | 'RESTARTING' | 'SHUTDOWN'`. */
export type SupervisorStateName = keyof typeof SUPERVISOR_STATES;

/** A daemon state code: `2 | 1 | 0 | -1`. */
export type SupervisorStateCode = (typeof SUPERVISOR_STATES)[SupervisorStateName];

/**
 * The daemon state name for a code, or `undefined`.
 *
 * @example
 * supervisorStateName(0); // 'RESTARTING'
 */
export function supervisorStateName(code: number): SupervisorStateName | undefined {
  return nameForCode(SUPERVISOR_STATES, code);
}
