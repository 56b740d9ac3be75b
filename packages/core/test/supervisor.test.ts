import { readFileSync } from 'node:fs';
import { fixtureCommand, processesInGroups, waitFor } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { startHarness } from './helpers.ts';
import { makeConfig, makeGroupConfig, makeProcessConfig } from './make-config.ts';

const sleeper = (name: string, priority = 999, over: Parameters<typeof makeProcessConfig>[0] = {}) =>
  makeProcessConfig({ name, command: fixtureCommand('sleep-forever'), startSecs: 0, priority, ...over });

const group = (name: string, priority: number, ...names: string[]) =>
  makeGroupConfig(
    names.map((n) => sleeper(n)),
    { name, priority },
  );

test('start adds groups in (priority, name) order, then spawns autostart processes in config order', async () => {
  await using h = await startHarness([
    group('zeta', 5, 'z1'),
    group('alpha', 10, 'a2', 'a1'),
    group('beta', 10, 'b1'),
    makeGroupConfig([sleeper('manual', 999, { autostart: false })]),
  ]);
  expect(h.events.slice(0, 5)).toEqual([
    { type: 'PROCESS_GROUP_ADDED', groupName: 'zeta' },
    { type: 'PROCESS_GROUP_ADDED', groupName: 'alpha' },
    { type: 'PROCESS_GROUP_ADDED', groupName: 'beta' },
    { type: 'PROCESS_GROUP_ADDED', groupName: 'manual' },
    { type: 'SUPERVISOR_STATE_CHANGE_RUNNING' },
  ]);
  const spawned = h.lines.filter((l) => l.includes('spawned:')).map((l) => /'(.*)'/.exec(l)![1]);
  // Within a group, the config's order (a [group:x]'s programs= order), as supervisord.
  expect(spawned).toEqual(['z1', 'a2', 'a1', 'b1']);
  expect(h.supervisor.getProcess('manual').state).toBe('STOPPED');
  expect(h.supervisor.getProcess('alpha:a1').name).toBe('a1');
  expect(() => h.supervisor.getProcess('alpha:nope')).toThrow('BAD_NAME: alpha:nope');
});

test('start and stop on request go by priority, equal priorities in config order (supervisord: programs=c,b,a with a first)', async () => {
  await using h = await startHarness([
    makeGroupConfig([sleeper('c'), sleeper('b'), sleeper('a', 1)], { name: 'g' }),
  ]);
  for (const name of ['a', 'b', 'c']) await h.waitForState(name, 'RUNNING');
  const spawned = () => h.lines.filter((l) => l.includes('spawned:')).map((l) => /'(.*)'/.exec(l)![1]);
  // Autostart: the config's order, priority aside, as supervisord's first start.
  expect(spawned()).toEqual(['c', 'b', 'a']);
  expect(h.supervisor.getGroup('g').processes.map((p) => p.name)).toEqual(['c', 'b', 'a']);
  const stopping: string[] = [];
  h.supervisor.subscribe((e) => {
    if (e.type === 'PROCESS_STATE_STOPPING') stopping.push(e.processName);
  });
  const results = await h.supervisor.stopGroup('g', { wait: true });
  expect(stopping).toEqual(['a', 'c', 'b']);
  // Results in that order too, however the stops finish (what `stop g:*` prints).
  expect(results.map((r) => r.name)).toEqual(['a', 'c', 'b']);
  await h.supervisor.startGroup('g', { wait: true });
  expect(spawned().slice(3)).toEqual(['a', 'c', 'b']);
  await h.supervisor.stopAll({ wait: true });
  expect(stopping.slice(3)).toEqual(['a', 'c', 'b']);
  await h.supervisor.startAll({ wait: true });
  expect(spawned().slice(6)).toEqual(['a', 'c', 'b']);
  expect(h.supervisor.processesByPriority().map((p) => p.name)).toEqual(['a', 'c', 'b']);
  // Shutdown goes the other way: descending priority, equal priorities in reverse config order.
  await h.supervisor.shutdown();
  expect(stopping.slice(6)).toEqual(['b', 'c', 'a']);
});

