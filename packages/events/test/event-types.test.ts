import { describe, expect, test } from 'vitest';
import {
  CONCRETE_EVENT_TYPE_NAMES,
  concreteSubtypes,
  EVENT_TYPE_NAMES,
  EVENT_TYPES,
  type EventTypeName,
  eventTypeAncestors,
  isConcreteEventType,
  isEventType,
  isSubtypeOf,
  parseEventTypeName,
} from '../src/index.ts';

// spec rpc-and-events.md 4.5: every type and its parent; abstract ones marked.
const TREE: [EventTypeName, EventTypeName | null, boolean][] = [
  ['EVENT', null, true],
  ['PROCESS_STATE', 'EVENT', true],
  ['PROCESS_STATE_STOPPED', 'PROCESS_STATE', false],
  ['PROCESS_STATE_EXITED', 'PROCESS_STATE', false],
  ['PROCESS_STATE_STARTING', 'PROCESS_STATE', false],
  ['PROCESS_STATE_STOPPING', 'PROCESS_STATE', false],
  ['PROCESS_STATE_BACKOFF', 'PROCESS_STATE', false],
  ['PROCESS_STATE_FATAL', 'PROCESS_STATE', false],
  ['PROCESS_STATE_RUNNING', 'PROCESS_STATE', false],
  ['PROCESS_STATE_UNKNOWN', 'PROCESS_STATE', false],
  ['PROCESS_COMMUNICATION', 'EVENT', true],
  ['PROCESS_COMMUNICATION_STDOUT', 'PROCESS_COMMUNICATION', false],
  ['PROCESS_COMMUNICATION_STDERR', 'PROCESS_COMMUNICATION', false],
  ['PROCESS_LOG', 'EVENT', true],
  ['PROCESS_LOG_STDOUT', 'PROCESS_LOG', false],
  ['PROCESS_LOG_STDERR', 'PROCESS_LOG', false],
  ['REMOTE_COMMUNICATION', 'EVENT', false],
  ['SUPERVISOR_STATE_CHANGE', 'EVENT', true],
  ['SUPERVISOR_STATE_CHANGE_RUNNING', 'SUPERVISOR_STATE_CHANGE', false],
  ['SUPERVISOR_STATE_CHANGE_STOPPING', 'SUPERVISOR_STATE_CHANGE', false],
  ['TICK', 'EVENT', true],
  ['TICK_5', 'TICK', false],
  ['TICK_60', 'TICK', false],
  ['TICK_3600', 'TICK', false],
  ['PROCESS_GROUP', 'EVENT', true],
  ['PROCESS_GROUP_ADDED', 'PROCESS_GROUP', false],
  ['PROCESS_GROUP_REMOVED', 'PROCESS_GROUP', false],
];

describe('EVENT_TYPES', () => {
  test('holds exactly the spec tree, in order', () => {
    expect(EVENT_TYPE_NAMES).toEqual(TREE.map(([name]) => name));
    expect(CONCRETE_EVENT_TYPE_NAMES).toEqual(TREE.filter(([, , abstract]) => !abstract).map(([n]) => n));
  });

  test.each(TREE)('%s has parent %s (abstract: %s)', (name, parent, abstract) => {
    expect(EVENT_TYPES[name]).toEqual({ parent, abstract });
    expect(isEventType(name)).toBe(true);
    expect(isConcreteEventType(name)).toBe(!abstract);
    expect(eventTypeAncestors(name)).toEqual(
      parent === null ? [] : parent === 'EVENT' ? ['EVENT'] : [parent, 'EVENT'],
    );
    expect(isSubtypeOf(name, name)).toBe(true);
    expect(isSubtypeOf(name, 'EVENT')).toBe(true);
    if (parent !== null) {
      expect(isSubtypeOf(name, parent)).toBe(true);
      expect(isSubtypeOf(parent, name)).toBe(false);
    }
  });

  test('isSubtypeOf is false across branches', () => {
    for (const [name] of TREE) {
      for (const [other] of TREE) {
        const expected = name === other || eventTypeAncestors(name).includes(other);
        expect(isSubtypeOf(name, other), `${name} < ${other}`).toBe(expected);
      }
    }
    expect(isSubtypeOf('PROCESS_LOG_STDOUT', 'PROCESS_COMMUNICATION')).toBe(false);
    expect(isSubtypeOf('TICK_5', 'TICK_60')).toBe(false);
  });

  test('every abstract type has children and every concrete type none', () => {
    for (const [name, , abstract] of TREE) {
      const children = TREE.filter(([, parent]) => parent === name);
      expect(children.length > 0, name).toBe(abstract);
    }
  });

  test.each<[EventTypeName, EventTypeName[]]>([
    ['PROCESS_LOG', ['PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR']],
    ['TICK', ['TICK_5', 'TICK_60', 'TICK_3600']],
    ['TICK_60', ['TICK_60']],
    ['REMOTE_COMMUNICATION', ['REMOTE_COMMUNICATION']],
    ['SUPERVISOR_STATE_CHANGE', ['SUPERVISOR_STATE_CHANGE_RUNNING', 'SUPERVISOR_STATE_CHANGE_STOPPING']],
  ])('concreteSubtypes(%s)', (name, expected) => {
    expect(concreteSubtypes(name)).toEqual(expected);
  });

  test('concreteSubtypes(EVENT) is every concrete type', () => {
    expect(concreteSubtypes('EVENT')).toEqual(CONCRETE_EVENT_TYPE_NAMES);
    expect(concreteSubtypes('PROCESS_STATE')).toHaveLength(8);
  });
});

describe('parseEventTypeName', () => {
  test.each([
    ['EVENT', 'EVENT'],
    ['process_state', 'PROCESS_STATE'],
    ['Process_State_Exited', 'PROCESS_STATE_EXITED'],
    ['tick_3600', 'TICK_3600'],
    // Python's str.upper() maps the dotless i to I; so does toUpperCase.
    ['t\u0131ck_5', 'TICK_5'],
  ])('%j → %s', (input, expected) => {
    expect(parseEventTypeName(input)).toBe(expected);
  });

  test.each(['', 'PROCESS', 'PROCESS_EXITED', ' TICK_5', 'TICK_5 ', 'TICK-5', '__proto__', 'constructor'])(
    '%j is not an event type',
    (input) => {
      expect(parseEventTypeName(input)).toBeUndefined();
      expect(isEventType(input)).toBe(false);
    },
  );
});
