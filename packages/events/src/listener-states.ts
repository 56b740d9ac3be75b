import { nameForCode } from './code-table.ts';

/**
 * Event-listener protocol states and their codes (`supervisor.states.EventListenerStates`).
 * A listener starts ACKNOWLEDGED, becomes READY when it writes `READY\n`, BUSY when an event is
 * written to it, ACKNOWLEDGED again after its result, and UNKNOWN (for good, until it is restarted)
 * when it breaks the protocol.
 *
 * @example
 * EVENT_LISTENER_STATES.BUSY; // 20
 */
export const EVENT_LISTENER_STATES = {
  READY: 10,
  BUSY: 20,
  ACKNOWLEDGED: 30,
  UNKNOWN: 40,
} as const;

/** A listener state name: `'READY' | 'BUSY' | 'ACKNOWLEDGED' | 'UNKNOWN'`. */
export type EventListenerStateName = keyof typeof EVENT_LISTENER_STATES;

/** A listener state code: `10 | 20 | 30 | 40`. */
export type EventListenerStateCode = (typeof EVENT_LISTENER_STATES)[EventListenerStateName];

/**
 * The listener state name for a code, or `undefined`.
 *
 * @example
 * eventListenerStateName(30); // 'ACKNOWLEDGED'
 */
export function eventListenerStateName(code: number): EventListenerStateName | undefined {
  return nameForCode(EVENT_LISTENER_STATES, code);
}
