import { describe, expect, test } from 'vitest';
import { parseForm } from '../../src/dashboard/form.ts';
import {
  actionsFor,
  formatUptime,
  groupProcesses,
  namespec,
  stateClass,
  uptimeSeconds,
} from '../../src/dashboard/format.ts';
import { info } from './process-info.ts';

describe('formatUptime', () => {
  test.each([
    [0, '0:00:00'],
    [65, '0:01:05'],
    [3600 * 5 + 7, '5:00:07'],
    [86400, '1 day, 0:00:00'],
    [86400 * 3 + 3723, '3 days, 1:02:03'],
    [-5, '0:00:00'],
  ])('%d s → %s', (seconds, text) => {
    expect(formatUptime(seconds)).toBe(text);
  });
});

test('uptimeSeconds only for RUNNING', () => {
  expect(uptimeSeconds(info({ statename: 'RUNNING', start: 100, now: 160 }))).toBe(60);
  expect(uptimeSeconds(info({ statename: 'STOPPED', start: 100, now: 160 }))).toBeUndefined();
});

test('namespec drops the group of a lone program', () => {
  expect(namespec({ group: 'web', name: 'web' })).toBe('web');
  expect(namespec({ group: 'web', name: 'web_0' })).toBe('web:web_0');
});

test.each([
  ['RUNNING', 'statusrunning', ['restart', 'stop', 'clearlog']],
  ['STARTING', 'statusnominal', ['stop', 'clearlog']],
  ['BACKOFF', 'statuserror', ['stop', 'clearlog']],
  ['STOPPING', 'statusnominal', ['clearlog']],
  ['STOPPED', 'statusnominal', ['start', 'clearlog']],
  ['EXITED', 'statusnominal', ['start', 'clearlog']],
  ['FATAL', 'statuserror', ['start', 'clearlog']],
  ['UNKNOWN', 'statusnominal', ['clearlog']],
])('%s: class %s, buttons %j', (state, cls, actions) => {
  expect(stateClass(state)).toBe(cls);
  expect(actionsFor(state)).toEqual(actions);
});

test('groupProcesses sorts by group, then name', () => {
  const groups = groupProcesses([
    info({ group: 'web', name: 'web_1' }),
    info({ group: 'db', name: 'db' }),
    info({ group: 'web', name: 'web_0' }),
  ]);
  expect(groups.map(([group, list]) => [group, list.map((p) => p.name)])).toEqual([
    ['db', ['db']],
    ['web', ['web_0', 'web_1']],
  ]);
});

describe('parseForm (Supervisor precedence)', () => {
  test('first value wins in the query, last in the body, the body wins over the query', () => {
    const form = parseForm('action=stop&action=start&processname=a&x=1', 'processname=b&processname=c+d');
    expect(Object.fromEntries(form)).toEqual({ action: 'stop', processname: 'c d', x: '1' });
  });

  test('percent-decoding', () => {
    expect(parseForm('processname=g%3Aa%20b', undefined).get('processname')).toBe('g:a b');
  });
});
