/**
 * A stream from the server (`subscribe`, `tail`): an async iterator that ends when the server ends
 * it, throws a `Fault` or `RpcProtocolError` when it fails, and cancels on the server when the
 * consumer stops early (`break` out of `for await`, `return()`, `cancel()` or its AbortSignal).
 */
export interface RpcStream<T> extends AsyncIterableIterator<T>, AsyncDisposable {
  /**
   * Items received and not yet taken. Once they reach the stream's `highWaterMark` the server is
   * asked to pause it, and to resume once the consumer has taken half of them.
   */
  readonly buffered: number;
  /** Stops the stream; items already received are dropped. */
  cancel(): Promise<void>;
  /** Same as {@link RpcStream.cancel}; `for await` calls it on `break`. */
  return(): Promise<IteratorResult<T, undefined>>;
}

type Waiter<T> = { resolve(result: IteratorResult<T>): void; reject(error: Error): void };

/** What a {@link ClientStream} tells the transport. */
export interface ClientStreamControl {
  /** Items to hold before `pause()`; `resume()` follows when half are taken. */
  readonly highWaterMark: number;
  /** The consumer stopped early: cancel on the server. */
  cancel(): void;
  /** Ask the server to hold this stream's items. */
  pause(): void;
  /** Ask the server to send them again. */
  resume(): void;
}

/**
 * The client side of one stream: a queue between the socket and the consumer, bounded by asking
 * the server to pause the stream (flow control per stream, so calls and other streams go on).
 */
export class ClientStream<T> implements RpcStream<T> {
  #queue: T[] = [];
  #waiters: Waiter<T>[] = [];
  #ended = false;
  #paused = false;
  #error: Error | undefined;
  readonly #control: ClientStreamControl;

  constructor(control: ClientStreamControl) {
    this.#control = control;
  }

  /** Whether the stream has ended, failed or been cancelled. */
  get ended(): boolean {
    return this.#ended;
  }

  get buffered(): number {
    return this.#queue.length;
  }

  /** An item arrived. */
  push(value: T): void {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ value, done: false });
      return;
    }
    this.#queue.push(value);
    if (!this.#paused && this.#queue.length >= this.#control.highWaterMark) {
      this.#paused = true;
      this.#control.pause();
    }
  }

  /** The server ended the stream (or it failed, with `error`). Queued items are still delivered. */
  finish(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    for (const waiter of this.#waiters.splice(0)) {
      if (error) waiter.reject(error);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#queue.length > 0) {
      const value = this.#queue.shift() as T;
      if (this.#paused && !this.#ended && this.#queue.length <= this.#control.highWaterMark / 2) {
        this.#paused = false;
        this.#control.resume();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) {
      const error = this.#error;
      this.#error = undefined;
      return error ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    await this.cancel();
    return { value: undefined, done: true };
  }

  async cancel(): Promise<void> {
    this.#queue = [];
    this.#error = undefined;
    if (!this.#ended) {
      this.finish();
      this.#control.cancel();
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.cancel();
  }
}