test('group start results are listed as supervisord finds them done: at once first, then by when they finish', async () => {
  // supervisord 4.2.5, `start g:*` with programs=slow,broken,quick: quick (startsecs=0) is
  // done in the call itself, broken fails at its exit, slow after its startsecs. broken exits
  // after 0.3 s, well after quick is up with either spawner (node:child_process reports a spawn
  // a turn later), and well before slow's 1.2 s.
  await using h = await startHarness([
    makeGroupConfig(
      [
        sleeper('slow', 999, { autostart: false, startSecs: 1.2 }),
        makeProcessConfig({
          name: 'broken',
          command: 'sh -c "sleep 0.3; exit 1"',
          startSecs: 1,
          startRetries: 0,
          autostart: false,
        }),
        sleeper('quick', 999, { autostart: false, startSecs: 0 }),
      ],
      { name: 'g' },
    ),
  ]);
  const started = await h.supervisor.startGroup('g', { wait: true });
  expect(started.map((r) => [r.name, r.error?.code ?? null])).toEqual([
    ['quick', null],
    ['broken', 'SPAWN_ERROR'],
    ['slow', null],
  ]);
  // A stop is never done at the first check: processes that die together are listed in the
  // order acted on.
  const stopped = await h.supervisor.stopGroup('g', { wait: true });
  expect(stopped.map((r) => r.name)).toEqual(['slow', 'quick']);
});

test('stopAll is ascending; startAll returns per-process results', async () => {
  await using h = await startHarness([group('late', 20, 'l1'), group('early', 1, 'e1')]);
  await h.waitForState('l1', 'RUNNING');
  await h.waitForState('e1', 'RUNNING');
  const stopping: string[] = [];
  h.supervisor.subscribe((e) => {
    if (e.type === 'PROCESS_STATE_STOPPING') stopping.push(e.processName);
  });
  const results = await h.supervisor.stopAll({ wait: true });
  expect(stopping).toEqual(['e1', 'l1']);
  expect(results.map((r) => [r.name, r.error])).toEqual(
    expect.arrayContaining([
      ['e1', null],
      ['l1', null],
    ]),
  );
  expect(await h.supervisor.stopAll()).toEqual([]);
  const started = await h.supervisor.startAll({ wait: true });
  expect(started).toHaveLength(2);
  expect(h.supervisor.processes().map((p) => p.state)).toEqual(['RUNNING', 'RUNNING']);
});

test('shutdown stops groups in reverse priority, one group at a time, and leaves no process behind', async () => {
  const h = await startHarness([
    group('first', 1, 'f1', 'f2'),
    makeGroupConfig(
      [
        makeProcessConfig({
          name: 'tree',
          command: fixtureCommand('spawn-grandchild'),
          startSecs: 0,
          stopAsGroup: true,
        }),
      ],
      { priority: 50 },
    ),
    makeGroupConfig(
      [
        makeProcessConfig({
          name: 'slow',
          command: fixtureCommand('ignore-sigterm'),
          startSecs: 0,
          stopWaitSecs: 0.2,
        }),
      ],
      { priority: 100 },
    ),
  ]);
  try {
    for (const name of ['f1', 'f2', 'tree', 'slow']) await h.waitForState(name, 'RUNNING');
    const tree = h.supervisor.getProcess('tree');
    await waitFor(() => readText(tree.stdout.path!).includes('READY'));
    await waitFor(() => readText(h.supervisor.getProcess('slow').stdout.path!).includes('READY'));
    const pgids = h.supervisor.processes().map((p) => p.pid);
    expect(processesInGroups(pgids).length).toBe(5); // four children and one grandchild
    await h.supervisor.shutdown();
    const order = h.events
      .filter((e) => e.type === 'PROCESS_STATE_STOPPING' || e.type === 'PROCESS_STATE_STOPPED')
      .map((e) => `${e.type.slice(14)} ${'processName' in e ? e.processName : ''}`);
    expect(order.slice(0, 4)).toEqual(['STOPPING slow', 'STOPPED slow', 'STOPPING tree', 'STOPPED tree']);
    // Within a group, descending priority and equal priorities in reverse config order, as supervisord.
    expect(order.slice(4, 6)).toEqual(['STOPPING f2', 'STOPPING f1']);
    // As supervisord: at once, every process not yet stopped, in priority order.
    expect(h.lines.find((l) => l.includes(' to die'))).toBe('info waiting for f1, f2, tree, slow to die');
    expect(h.events.find((e) => e.type === 'SUPERVISOR_STATE_CHANGE_STOPPING')).toBeDefined();
    expect(h.supervisor.state).toBe('SHUTDOWN');
    expect(processesInGroups(pgids)).toEqual([]);
  } finally {
    await h[Symbol.asyncDispose]();
  }
});

