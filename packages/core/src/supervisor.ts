import type { Config, GroupConfig } from '@supctl/config';
import {
  isRunningState,
  isStoppedState,
  type SupervisorEvent,
  type SupervisorStateName,
} from '@supctl/events';
import { monotonicMs } from './clock.ts';
import { diffGroups, type GroupDiff } from './diff-groups.ts';
import { SupervisorError } from './errors.ts';
import { EventListenerPool } from './event-pool.ts';
import { createWatchStream, matchesProcess, type WatchItem, type WatchOptions } from './event-stream.ts';
import { type MainLogger, SILENT_LOGGER } from './main-log.ts';
import type { ManagedProcess, ProcessContext } from './managed-process.ts';
import { nativeSpawner } from './native-spawn.ts';
import { compare, ProcessGroup } from './process-group.ts';
import { RestartThrottle } from './restart-throttle.ts';
import { startTicks } from './ticks.ts';

/** How often supervisord checks on the processes a group start or stop acted on. */
const RESULT_CHECK_MS = 50;

/** Options of a {@link Supervisor}. */
export interface SupervisorOptions {
  /** Receives supervisord's main-log messages. @default a logger that drops everything */
  readonly logger?: MainLogger;
  /** supd's environment, the base of every child's. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** `SUPERVISOR_SERVER_URL` for children whose `serverurl` is AUTO; null leaves it unset. @default null */
  readonly serverUrl?: string | null;
  /** The retry delay after the n-th failed start is n × this. @default 1000 */
  readonly backoffStepMs?: number;
  /**
   * The soft open-files limit children start with, when lower than ours. supervisord's children
   * inherit its own limit (the one it was started with, raised to `minfds`), while Node raises its
   * soft limit to the hard one at start. Set in each child by the native helper; with
   * node:child_process children inherit ours. @default ours
   */
  readonly childOpenFiles?: number | undefined;
  /**
   * The wall clock TICK_5/60/3600 are aligned to (epoch ms). Tests pass one set just before a
   * boundary to see a tick without waiting for it.
   * @default Date.now
   */
  readonly tickClock?: () => number;
}

/** The outcome for one process of a group or "all" command, in completion order. */
export interface ProcessActionResult {
  readonly name: string;
  readonly group: string;
  /** null = success (`OK`). */
  readonly error: SupervisorError | null;
}

/** A listener for every event the engine emits. */
export type EventListener = (event: SupervisorEvent) => void;

/**
 * The engine: the groups of a config and their processes. `start()` adds every group (creating
 * AUTO logs) and starts the autostart processes; commands mirror supervisord's RPC semantics;
 * every state change is emitted as a typed event; `close()` shuts down in reverse priority, one
 * group at a time, and leaves no child behind.
 * @example
 * await using supervisor = new Supervisor(config, { logger });
 * supervisor.subscribe((event) => console.log(event.type));
 * await supervisor.start();
 */
export class Supervisor implements AsyncDisposable {
  #config: Config;
  #state: SupervisorStateName = 'RESTARTING';
  readonly #groups = new Map<string, ProcessGroup>();
  readonly #listeners = new Set<EventListener>();
  readonly #pools = new Map<string, EventListenerPool>();
  #serial = -1; // the global event serial: the last one given to an event a pool accepted
  readonly #tickClock: (() => number) | undefined;
  readonly #ctx: ProcessContext;
  #closing: Promise<void> | null = null;
  #loaded = false;
  #stopTicks: (() => void) | null = null;

