/**
 * A stream from the server (`subscribe`, `tail`): an async iterator that ends when the server ends
 * it, throws a `Fault` or `RpcProtocolError` when it fails, and cancels on the server when the
 * consumer stops early (`break` out of `for await`, `return()`, `cancel()` or its AbortSignal).
 */
export interface RpcStream<T> extends AsyncIterableIterator<T>, AsyncDisposable {
  /** Stops the stream; items already received are dropped. */
  cancel(): Promise<void>;
  /** Same as {@link RpcStream.cancel}; `for await` calls it on `break`. */
  return(): Promise<IteratorResult<T, undefined>>;
}

type Waiter<T> = { resolve(result: IteratorResult<T>): void; reject(error: Error): void };

/** The client side of one stream: a queue between the socket and the consumer. */
export class ClientStream<T> implements RpcStream<T> {
  #queue: T[] = [];
  #waiters: Waiter<T>[] = [];
  #ended = false;
  #error: Error | undefined;
  readonly #onCancel: () => void;

  constructor(onCancel: () => void) {
    this.#onCancel = onCancel;
  }

  /** Whether the stream has ended, failed or been cancelled. */
  get ended(): boolean {
    return this.#ended;
  }

  /** An item arrived. */
  push(value: T): void {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve({ value, done: false });
    else this.#queue.push(value);
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
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift() as T, done: false });
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
      this.#onCancel();
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.cancel();
  }
}
