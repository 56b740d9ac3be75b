import {
  EVENT_TYPE_NAMES,
  type EventTypeName,
  isEventType,
  isSubtypeOf,
  type SupervisorEvent,
  type SupervisorStateName,
} from '@supctl/events';
import { SupervisorError } from './errors.ts';
import type { ProcessInfo } from './managed-process.ts';

/** Which events a {@link Supervisor.watch} stream yields. Every field narrows; omit it for all. */
export interface EventFilter {
  /**
   * Event types; a parent type (`PROCESS_STATE`, `TICK`, `EVENT`, …) matches all its children.
   * @default ['EVENT']
   * @example ['PROCESS_STATE', 'PROCESS_GROUP']
   */
  readonly types?: readonly EventTypeName[];
  /**
   * Only events about these processes, as namespecs (`group:name`, or `name` for a process in a
   * group of the same name). Events that name no process (TICK_*, SUPERVISOR_STATE_CHANGE_*,
   * REMOTE_COMMUNICATION, PROCESS_GROUP_*) are left out unless `groups` lets them in.
   * @default every process
   */
  readonly processes?: readonly string[];
  /**
   * Only events about processes of these groups, and PROCESS_GROUP_* events of these groups.
   * With `processes` too, an event passes if it matches either list.
   * @default every group
   */
  readonly groups?: readonly string[];
}

/** Options of {@link Supervisor.watch}. */
export interface WatchOptions extends EventFilter {
  /** Ends the stream (the loop over it finishes normally). */
  readonly signal?: AbortSignal;
  /**
   * How many live events may wait for a slow consumer. Past this the stream fails with a
   * `SupervisorError` (code FAILED) instead of growing without bound; watch again for a fresh
   * snapshot.
   * @default 10000
   */
  readonly highWaterMark?: number;
}

/**
 * One item of a watch stream: first a `snapshot` of the matching processes (taken in the same
 * step as the subscription, so no change falls between), then one `event` per matching event.
 */
export type WatchItem =
  | {
      readonly kind: 'snapshot';
      readonly state: SupervisorStateName;
      readonly processes: readonly ProcessInfo[];
    }
  | { readonly kind: 'event'; readonly event: SupervisorEvent };

/**
 * A predicate for {@link EventFilter}; throws a TypeError naming a bad type name.
 * @example
 * const matches = compileEventFilter({ types: ['TICK'] });
 * matches({ type: 'TICK_5', when: 0 }); // true
 */
export function compileEventFilter(filter: EventFilter): (event: SupervisorEvent) => boolean {
  const types = filter.types ?? ['EVENT'];
  for (const type of types) {
    if (!isEventType(type)) {
      const upper = String(type).toUpperCase();
      const hint = isEventType(upper) ? `; did you mean \`${upper}\`?` : '';
      throw new TypeError(
        `Unknown event type \`${String(type)}\` in the watch filter${hint} (expected one of ${EVENT_TYPE_NAMES.join(', ')})`,
      );
    }
  }
  const all = types.includes('EVENT');
  const processes = filter.processes === undefined ? null : new Set(filter.processes);
  const groups = filter.groups === undefined ? null : new Set(filter.groups);
  return (event) => {
    if (!all && !types.some((type) => isSubtypeOf(event.type, type))) return false;
    if (processes === null && groups === null) return true;
    const group = 'groupName' in event ? event.groupName : undefined;
    if (group !== undefined && groups?.has(group)) return true;
    if (processes !== null && 'processName' in event) {
      const name = event.processName;
      return processes.has(`${group}:${name}`) || (group === name && processes.has(name));
    }
    return false;
  };
}

/** Whether a process snapshot passes the process/group part of a filter. */
export function matchesProcess(filter: EventFilter, info: ProcessInfo): boolean {
  if (filter.processes === undefined && filter.groups === undefined) return true;
  if (filter.groups?.includes(info.group)) return true;
  const namespec = `${info.group}:${info.name}`;
  return (
    filter.processes?.some((p) => p === namespec || (info.group === info.name && p === info.name)) ?? false
  );
}

/**
 * The async iterable behind {@link Supervisor.watch}: `register` subscribes and returns the
 * snapshot plus the function that unsubscribes, in one synchronous step.
 */
export function createWatchStream(
  options: WatchOptions,
  register: (push: (event: SupervisorEvent) => void) => {
    snapshot: Extract<WatchItem, { kind: 'snapshot' }>;
    unsubscribe: () => void;
  },
): AsyncIterableIterator<WatchItem> & AsyncDisposable {
  const matches = compileEventFilter(options);
  const highWaterMark = options.highWaterMark ?? 10_000;
  const queue: WatchItem[] = [];
  let pendingEvents = 0; // queued live events (the snapshot does not count)
  let failure: SupervisorError | null = null;
  let done = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  const { snapshot, unsubscribe } = register((event) => {
    if (done || failure !== null || !matches(event)) return;
    if (pendingEvents >= highWaterMark) {
      failure = new SupervisorError(
        'FAILED',
        `watch stream overflowed: more than ${highWaterMark} events waited for the consumer`,
      );
      unsubscribe();
    } else {
      queue.push({ kind: 'event', event });
      pendingEvents += 1;
    }
    notify();
  });
  queue.push(snapshot);
  const finish = (): void => {
    if (done) return;
    done = true;
    unsubscribe();
    options.signal?.removeEventListener('abort', finish);
    notify();
  };
  if (options.signal?.aborted) finish();
  else options.signal?.addEventListener('abort', finish, { once: true });

  const iterator: AsyncIterableIterator<WatchItem> & AsyncDisposable = {
    async next(): Promise<IteratorResult<WatchItem>> {
      for (;;) {
        if (done) return { done: true, value: undefined };
        const item = queue.shift();
        if (item !== undefined) {
          if (item.kind === 'event') pendingEvents -= 1;
          return { done: false, value: item };
        }
        if (failure !== null) {
          const error = failure;
          finish();
          throw error;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async return(): Promise<IteratorResult<WatchItem>> {
      finish();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async [Symbol.asyncDispose]() {
      finish();
    },
  };
  return iterator;
}