test('shutdown gives up BACKOFF processes and restarts nothing', async () => {
  await using h = await startHarness(
    [
      makeProcessConfig({ name: 'q', command: fixtureCommand('exit-with', 1), startSecs: 5 }),
      sleeper('always', 999, { autorestart: true }),
    ],
    { backoffStepMs: 10_000 },
  );
  await h.waitForState('q', 'BACKOFF');
  await h.waitForState('always', 'RUNNING');
  await h.supervisor.shutdown();
  expect(h.supervisor.getProcess('q').state).toBe('FATAL');
  expect(h.supervisor.getProcess('always').state).toBe('STOPPED');
  // supervisord logs `gave up:` only when the retries run out, not for this give-up.
  expect(h.lines.filter((l) => l.includes('gave up'))).toEqual([]);
});

test('stopping a BACKOFF process logs supervisord’s debug line and goes STOPPED', async () => {
  await using h = await startHarness(
    [makeProcessConfig({ name: 'q', command: fixtureCommand('exit-with', 1), startSecs: 5 })],
    { backoffStepMs: 10_000 },
  );
  await h.waitForState('q', 'BACKOFF');
  await h.supervisor.getProcess('q').stop();
  expect(h.states('q')).toEqual(['STARTING', 'BACKOFF', 'STOPPED']);
  expect(h.lines).toContain('debug Attempted to kill q, which is in BACKOFF state.');
});

test('reloadConfig reports the diff; update applies it (removed, changed, added)', async () => {
  await using h = await startHarness([sleeper('keep'), sleeper('change'), sleeper('drop')]);
  for (const name of ['keep', 'change', 'drop']) await h.waitForState(name, 'RUNNING');
  const keepPid = h.supervisor.getProcess('keep').pid;
  const next = makeConfig({ childlogdir: h.dir.path }, [
    makeGroupConfig([sleeper('keep')]),
    makeGroupConfig([sleeper('change', 999, { environment: { NEW: '1' } })]),
    makeGroupConfig([sleeper('add')]),
  ]);
  expect(h.supervisor.reloadConfig(next)).toEqual({ added: ['add'], changed: ['change'], removed: ['drop'] });
  const groupEvents: string[] = [];
  h.supervisor.subscribe((e) => {
    if (e.type === 'PROCESS_GROUP_ADDED' || e.type === 'PROCESS_GROUP_REMOVED') {
      groupEvents.push(`${e.type.slice(14)} ${e.groupName}`);
    }
  });
  await h.supervisor.update();
  expect(groupEvents).toEqual(['REMOVED drop', 'REMOVED change', 'ADDED change', 'ADDED add']);
  // As supervisord (4.2.5, side by side): equal priorities keep the order groups were added in,
  // so a re-added or new group comes after the others in `stop all`, `start all` and shutdown.
  expect(h.supervisor.groups.map((g) => g.name)).toEqual(['keep', 'change', 'add']);
  expect(h.supervisor.processesByPriority().map((p) => p.name)).toEqual(['keep', 'change', 'add']);
  await h.waitForState('add', 'RUNNING');
  await h.waitForState('change', 'RUNNING', 2);
  expect(h.supervisor.getProcess('keep').pid).toBe(keepPid);
  expect(h.supervisor.diff(next)).toEqual({ added: [], changed: [], removed: [] });
});

test('addGroup and removeGroup faults', async () => {
  await using h = await startHarness([sleeper('web', 999, { autostart: false })]);
  expect(() => h.supervisor.addGroup('web')).toThrow('ALREADY_ADDED: web');
  expect(() => h.supervisor.addGroup('nope')).toThrow('BAD_NAME: nope');
  await h.supervisor.getProcess('web').start();
  expect(() => h.supervisor.removeGroup('web')).toThrow('STILL_RUNNING: web');
  await h.supervisor.stopGroup('web', { wait: true });
  h.supervisor.removeGroup('web');
  expect(() => h.supervisor.removeGroup('web')).toThrow('BAD_NAME: web');
  h.supervisor.addGroup('web');
  // autostart=false: added but not started
  expect(h.supervisor.getProcess('web').state).toBe('STOPPED');
});

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
