import { describe, expect, test } from 'vitest';
import {
  isProcessStateName,
  isRunningState,
  isSignallableState,
  isStoppedState,
  PROCESS_STATE_NAMES,
  PROCESS_STATES,
  type ProcessStateName,
  processStateName,
} from '../src/index.ts';

describe('PROCESS_STATES', () => {
  test('has Supervisor codes', () => {
    expect(PROCESS_STATES).toEqual({
      STOPPED: 0,
      STARTING: 10,
      RUNNING: 20,
      BACKOFF: 30,
      STOPPING: 40,
      EXITED: 100,
      FATAL: 200,
      UNKNOWN: 1000,
    });
    expect(PROCESS_STATE_NAMES).toEqual(Object.keys(PROCESS_STATES));
  });

  // spec config-and-processes.md 5.1: stopped / running / signallable columns.
  test.each<[ProcessStateName, boolean, boolean, boolean]>([
    ['STOPPED', true, false, false],
    ['STARTING', false, true, true],
    ['RUNNING', false, true, true],
    ['BACKOFF', false, true, false],
    ['STOPPING', false, false, true],
    ['EXITED', true, false, false],
    ['FATAL', true, false, false],
    ['UNKNOWN', true, false, false],
  ])('%s: stopped=%s running=%s signallable=%s', (state, stopped, running, signallable) => {
    expect(isStoppedState(state)).toBe(stopped);
    expect(isRunningState(state)).toBe(running);
    expect(isSignallableState(state)).toBe(signallable);
  });

  test.each(Object.entries(PROCESS_STATES))('processStateName(%s code) round-trips', (name, code) => {
    expect(processStateName(code)).toBe(name);
    expect(isProcessStateName(name)).toBe(true);
  });

  test.each([-1, 1, 21, 999, Number.NaN])('processStateName(%s) is undefined', (code) => {
    expect(processStateName(code)).toBeUndefined();
  });

  test.each(['running', 'Running', 'toString', '__proto__', ''])(
    'isProcessStateName(%j) is false',
    (name) => {
      expect(isProcessStateName(name)).toBe(false);
    },
  );
});
