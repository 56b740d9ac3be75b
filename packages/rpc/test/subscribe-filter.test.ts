import type { SupervisorEvent } from '@supctl/events';
import { expect, test } from 'vitest';
import { matchesSubscribeFilter } from '../src/index.ts';

const running = (groupName: string, processName: string): SupervisorEvent => ({
  type: 'PROCESS_STATE_RUNNING',
  processName,
  groupName,
  fromState: 'STARTING',
  pid: 42,
});

test('processes match by name or by namespec (group:name, group:*), as names are given elsewhere in the API', () => {
  const web = running('site', 'web');
  const solo = running('worker', 'worker');
  expect(matchesSubscribeFilter(web, { processes: ['web'] })).toBe(true);
  expect(matchesSubscribeFilter(web, { processes: ['site:web'] })).toBe(true);
  expect(matchesSubscribeFilter(web, { processes: ['site:*'] })).toBe(true);
  expect(matchesSubscribeFilter(web, { processes: ['other:web', 'site:api', 'other:*'] })).toBe(false);
  expect(matchesSubscribeFilter(solo, { processes: ['worker:worker'] })).toBe(true);
  expect(matchesSubscribeFilter(solo, { processes: ['worker'] })).toBe(true);
  for (const nearMiss of ['sit:web', 'site:we', 'site:xweb', 'site:', 'site:**', 'sitex:*', ':web', 'site*'])
    expect(matchesSubscribeFilter(web, { processes: [nearMiss] }), nearMiss).toBe(false);
  // A one-character name: `group:*` has as many characters after the colon.
  const a = running('site', 'a');
  expect(matchesSubscribeFilter(a, { processes: ['site:*'] })).toBe(true);
  expect(matchesSubscribeFilter(a, { processes: ['site:a'] })).toBe(true);
  expect(matchesSubscribeFilter(a, { processes: ['site:b'] })).toBe(false);
  // Events that name no process pass only without a processes criterion.
  expect(matchesSubscribeFilter({ type: 'TICK_5', when: 0 }, { processes: ['site:*'] })).toBe(false);
  expect(matchesSubscribeFilter({ type: 'TICK_5', when: 0 }, {})).toBe(true);
  // Every given criterion must match.
  expect(matchesSubscribeFilter(web, { processes: ['site:*'], types: ['PROCESS_STATE'] })).toBe(true);
  expect(matchesSubscribeFilter(web, { processes: ['site:*'], types: ['TICK'] })).toBe(false);
  expect(matchesSubscribeFilter(web, { processes: ['site:*'], groups: ['other'] })).toBe(false);
});
