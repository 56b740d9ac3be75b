/** Options of {@link createPushStream}. */
export interface PushStreamOptions<T = unknown> {
  /** Ends the stream (the transport aborts it when the client cancels or disconnects). */
  readonly signal?: AbortSignal;
  /**
   * What is held for a slow (or paused) reader, counted by `sizeOf`; beyond it the oldest items
   * are dropped (the newest is always kept). @default 10000
   */
  readonly highWaterMark?: number;
  /** An item's weight against `highWaterMark`, such as its bytes. @default () => 1 */
  readonly sizeOf?: (item: T) => number;
  /**
   * Makes the item that stands where items were dropped, given how many: the reader gets it before
   * the oldest item still held (`supctl.subscribe`'s `EventsDropped`). Without it a reader
   * cannot tell.
   */
  readonly gap?: (dropped: number) => T;
  /** Called once when the stream ends, however it ends: unregister the subscriber here. */
  readonly onEnd?: () => void;
}

/** An async iterable fed by `push()`; never blocks the producer. */
export interface PushStream<T> extends AsyncIterable<T> {
  /** Queues an item (dropping the oldest when full); ignored after the end. */
  push(item: T): void;
  /** Ends the stream; with `error` the reader's loop throws it after the queued items. */
  end(error?: Error): void;
  /** Items dropped because the reader was too slow. */
  readonly dropped: number;
}

/**
 * The building block for stream handlers (`supctl.subscribe`, `supctl.tail`): register the
 * subscriber, return the stream, push into it. Unlike an async generator it ends at once on abort,
 * even while the reader waits, and a slow reader never stalls the producer.
 *
 * @example
 * 'supctl.subscribe': (filter, { signal }) => {
 *   const stream = createPushStream<SupervisorEvent>({ signal, onEnd: () => bus.off('event', listener) });
 *   const listener = (event) => { if (matchesSubscribeFilter(event, filter)) stream.push(event); };
 *   bus.on('event', listener);
 *   return stream;
 * },
 */
export function createPushStream<T>(options: PushStreamOptions<T> = {}): PushStream<T> {
  const { signal, highWaterMark = 10_000, sizeOf = () => 1, gap, onEnd } = options;
  const queue: T[] = [];
  let held = 0; // the queue's weight
  let waiter: { resolve(result: IteratorResult<T>): void; reject(error: Error): void } | undefined;
  let ended = false;
  let failure: Error | undefined;
  let dropped = 0;
  let unreported = 0; // dropped since the reader last took an item

  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
    failure = error;
    signal?.removeEventListener('abort', onAbort);
    onEnd?.();
    if (waiter && queue.length === 0) {
      const w = waiter;
      waiter = undefined;
      if (error) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
  };
  const onAbort = () => end();
  if (signal?.aborted) end();
  else signal?.addEventListener('abort', onAbort, { once: true });

  const iterator: AsyncIterator<T> = {
    next() {
      if (queue.length > 0) {
        if (gap && unreported > 0) {
          const value = gap(unreported);
          unreported = 0;
          return Promise.resolve({ value, done: false });
        }
        const value = queue.shift() as T;
        held -= sizeOf(value);
        return Promise.resolve({ value, done: false });
      }
      if (ended) {
        const error = failure;
        failure = undefined;
        return error ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject };
      });
    },
    return() {
      queue.length = 0;
      held = 0;
      unreported = 0;
      end();
      return Promise.resolve({ value: undefined, done: true });
    },
  };

  return {
    push(item) {
      if (ended) return;
      if (waiter) {
        const w = waiter;
        waiter = undefined;
        w.resolve({ value: item, done: false });
        return;
      }
      queue.push(item);
      held += sizeOf(item);
      while (held > highWaterMark && queue.length > 1) {
        const oldest = queue.shift() as T;
        held -= sizeOf(oldest);
        dropped++;
        unreported++;
      }
    },
    end,
    get dropped() {
      return dropped;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
}
