import { expect, test } from 'vitest';
import { SUPERVISOR_STATES, supervisorStateName } from '../src/index.ts';

test('SUPERVISOR_STATES has Supervisor codes', () => {
  expect(SUPERVISOR_STATES).toEqual({ FATAL: 2, RUNNING: 1, RESTARTING: 0, SHUTDOWN: -1 });
});

test.each([
  [2, 'FATAL'],
  [1, 'RUNNING'],
  [0, 'RESTARTING'],
  [-1, 'SHUTDOWN'],
  [3, undefined],
])('supervisorStateName(%s) is %s', (code, name) => {
  expect(supervisorStateName(code)).toBe(name);
});
