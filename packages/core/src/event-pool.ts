import type { EventListenerPoolConfig } from '@supctl/config';
import {
  type ConcreteEventTypeName,
  concreteSubtypes,
  type EventTypeName,
  formatEventEnvelope,
  isEventType,
  type SupervisorEvent,
} from '@supctl/events';
import { EventBuffer } from './event-buffer.ts';
import { ListenerChannel } from './listener-channel.ts';
import type { ManagedProcess, ProcessContext } from './managed-process.ts';
import { ProcessGroup } from './process-group.ts';

/** One event in a pool's buffer, with the serials it keeps across redeliveries. */
export interface PooledEvent {
  readonly event: SupervisorEvent;
  /** The global serial, given at the first pool's accept. */
  readonly serial: number;
  /** This pool's serial for the event. */
  readonly poolSerial: number;
}

/** What a pool shares with its supervisor besides the process context. */
export interface EventPoolContext extends Omit<ProcessContext, 'listenerStdout'> {}

const utf8 = new TextEncoder();

/**
 * An `[eventlistener:x]` pool (Supervisor's `EventListenerPool`): a group of listener processes
 * whose stdout speaks the listener protocol, and a pool-wide FIFO buffer of `buffer_size` events
 * that drops the oldest on overflow. Each event goes to the first listener that is RUNNING and
 * READY; a rejected event (FAIL, protocol violation, listener death while BUSY) goes back to the
 * head of the buffer with its serials and is sent again. Dispatch runs in a microtask after
 * whatever made it possible (an accept, READY, RUNNING), so events notified together are buffered
 * together, as in one pass of supervisord's main loop.
 */
export class EventListenerPool extends ProcessGroup {
  declare readonly config: EventListenerPoolConfig;
  readonly #subscriptions: readonly EventTypeName[];
  readonly #accepted: ReadonlySet<ConcreteEventTypeName>;
  readonly #channels: Map<ManagedProcess, ListenerChannel>;
  readonly #channelList: readonly ListenerChannel[]; // config order, the order of dispatch
  readonly #byName: ReadonlyMap<string, ListenerChannel>;
  readonly #buffer = new EventBuffer<PooledEvent>();
  readonly #ctx: EventPoolContext;
  #poolSerial = -1;
  #dispatchQueued = false;
  #closed = false;

