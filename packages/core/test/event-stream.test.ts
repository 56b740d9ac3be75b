import type { SupervisorEvent } from '@supctl/events';
import { fixtureCommand } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { compileEventFilter, type WatchItem } from '../src/index.ts';
import { startHarness } from './helpers.ts';
import { makeGroupConfig, makeProcessConfig } from './make-config.ts';

const sleeper = (name: string) =>
  makeProcessConfig({ name, command: fixtureCommand('sleep-forever'), startSecs: 0, autostart: false });

const state = (type: string, processName: string, groupName = processName) =>
  ({ type, processName, groupName, fromState: 'STOPPED', tries: 0 }) as SupervisorEvent;

test.each([
  [{}, state('PROCESS_STATE_STARTING', 'a'), true],
  [{ types: ['PROCESS_STATE'] }, state('PROCESS_STATE_STARTING', 'a'), true],
  [{ types: ['PROCESS_STATE_RUNNING'] }, state('PROCESS_STATE_STARTING', 'a'), false],
  [{ types: ['TICK'] }, { type: 'TICK_60', when: 60 }, true],
  [{ processes: ['a'] }, state('PROCESS_STATE_STARTING', 'a'), true],
  [{ processes: ['a'] }, state('PROCESS_STATE_STARTING', 'a', 'g'), false],
  [{ processes: ['g:a'] }, state('PROCESS_STATE_STARTING', 'a', 'g'), true],
  [{ processes: ['g:a'] }, { type: 'TICK_5', when: 5 }, false],
  [{ groups: ['g'] }, state('PROCESS_STATE_STARTING', 'b', 'g'), true],
  [{ groups: ['g'] }, { type: 'PROCESS_GROUP_ADDED', groupName: 'g' }, true],
  [{ groups: ['g'], processes: ['x'] }, state('PROCESS_STATE_STARTING', 'x'), true],
  [{ groups: ['g'], types: ['PROCESS_LOG'] }, { type: 'PROCESS_GROUP_ADDED', groupName: 'g' }, false],
] as const)('filter %j on %j → %s', (filter, event, expected) => {
  expect(compileEventFilter(filter)(event as SupervisorEvent)).toBe(expected);
});

test('a bad type name is a TypeError that suggests the spelling', () => {
  expect(() => compileEventFilter({ types: ['process_state' as never] })).toThrow(
    /Unknown event type `process_state` in the watch filter; did you mean `PROCESS_STATE`\?/,
  );
});

test('watch yields a snapshot of the matching processes, then their events, until aborted', async () => {
  await using h = await startHarness([
    makeGroupConfig([sleeper('a1'), sleeper('a2')], { name: 'a' }),
    makeGroupConfig([sleeper('b')]),
  ]);
  const controller = new AbortController();
  const stream = h.supervisor.watch({ types: ['PROCESS_STATE'], groups: ['a'], signal: controller.signal });
  await h.supervisor.getProcess('b').start();
  await h.supervisor.getProcess('a:a1').start();
  const items: WatchItem[] = [];
  for await (const item of stream) {
    items.push(item);
    if (item.kind === 'event' && item.event.type === 'PROCESS_STATE_RUNNING') controller.abort();
  }
  const [snapshot, ...rest] = items;
  expect(
    snapshot?.kind === 'snapshot' && snapshot.processes.map((p) => `${p.group}:${p.name} ${p.state}`),
  ).toEqual(['a:a1 STOPPED', 'a:a2 STOPPED']);
  expect(snapshot?.kind === 'snapshot' && snapshot.state).toBe('RUNNING');
  expect(
    rest.map((i) =>
      i.kind === 'event' && 'processName' in i.event ? `${i.event.type} ${i.event.processName}` : '',
    ),
  ).toEqual(['PROCESS_STATE_STARTING a1', 'PROCESS_STATE_RUNNING a1']);
});

test('breaking out of the loop unsubscribes; a consumer that falls too far behind gets an error', async () => {
  await using h = await startHarness([sleeper('x')]);
  {
    await using stream = h.supervisor.watch({ types: ['REMOTE_COMMUNICATION'] });
    const first = (await stream.next()).value as WatchItem;
    expect(first.kind === 'snapshot' && first.processes.map((info) => info.name)).toEqual(['x']);
  }
  const slow = h.supervisor.watch({ types: ['REMOTE_COMMUNICATION'], highWaterMark: 2 });
  for (let i = 0; i < 3; i++)
    h.supervisor.notify({ type: 'REMOTE_COMMUNICATION', commType: 't', data: String(i) });
  const seen: string[] = [];
  await expect(
    (async () => {
      for await (const item of slow) if (item.kind === 'event') seen.push(item.event.type);
    })(),
  ).rejects.toThrow('FAILED: watch stream overflowed: more than 2 events waited for the consumer');
  expect(seen).toEqual(['REMOTE_COMMUNICATION', 'REMOTE_COMMUNICATION']);
});