  constructor(config: Config, options: SupervisorOptions = {}) {
    // Load the spawn helper before any log file is open: its reserved descriptors then sit low,
    // and each child copies only the descriptors below them (see native/spawn.c).
    nativeSpawner();
    this.#config = config;
    this.#ctx = {
      logger: options.logger ?? SILENT_LOGGER,
      emit: (event) => this.#emit(event),
      // A plain copy, taken once: reading process.env goes through the runtime on every key.
      env: { ...(options.env ?? process.env) },
      serverUrl: options.serverUrl ?? null,
      childOpenFiles: options.childOpenFiles,
      childlogdir: config.supervisord.childlogdir,
      identifier: config.supervisord.identifier,
      stripAnsi: config.supervisord.stripAnsi,
      backoffStepMs: options.backoffStepMs ?? 1000,
      isShuttingDown: () => this.#state !== 'RUNNING',
      restartThrottle: new RestartThrottle(options.backoffStepMs ?? 1000),
    };
    this.#tickClock = options.tickClock;
  }

  /** RESTARTING before `start()`, RUNNING, then SHUTDOWN once `shutdown()` began. */
  get state(): SupervisorStateName {
    return this.#state;
  }

  /** The stored config (replaced by {@link reloadConfig}). */
  get config(): Config {
    return this.#config;
  }

  /**
   * Active groups by priority, equal priorities in the order they were added: the config's groups
   * by name at start, then each group `update` or `addProcessGroup` adds (or re-adds) after them,
   * as supervisord keeps them.
   */
  get groups(): readonly ProcessGroup[] {
    return [...this.#groups.values()].sort((a, b) => a.priority - b.priority);
  }

  /**
   * Registers `listener` for every event; returns the function that removes it. Listeners run
   * synchronously and must not throw.
   */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A stream for front ends: first a snapshot of the matching processes, then every event that
   * passes the filter (type, parents included; process or group), as typed objects. The snapshot
   * and the subscription are taken in one step. Ends when `signal` aborts or the loop breaks.
   * @example
   * for await (const item of supervisor.watch({ types: ['PROCESS_STATE'], groups: ['web'], signal })) {
   *   if (item.kind === 'snapshot') render(item.processes);
   *   else console.log(item.event.type);
   * }
   */
  watch(options: WatchOptions = {}): AsyncIterableIterator<WatchItem> & AsyncDisposable {
    return createWatchStream(options, (push) => ({
      snapshot: {
        kind: 'snapshot',
        state: this.#state,
        processes: this.processes()
          .map((p) => p.info())
          .filter((info) => matchesProcess(options, info)),
      },
      unsubscribe: this.subscribe(push),
    }));
  }

  /**
   * Notifies an event as the engine does (Supervisor's `events.notify`): listener pools that
   * subscribe to it buffer it, then every subscriber sees it. For REMOTE_COMMUNICATION
   * (`sendRemoteCommEvent`) and tests.
   * @example
   * supervisor.notify({ type: 'REMOTE_COMMUNICATION', commType: 'deploy', data: 'v2' });
   */
  notify(event: SupervisorEvent): void {
    this.#emit(event);
  }

  /** The `[eventlistener:x]` pool named `name`; BAD_NAME if there is no such active pool. */
  getPool(name: string): EventListenerPool {
    const pool = this.#pools.get(name);
    if (pool === undefined) throw new SupervisorError('BAD_NAME', name);
    return pool;
  }

  /**
   * Adds every configured group without starting anything, as supervisord makes its groups before
   * it opens its servers: AUTO log files are created and each `[fcgi-program:x]` socket is tried,
   * so that a socket that cannot be made fails here (`FcgiSocketError`). {@link start} does it
   * when it was not done.
   */
  load(): void {
    if (this.#state !== 'RESTARTING') throw new SupervisorError('FAILED', 'already started');
    if (this.#loaded) return;
    try {
      for (const group of sortGroups(this.#config.groups)) this.#addGroup(group);
    } catch (error) {
      // All or nothing: the groups made so far are dropped again.
      for (const group of this.#groups.values()) {
        group.close();
        this.#emit({ type: 'PROCESS_GROUP_REMOVED', groupName: group.name });
      }
      this.#groups.clear();
      this.#pools.clear();
      throw error;
    }
    this.#loaded = true;
  }

  /** Adds every configured group (unless {@link load} did) and starts the autostart processes, in priority order. */
  async start(): Promise<void> {
    this.load();
    this.#state = 'RUNNING';
    this.#emit({ type: 'SUPERVISOR_STATE_CHANGE_RUNNING' });
    this.#stopTicks = startTicks((event) => this.#emit(event), this.#tickClock);
    for (const group of this.groups) this.#autostart(group);
  }

  /** Finds an active group; BAD_NAME otherwise. */
  getGroup(name: string): ProcessGroup {
    const group = this.#groups.get(name);
    if (group === undefined) throw new SupervisorError('BAD_NAME', name);
    return group;
  }

  /**
   * Finds a process by namespec (`group:name`, `name` for a process in a group of the same name,
   * or `group:*` is not a process). BAD_NAME otherwise.
   */
  getProcess(namespec: string): ManagedProcess {
    const colon = namespec.indexOf(':');
    const groupName = colon === -1 ? namespec : namespec.slice(0, colon);
    const processName = colon === -1 ? namespec : namespec.slice(colon + 1);
    const process = this.#groups.get(groupName)?.processes.find((p) => p.name === processName);
    if (process === undefined) throw new SupervisorError('BAD_NAME', namespec);
    return process;
  }

  /** Every process of the active groups: groups in (priority, name) order, each in config order. */
  processes(): ManagedProcess[] {
    return this.groups.flatMap((g) => g.processes);
  }

  /**
   * Every process, groups in (priority, name) order, each group's by priority (equal priorities in
   * config order): the order supervisord acts on "all" in (`start all`, `signal all`, `clear all`).
   */
  processesByPriority(): ManagedProcess[] {
    return this.groups.flatMap((g) => g.byPriority);
  }

  /** Starts every process not in a running state, ascending priority; all at once, then waits. */
  startAll(options: { wait?: boolean } = {}): Promise<ProcessActionResult[]> {
    return this.#runAll(
      this.processesByPriority().filter((p) => !isRunningState(p.state)),
      (p) => p.start(options),
      'start',
    );
  }

  /** Stops every process in a running state, ascending priority (as `stop all`). */
  stopAll(options: { wait?: boolean } = {}): Promise<ProcessActionResult[]> {
    return this.#runAll(
      this.processesByPriority().filter((p) => isRunningState(p.state)),
      (p) => p.stop(options),
      'stop',
    );
  }

  startGroup(name: string, options: { wait?: boolean } = {}): Promise<ProcessActionResult[]> {
    const group = this.getGroup(name);
    return this.#runAll(
      group.byPriority.filter((p) => !isRunningState(p.state)),
      (p) => p.start(options),
      'start',
    );
  }

  stopGroup(name: string, options: { wait?: boolean } = {}): Promise<ProcessActionResult[]> {
    const group = this.getGroup(name);
    return this.#runAll(
      group.byPriority.filter((p) => isRunningState(p.state)),
      (p) => p.stop(options),
      'stop',
    );
  }

  /**
   * Activates a group of the stored config (BAD_NAME if it has none, ALREADY_ADDED if active)
   * and starts its autostart processes.
   */
  addGroup(name: string): void {
    const config = this.#config.groups.find((g) => g.name === name);
    if (config === undefined) throw new SupervisorError('BAD_NAME', name);
    if (this.#groups.has(name)) throw new SupervisorError('ALREADY_ADDED', name);
    const group = this.#addGroup(config);
    if (this.#state === 'RUNNING') this.#autostart(group);
  }

  /** Drops an active group whose processes are all stopped (BAD_NAME, STILL_RUNNING). */
  removeGroup(name: string): void {
    const group = this.getGroup(name);
    if (!group.isStopped()) throw new SupervisorError('STILL_RUNNING', name);
    group.close();
    this.#groups.delete(name);
    this.#pools.delete(name);
    this.#emit({ type: 'PROCESS_GROUP_REMOVED', groupName: name });
  }

  /** Compares the active groups with `config` (`reread`'s answer) without changing anything. */
  diff(config: Config): GroupDiff {
    return diffGroups(
      this.groups.map((g) => g.config),
      config.groups,
    );
  }

  /** Stores `config` (so `addGroup` sees it) and returns the diff to the active groups. */
  reloadConfig(config: Config): GroupDiff {
    this.#config = config;
    return this.diff(config);
  }

  /**
   * Applies the stored config as `supervisorctl update` does: removed groups are stopped and
   * dropped, changed ones stopped, dropped and re-added, added ones added; in that order. A group
   * that cannot be added (`FcgiSocketError`) is logged and the others still are; the first such
   * error is thrown at the end.
   */
  async update(names?: readonly string[]): Promise<GroupDiff> {
    const diff = this.diff(this.#config);
    const wanted = (name: string): boolean => names === undefined || names.includes(name);
    for (const name of [...diff.removed, ...diff.changed].filter(wanted)) {
      const results = await this.stopGroup(name, { wait: true });
      if (results.every((r) => r.error === null)) this.removeGroup(name);
    }
    // A group that cannot be made (its FastCGI socket) does not keep the others out.
    let failure: unknown = null;
    for (const name of [...diff.changed, ...diff.added].filter(wanted)) {
      try {
        if (!this.#groups.has(name)) this.addGroup(name);
      } catch (error) {
        this.#ctx.logger.log('error', `could not add group ${name}: ${(error as Error).message}`);
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
    return diff;
  }

  /** Reopens every child log (SIGUSR2). */
  reopenLogs(): void {
    for (const p of this.processes()) p.reopenLogs();
  }

  /**
   * Stops everything as supervisord's shutdown does: groups in reverse priority, one at a time;
   * STARTING/RUNNING processes are stopped and BACKOFF ones given up; the next group is touched
   * only once every process of this one is stopped. While any process of any group is not
   * stopped, logs `waiting for … to die` (names in priority order) at once, then every 3 s.
   */
  shutdown(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** Shuts down (see {@link shutdown}) and closes every log file. */
  async close(): Promise<void> {
    await this.shutdown();
    for (const group of this.#groups.values()) group.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    const wasRunning = this.#state === 'RUNNING';
    this.#state = 'SHUTDOWN';
    this.#stopTicks?.();
    if (wasRunning) this.#emit({ type: 'SUPERVISOR_STATE_CHANGE_STOPPING' });
    const groups = this.groups;
    const report = () => {
      const alive = groups.flatMap((g) => g.processes.filter((p) => !isStoppedState(p.state)));
      if (alive.length)
        this.#ctx.logger.log('info', `waiting for ${alive.map((p) => p.name).join(', ')} to die`);
    };
    let reporting: NodeJS.Timeout | undefined;
    try {
      for (const group of [...groups].reverse()) {
        // As supervisord: descending priority, equal priorities in reverse config order.
        for (const p of [...group.byPriority].reverse()) p.stopForShutdown();
        if (group.isStopped()) continue;
        if (reporting === undefined) {
          report();
          reporting = setInterval(report, 3000);
        }
        await Promise.all(group.processes.map((p) => p.waitForState(isStoppedState)));
      }
    } finally {
      clearInterval(reporting);
    }
  }

  #addGroup(config: GroupConfig): ProcessGroup {
    const group =
      config.kind === 'eventlistener'
        ? new EventListenerPool(config, this.#ctx)
        : new ProcessGroup(config, this.#ctx);
    this.#groups.set(config.name, group);
    if (group instanceof EventListenerPool) this.#pools.set(config.name, group);
    this.#emit({ type: 'PROCESS_GROUP_ADDED', groupName: config.name });
    return group;
  }

  #autostart(group: ProcessGroup): void {
    for (const p of group.processes) {
      if (p.config.autostart && !p.hasStarted && p.state === 'STOPPED') p.spawn();
    }
  }

  // Results as supervisord lists them: it checks the processes acted on every 50 ms and lists
  // those it finds done at each check in the order acted on. Starts that end at once (startsecs=0,
  // no wait, an error) are found by the first check, in the call itself; a stop never is.
  async #runAll(
    processes: readonly ManagedProcess[],
    action: (p: ManagedProcess) => Promise<void>,
    kind: 'start' | 'stop',
  ): Promise<ProcessActionResult[]> {
    const t0 = monotonicMs();
    let firstCheck = kind === 'start';
    const done = processes.map(async (p, index) => {
      let error: SupervisorError | null = null;
      try {
        await action(p);
      } catch (caught) {
        error = caught instanceof SupervisorError ? caught : new SupervisorError('FAILED', String(caught));
      }
      const check = firstCheck ? 0 : Math.max(1, Math.ceil((monotonicMs() - t0) / RESULT_CHECK_MS));
      return { result: { name: p.name, group: p.group, error }, check, index };
    });
    setImmediate(() => {
      firstCheck = false;
    });
    const all = await Promise.all(done);
    return all.sort((a, b) => a.check - b.check || a.index - b.index).map((r) => r.result);
  }

  #emit(event: SupervisorEvent): void {
    // The global serial is given at the first pool's accept; events no pool takes get none.
    let serial: number | undefined;
    const serialOf = (): number => {
      if (serial === undefined) {
        this.#serial = this.#serial === Number.MAX_SAFE_INTEGER ? 0 : this.#serial + 1;
        serial = this.#serial;
      }
      return serial;
    };
    for (const pool of this.#pools.values()) pool.notify(event, serialOf);
    for (const listener of this.#listeners) listener(event);
  }
}

function sortGroups<T extends { readonly name: string; readonly priority: number }>(
  groups: readonly T[],
): T[] {
  return [...groups].sort((a, b) => a.priority - b.priority || compare(a.name, b.name));
}
