/**
 * Supervisor's event type tree (`supervisor.events.EventTypes`): each name maps to its parent and
 * says whether it is abstract (never emitted itself, only usable in `events=` to subscribe to all of
 * its children). Listed in Supervisor's order.
 *
 * @example
 * EVENT_TYPES.PROCESS_STATE_EXITED.parent; // 'PROCESS_STATE'
 * EVENT_TYPES.TICK.abstract; // true
 */
export const EVENT_TYPES = {
  EVENT: { parent: null, abstract: true },
  PROCESS_STATE: { parent: 'EVENT', abstract: true },
  PROCESS_STATE_STOPPED: { parent: 'PROCESS_STATE', abstract: false },
  PROCESS_STATE_EXITED: { parent: 'PROCESS_STATE', abstract: false },
  PROCESS_STATE_STARTING: { parent: 'PROCESS_STATE', abstract: false },
  PROCESS_STATE_STOPPING: { parent: 'PROCESS_STATE', abstract: false },
  PROCESS_STATE_BACKOFF: { parent: 'PROCESS_STATE', abstract: false },
  PROCESS_STATE_FATAL: { parent: 'PROCESS_STATE', abstract: false },
  PROCESS_STATE_RUNNING: { parent: 'PROCESS_STATE', abstract: false },
  PROCESS_STATE_UNKNOWN: { parent: 'PROCESS_STATE', abstract: false },
  PROCESS_COMMUNICATION: { parent: 'EVENT', abstract: true },
  PROCESS_COMMUNICATION_STDOUT: { parent: 'PROCESS_COMMUNICATION', abstract: false },
  PROCESS_COMMUNICATION_STDERR: { parent: 'PROCESS_COMMUNICATION', abstract: false },
  PROCESS_LOG: { parent: 'EVENT', abstract: true },
  PROCESS_LOG_STDOUT: { parent: 'PROCESS_LOG', abstract: false },
  PROCESS_LOG_STDERR: { parent: 'PROCESS_LOG', abstract: false },
  REMOTE_COMMUNICATION: { parent: 'EVENT', abstract: false },
  SUPERVISOR_STATE_CHANGE: { parent: 'EVENT', abstract: true },
  SUPERVISOR_STATE_CHANGE_RUNNING: { parent: 'SUPERVISOR_STATE_CHANGE', abstract: false },
  SUPERVISOR_STATE_CHANGE_STOPPING: { parent: 'SUPERVISOR_STATE_CHANGE', abstract: false },
  TICK: { parent: 'EVENT', abstract: true },
  TICK_5: { parent: 'TICK', abstract: false },
  TICK_60: { parent: 'TICK', abstract: false },
  TICK_3600: { parent: 'TICK', abstract: false },
  PROCESS_GROUP: { parent: 'EVENT', abstract: true },
  PROCESS_GROUP_ADDED: { parent: 'PROCESS_GROUP', abstract: false },
  PROCESS_GROUP_REMOVED: { parent: 'PROCESS_GROUP', abstract: false },
} as const;

type EventTypeTable = typeof EVENT_TYPES;

/** Any event type name, abstract or concrete, as `events=` accepts it (uppercased). */
export type EventTypeName = keyof EventTypeTable;

/** An event type that is actually emitted; the `eventname:` of an envelope is always one of these. */
export type ConcreteEventTypeName = {
  [K in EventTypeName]: EventTypeTable[K]['abstract'] extends true ? never : K;
}[EventTypeName];

/** An abstract parent type: EVENT, PROCESS_STATE, PROCESS_LOG, PROCESS_COMMUNICATION, … */
export type AbstractEventTypeName = Exclude<EventTypeName, ConcreteEventTypeName>;

/**
 * Every event type name, in Supervisor's order.
 *
 * @example
 * EVENT_TYPE_NAMES.length; // 27
 */
export const EVENT_TYPE_NAMES: readonly EventTypeName[] = Object.freeze(
  Object.keys(EVENT_TYPES) as EventTypeName[],
);

/**
 * Every concrete (emitted) event type name, in Supervisor's order.
 *
 * @example
 * CONCRETE_EVENT_TYPE_NAMES.includes('TICK_5'); // true
 */
export const CONCRETE_EVENT_TYPE_NAMES: readonly ConcreteEventTypeName[] = Object.freeze(
  EVENT_TYPE_NAMES.filter((name): name is ConcreteEventTypeName => !EVENT_TYPES[name].abstract),
);

/**
 * Whether `name` is an event type name, spelled exactly (uppercase).
 *
 * @example
 * isEventType('PROCESS_STATE'); // true
 * isEventType('process_state'); // false (see parseEventTypeName)
 */
export function isEventType(name: string): name is EventTypeName {
  return Object.hasOwn(EVENT_TYPES, name);
}

/**
 * Whether `name` is an event type that is emitted (not an abstract parent).
 *
 * @example
 * isConcreteEventType('TICK_60'); // true
 * isConcreteEventType('TICK'); // false
 */
export function isConcreteEventType(name: string): name is ConcreteEventTypeName {
  return isEventType(name) && !EVENT_TYPES[name].abstract;
}

/**
 * Reads one name from an `events=` list the way supervisord does: case-insensitively (Python's
 * `str.upper()`, so `tick_5` and `Tick_5` both work). Whitespace is not trimmed; split and strip the
 * list first. Returns `undefined` for a name that is not an event type, which supervisord treats as
 * a config error (`Unknown event type <NAME> in [eventlistener:x] events`).
 *
 * @example
 * parseEventTypeName('process_state_exited'); // 'PROCESS_STATE_EXITED'
 * parseEventTypeName('PROCESS_EXITED'); // undefined
 */
export function parseEventTypeName(name: string): EventTypeName | undefined {
  const upper = name.toUpperCase();
  return isEventType(upper) ? upper : undefined;
}

/**
 * The ancestors of an event type, nearest first, ending with EVENT. Empty for EVENT itself.
 *
 * @example
 * eventTypeAncestors('PROCESS_STATE_RUNNING'); // ['PROCESS_STATE', 'EVENT']
 * eventTypeAncestors('REMOTE_COMMUNICATION'); // ['EVENT']
 */
export function eventTypeAncestors(name: EventTypeName): EventTypeName[] {
  const ancestors: EventTypeName[] = [];
  for (let parent = EVENT_TYPES[name].parent; parent !== null; parent = EVENT_TYPES[parent].parent) {
    ancestors.push(parent);
  }
  return ancestors;
}

/**
 * Whether events of type `name` are delivered to a pool subscribed to `parent`: true when `name`
 * is `parent` itself or one of its descendants (Python's `isinstance`, which is how a pool decides).
 *
 * @example
 * isSubtypeOf('TICK_5', 'TICK'); // true
 * isSubtypeOf('TICK_5', 'EVENT'); // true
 * isSubtypeOf('TICK_5', 'TICK_5'); // true
 * isSubtypeOf('TICK', 'TICK_5'); // false
 */
export function isSubtypeOf(name: EventTypeName, parent: EventTypeName): boolean {
  return name === parent || eventTypeAncestors(name).includes(parent);
}

/**
 * The concrete types a subscription to `name` receives: `name` itself if it is concrete, else all of
 * its concrete descendants, in Supervisor's order.
 *
 * @example
 * concreteSubtypes('PROCESS_LOG'); // ['PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR']
 */
export function concreteSubtypes(name: EventTypeName): ConcreteEventTypeName[] {
  return CONCRETE_EVENT_TYPE_NAMES.filter((concrete) => isSubtypeOf(concrete, name));
}
