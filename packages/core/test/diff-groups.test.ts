import { expect, test } from 'vitest';
import { diffGroups } from '../src/index.ts';
import { makeGroupConfig, makeProcessConfig } from './make-config.ts';

test('added, changed and removed as reread reports them; source locations do not count', () => {
  const a = makeGroupConfig([makeProcessConfig({ name: 'a' })]);
  const b = makeGroupConfig([makeProcessConfig({ name: 'b' })]);
  const c = makeGroupConfig([makeProcessConfig({ name: 'c' })]);
  const bMoved = { ...b, source: { file: 'other.conf', line: 99 } };
  const aChanged = makeGroupConfig([makeProcessConfig({ name: 'a', environment: { X: '1' } })]);
  const d = makeGroupConfig([makeProcessConfig({ name: 'd' })]);
  expect(diffGroups([a, b, c], [aChanged, bMoved, d])).toEqual({
    added: ['d'],
    changed: ['a'],
    removed: ['c'],
  });
  expect(diffGroups([a], [{ ...a, priority: 5 }])).toEqual({ added: [], changed: ['a'], removed: [] });
  expect(diffGroups([a, b], [b, a])).toEqual({ added: [], changed: [], removed: [] });
});
