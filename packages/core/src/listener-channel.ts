import {
  defaultResultHandler,
  LISTENER_UNKNOWN_WARNING,
  type ListenerOutput,
  ListenerOutputParser,
  pythonBytesRepr,
  type ResultHandler,
} from '@supctl/events';
import type { PooledEvent } from './event-pool.ts';
import type { MainLogger } from './main-log.ts';
import type { ManagedProcess } from './managed-process.ts';

/** What a {@link ListenerChannel} tells its pool. */
export interface ListenerChannelHooks {
  /** The listener wrote `READY\n`: it may be sent an event. */
  readonly ready: () => void;
  /** The event it was handling must go back to the head of the buffer. */
  readonly rejected: (event: PooledEvent) => void;
}

/**
 * One listener process of a pool, seen through its stdout (the protocol channel): the protocol
 * state (`ListenerOutputParser`), the event in flight, and supervisord's main-log lines for every
 * protocol step (`PEventListenerDispatcher`).
 */
export class ListenerChannel {
  readonly process: ManagedProcess;
  readonly #parser: ListenerOutputParser;
  readonly #logger: MainLogger;
  readonly #hooks: ListenerChannelHooks;
  #event: PooledEvent | null = null;

  constructor(
    process: ManagedProcess,
    options: { logger: MainLogger; hooks: ListenerChannelHooks; resultHandler?: ResultHandler },
  ) {
    this.process = process;
    this.#logger = options.logger;
    this.#hooks = options.hooks;
    this.#parser = new ListenerOutputParser({ resultHandler: options.resultHandler ?? defaultResultHandler });
  }

  /** READY, BUSY, ACKNOWLEDGED or UNKNOWN. */
  get state(): ListenerOutputParser['state'] {
    return this.#parser.state;
  }

  /** The event the listener is handling (BUSY), if any. */
  get event(): PooledEvent | null {
    return this.#event;
  }

  /** Whether the pool may send it an event now: process RUNNING and listener READY. */
  get canTakeEvent(): boolean {
    return this.process.state === 'RUNNING' && this.#parser.state === 'READY';
  }

  /** A new child was spawned: ACKNOWLEDGED, waiting for `READY\n`. */
  reset(): void {
    this.#parser.reset();
    this.#event = null;
  }

  /** The child died: the event it was handling (if any) is rejected, as in `Subprocess.finish`. */
  died(): void {
    const event = this.#event;
    this.#event = null;
    if (event !== null) this.#hooks.rejected(event);
  }

  /**
   * Writes the envelope and marks the listener BUSY; false when the write cannot happen (no live
   * child or a closed stdin: supervisord's EPIPE case, which leaves the listener state unchanged).
   */
  send(event: PooledEvent, envelope: Uint8Array): boolean {
    try {
      this.process.sendStdin(envelope);
    } catch {
      return false;
    }
    this.#parser.markBusy();
    this.#event = event;
    return true;
  }

  /** One chunk of the listener's stdout, from the child `pid`. */
  receive(chunk: Buffer, pid: number): void {
    // Output of a child that already died (Node may deliver it after `exit`) is dropped, as
    // supervisord closes the pipes of a finished process.
    if (pid !== this.process.pid) return;
    const name = this.process.name;
    this.#logger.log('debug', `'${name}' stdout output:\n${pythonBytesRepr(chunk)}`);
    for (const output of this.#parser.push(chunk)) this.#handle(output);
  }

  #handle(output: ListenerOutput): void {
    const name = this.process.name;
    const log = this.#logger;
    switch (output.type) {
      case 'ready':
        log.log('debug', `${name}: ${output.from} -> ${output.to}`);
        this.#event = null;
        this.#hooks.ready();
        return;
      case 'processed':
        log.log('debug', `${name}: event was processed`);
        log.log('debug', `${name}: ${output.from} -> ${output.to}`);
        this.#event = null;
        return;
      case 'rejected':
        log.log('warn', `${name}: event was rejected`);
        log.log('debug', `${name}: ${output.from} -> ${output.to}`);
        this.#reject();
        return;
      case 'unknown':
        if (output.warning !== undefined) log.log('warn', `${name}: ${output.warning}`);
        log.log('debug', `${name}: ${output.from} -> ${output.to}`);
        log.log('warn', `${name}: ${LISTENER_UNKNOWN_WARNING}`);
        if (output.eventRejected) this.#reject();
        else this.#event = null;
        return;
    }
  }

  #reject(): void {
    const event = this.#event;
    this.#event = null;
    if (event !== null) this.#hooks.rejected(event);
  }
}
