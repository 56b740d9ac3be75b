import { expect, test } from 'vitest';
import { describeExit, describeProcess, formatStopTime, formatUptime } from '../src/index.ts';

test.each([
  [0, '0:00:00'],
  [5, '0:00:05'],
  [62, '0:01:02'],
  [45_296, '12:34:56'],
  [86_405, '1 day, 0:00:05'],
  [3 * 86_400 + 3723, '3 days, 1:02:03'],
  [-5, '0:00:00'],
])('formatUptime(%i) = %s', (seconds, text) => {
  expect(formatUptime(seconds)).toBe(text);
});

test.each([
  [new Date(2026, 10, 24, 5, 9), 'Nov 24 05:09 AM'],
  [new Date(2026, 0, 2, 0, 0), 'Jan 02 12:00 AM'],
  [new Date(2026, 6, 4, 12, 30), 'Jul 04 12:30 PM'],
  [new Date(2026, 11, 31, 23, 59), 'Dec 31 11:59 PM'],
])('formatStopTime(%s) = %s', (date, text) => {
  expect(formatStopTime(date)).toBe(text);
});

test('exit descriptions', () => {
  expect(describeExit(3, null)).toBe('exit status 3');
  expect(describeExit(null, 'SIGTERM')).toBe('terminated by SIGTERM');
  expect(describeExit(null, 1)).toBe('terminated by SIGHUP');
  // supervisord's signame: Python's signal module names no real-time signal past SIGRTMIN.
  expect(describeExit(null, 35)).toBe('terminated by signal 35');
});

test('descriptions by state', () => {
  const base = { name: 'web', pid: 42, startMs: 1_000, stopMs: 0, spawnerr: '', nowMs: 63_999 };
  expect(describeProcess({ ...base, state: 'RUNNING' })).toBe('pid 42, uptime 0:01:02');
  expect(describeProcess({ ...base, state: 'RUNNING', nowMs: 0 })).toBe('pid 42, uptime 0:00:00');
  expect(describeProcess({ ...base, state: 'BACKOFF' })).toBe('unknown error (try "tail web")');
  expect(describeProcess({ ...base, state: 'FATAL', spawnerr: "can't find command 'x'" })).toBe(
    "can't find command 'x'",
  );
  expect(describeProcess({ ...base, state: 'STOPPED', startMs: 0 })).toBe('Not started');
  const stop = new Date(2026, 10, 24, 17, 9).getTime();
  expect(describeProcess({ ...base, state: 'EXITED', stopMs: stop })).toBe('Nov 24 05:09 PM');
  for (const state of ['STARTING', 'STOPPING', 'UNKNOWN'] as const) {
    expect(describeProcess({ ...base, state })).toBe('');
  }
});
