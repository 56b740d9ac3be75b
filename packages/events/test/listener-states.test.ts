import { expect, test } from 'vitest';
import { EVENT_LISTENER_STATES, eventListenerStateName } from '../src/index.ts';

test('EVENT_LISTENER_STATES has Supervisor codes', () => {
  expect(EVENT_LISTENER_STATES).toEqual({ READY: 10, BUSY: 20, ACKNOWLEDGED: 30, UNKNOWN: 40 });
});

test.each([
  [10, 'READY'],
  [20, 'BUSY'],
  [30, 'ACKNOWLEDGED'],
  [40, 'UNKNOWN'],
  [0, undefined],
])('eventListenerStateName(%s) is %s', (code, name) => {
  expect(eventListenerStateName(code)).toBe(name);
});