  constructor(config: EventListenerPoolConfig, ctx: EventPoolContext) {
    // The processes are created by ProcessGroup's constructor, before `this` exists: route their
    // stdout through a holder that is filled right after.
    const holder: { pool?: EventListenerPool } = {};
    super(config, {
      ...ctx,
      listenerStdout: (process, chunk, pid) => holder.pool?.channel(process)?.receive(chunk, pid),
    });
    holder.pool = this;
    this.#ctx = ctx;
    this.#subscriptions = config.events.filter(isEventType);
    this.#accepted = new Set(this.#subscriptions.flatMap((type) => concreteSubtypes(type)));
    this.#channels = new Map(
      this.processes.map((process) => [
        process,
        new ListenerChannel(process, {
          logger: ctx.logger,
          hooks: {
            ready: () => this.#scheduleDispatch(),
            rejected: (event) => this.#rejected(event),
          },
        }),
      ]),
    );
    this.#channelList = [...this.#channels.values()];
    this.#byName = new Map(this.#channelList.map((c) => [c.process.name, c]));
  }

  /** The event types the pool subscribes to (parents included), as configured. */
  get subscriptions(): readonly EventTypeName[] {
    return this.#subscriptions;
  }

  /** The buffered events, oldest first (the next one to send is first). */
  get buffer(): readonly PooledEvent[] {
    return this.#buffer.toArray();
  }

  /** How many events are buffered. */
  get size(): number {
    return this.#buffer.length;
  }

  /** The protocol side of one listener process of this pool (its state: READY, BUSY, …). */
  channel(process: ManagedProcess): ListenerChannel | undefined {
    return this.#channels.get(process);
  }

  /** Whether the pool subscribes to events of `type` (itself or a parent). */
  isSubscribed(type: ConcreteEventTypeName): boolean {
    return this.#accepted.has(type);
  }

  /**
   * Sees every event the supervisor notifies. A subscribed one is appended to the buffer;
   * `serialOf` gives its global serial (assigned by the first pool that accepts it). State events
   * of the pool's own processes also drive the listeners: a spawn resets the protocol state, a
   * death rejects the event in flight (after the state event itself was buffered, as in
   * `Subprocess.finish`), RUNNING may allow a dispatch.
   */
  notify(event: SupervisorEvent, serialOf: () => number): void {
    if (this.#closed) return;
    if (this.isSubscribed(event.type)) {
      this.#accept({ event, serial: serialOf(), poolSerial: this.#nextPoolSerial() }, false);
      this.#scheduleDispatch();
    }
    if (!event.type.startsWith('PROCESS_STATE_') || !('processName' in event)) return;
    if (event.groupName !== this.name) return;
    const channel = this.#byName.get(event.processName);
    if (channel === undefined) return;
    switch (event.type) {
      case 'PROCESS_STATE_STARTING':
        channel.reset();
        break;
      case 'PROCESS_STATE_EXITED':
      case 'PROCESS_STATE_STOPPED':
      case 'PROCESS_STATE_BACKOFF':
        channel.died();
        break;
      case 'PROCESS_STATE_RUNNING':
        this.#scheduleDispatch();
        break;
    }
  }

  /** Stops accepting and dispatching, then closes the processes' logs (see ProcessGroup). */
  override close(): void {
    this.#closed = true;
    super.close();
  }

  #nextPoolSerial(): number {
    this.#poolSerial = this.#poolSerial === Number.MAX_SAFE_INTEGER ? 0 : this.#poolSerial + 1;
    return this.#poolSerial;
  }

  // Supervisor's _acceptEvent: a known event is being re-buffered; a full buffer drops its oldest.
  #accept(pooled: PooledEvent, head: boolean, rebuffered = head): void {
    const buffer = this.#buffer;
    const max = this.config.bufferSize;
    if (rebuffered) {
      this.#ctx.logger.log(
        'debug',
        `rebuffering event ${pooled.serial} for pool ${this.name} (buf size=${buffer.length}, max=${max})`,
      );
    }
    if (buffer.length >= max) {
      const discarded = buffer.shift();
      if (discarded !== undefined) {
        this.#ctx.logger.log(
          'error',
          `pool ${this.name} event buffer overflowed, discarding event ${discarded.serial}`,
        );
      }
    }
    if (head) buffer.unshift(pooled);
    else buffer.push(pooled);
  }

  // Supervisor re-queues a rejection in every pool holding a process of the same priority (spec
  // §4.3 quirk); we re-queue it only in the pool that owns the listener, as the spec recommends.
  #rejected(pooled: PooledEvent): void {
    if (this.#closed) return;
    this.#accept(pooled, true);
    this.#scheduleDispatch();
  }

  #scheduleDispatch(): void {
    if (this.#dispatchQueued || this.#closed) return;
    this.#dispatchQueued = true;
    queueMicrotask(() => {
      this.#dispatchQueued = false;
      this.#dispatch();
    });
  }

  // Supervisor's dispatch: FIFO, each event to the first RUNNING+READY listener in config order;
  // when none is left the event goes back to the head and the pass ends.
  #dispatch(): void {
    if (this.#closed) return;
    const channels = this.#channelList;
    if (!channels.some((c) => c.canTakeEvent)) return;
    while (this.#buffer.length > 0) {
      const pooled = this.#buffer.shift()!;
      if (!this.#send(pooled, channels)) {
        this.#accept(pooled, true);
        break;
      }
    }
  }

  #send(pooled: PooledEvent, channels: readonly ListenerChannel[]): boolean {
    let envelope: Uint8Array | undefined;
    for (const channel of channels) {
      if (!channel.canTakeEvent) continue;
      envelope ??= utf8.encode(
        formatEventEnvelope({
          server: this.#ctx.identifier,
          serial: pooled.serial,
          pool: this.name,
          poolSerial: pooled.poolSerial,
          event: pooled.event,
        }),
      );
      const name = channel.process.name;
      if (!channel.send(pooled, envelope)) {
        this.#ctx.logger.log(
          'debug',
          `epipe occurred while sending event ${pooled.serial} to listener ${name}, listener state unchanged`,
        );
        continue;
      }
      this.#ctx.logger.log('debug', `event ${pooled.serial} sent to listener ${name}`);
      return true;
    }
    return false;
  }
}
