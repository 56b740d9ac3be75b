import { connect as netConnect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventTypeName } from '@supctl/events';
import { ClientStream, type RpcStream } from './client-stream.ts';
import { decodeFrameBody, encodeFrame, FrameDecoder } from './codec.ts';
import type {
  EventsDropped,
  EventsOfTypes,
  LogChunk,
  MethodName,
  MethodParams,
  MethodResult,
  SubscribeFilter,
  TailOptions,
} from './contract.ts';
import { Fault, type WireError } from './faults.ts';
import { isStreamMethodName } from './method-table.ts';
import {
  CONTROL,
  DEFAULT_CLIENT_MAX_FRAME_BYTES,
  DEFAULT_HEARTBEAT_MS,
  encodePreamble,
  FRAME_HEADER_BYTES,
  PREAMBLE_LENGTH,
  PROTOCOL_VERSION,
  parsePreamble,
  protocolErrorName,
  RpcProtocolError,
} from './protocol.ts';
import { parseServerUrl, type ServerAddress } from './server-url.ts';

/** How a client reconnects after losing an established connection. */
export interface ReconnectOptions {
  /** First delay; each failed attempt doubles it (with jitter). @default 100 */
  readonly initialDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
  /** Give up (and close) after this many failed attempts in a row. @default Infinity */
  readonly maxAttempts?: number;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** As `[unix_http_server]`'s `username`; needed when the server sets credentials. */
  readonly username?: string;
  readonly password?: string;
  /**
   * Reconnect with backoff when an established connection drops. Calls made meanwhile wait; calls
   * and streams in flight when it dropped fail with the error that ended it (CONNECTION_LOST,
   * SERVER_CLOSING, HEARTBEAT_TIMEOUT): streams do not resume, subscribe again once the state is
   * `open`. When it gives up, waiting calls fail with UNAUTHORIZED or VERSION_MISMATCH (retrying
   * cannot help) or CONNECTION_LOST (its `cause` is the last socket error). @default false
   */
  readonly reconnect?: boolean | ReconnectOptions;
  /**
   * Ping interval; 0 disables. A server silent for more than two intervals is noticed at the next
   * ping, so within three (45 s by default): calls and streams then fail with HEARTBEAT_TIMEOUT.
   * The server drops a client silent for more than three of them. @default 15000
   */
  readonly heartbeatMs?: number;
  /** Time allowed to connect and handshake. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Largest frame accepted from the server. @default 64 MiB */
  readonly maxFrameBytes?: number;
  /** Announced to the server (shows in its debug log). @default '@supctl/rpc' */
  readonly clientName?: string;
  /**
   * Let the server write list results (`getAllProcessInfo`, …) with msgpackr records, which this
   * client decodes about three times faster. Turn it off to see the plain MessagePack a client in
   * another language gets. The values are the same either way. @default true
   */
  readonly records?: boolean;
  /** Told about every state change, with the error that caused it. */
  readonly onStateChange?: (state: ClientState, error?: Error) => void;
}

/** `open`: usable; `reconnecting`: calls wait; `closed`: calls reject with CLOSED. */
export type ClientState = 'open' | 'reconnecting' | 'closed';

/** What the server said about itself in the handshake. */
export interface ServerInfo {
  readonly protocol: number;
  readonly server: string;
  readonly maxFrameBytes: number;
  /** Whether the server writes list results with msgpackr records on this connection. */
  readonly records: boolean;
}

/** Stream options (client side only; none goes to the server). */
export interface StreamOptions {
  /** Cancels the stream. */
  readonly signal?: AbortSignal;
  /**
   * Items held for a consumer that is not taking them before the server is asked to pause the
   * stream; it resumes once half are taken. While paused, the server holds a bounded amount of
   * what the stream produces and drops the oldest past it (supd: 4 MiB of a subscription's
   * events, 16 MiB of a followed tail's new output; a tail's first read just waits). A server
   * older than flow control ignores the pause, and the stream's queue grows without bound.
   * @default 1000 for subscribe, 64 for tail (chunks of up to 64 KiB)
   */
  readonly highWaterMark?: number;
}

const DEFAULT_HIGH_WATER_MARK = { 'supctl.subscribe': 1000, 'supctl.tail': 64 } as const;

/** A connected client; see {@link connect}. */
export interface RpcClient extends AsyncDisposable {
  /**
   * Calls a method; resolves to its result or rejects with a {@link Fault} (API errors) or an
   * {@link RpcProtocolError} (transport). Many calls may be in flight at once. A request larger than
   * the server's frame limit rejects with FRAME_TOO_LARGE, unsent; the connection stays.
   */
  call<M extends MethodName>(method: M, ...params: MethodParams<M>): Promise<MethodResult<M>>;
  /**
   * Live events matching `filter` (`types` narrows the event type). Starts at once, before
   * iteration. Where the server had to drop events for this subscriber (it stopped reading for a
   * while), an {@link EventsDropped} stands in their place.
   */
  subscribe<const T extends EventTypeName = EventTypeName>(
    filter?: Omit<SubscribeFilter, 'types'> & { readonly types?: readonly T[] },
    options?: StreamOptions,
  ): RpcStream<EventsOfTypes<T> | EventsDropped>;
  /** A process log: the bytes from `offset`, then (with `follow`) what the process writes next. */
  tail(name: string, options?: TailOptions & StreamOptions): RpcStream<LogChunk>;
  readonly state: ClientState;
  /** The server's handshake answer (of the current connection). */
  readonly server: ServerInfo;
  /** Closes the connection; calls in flight reject with CLOSED, streams end. */
  close(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Handshaken {
  readonly socket: Socket;
  readonly decoder: FrameDecoder;
  readonly server: ServerInfo;
  /** Where the socket's reads go; the client takes it over after the handshake. */
  readonly reader: Reader;
}

// The socket reads into one reused buffer (`onread`), not a fresh Buffer and a 'data' event per
// read; `onChunk` must be done with the bytes when it returns.
interface Reader {
  onChunk: (chunk: Buffer) => void;
}

/** Bytes read from the socket at once. */
const READ_BUFFER_BYTES = 64 * 1024;

function errorFromWire(error: unknown): Error {
  const wire = (typeof error === 'object' && error !== null ? error : {}) as Partial<WireError>;
  const code = typeof wire.code === 'number' ? wire.code : 0;
  const message = typeof wire.message === 'string' ? wire.message : 'unknown error';
  if (code > 0) return Fault.fromWire({ code, name: String(wire.name), message });
  return new RpcProtocolError(protocolErrorName(code) ?? 'INVALID_REQUEST', message);
}

function describe(address: ServerAddress): string {
  return 'path' in address ? `unix://${address.path}` : `tcp://${address.host}:${address.port}`;
}

// Opens a socket and runs the handshake: our preamble and hello, then the server's. `signal`
// abandons it (the client was closed while reconnecting).
function handshake(
  address: ServerAddress,
  options: ConnectOptions,
  signal?: AbortSignal,
): Promise<Handshaken> {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_CLIENT_MAX_FRAME_BYTES;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RpcProtocolError('CLOSED', 'the client was closed'));
      return;
    }
    const reader: Reader = { onChunk: () => {} };
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
      callback: (bytes: number, buffer: Uint8Array): boolean => {
        reader.onChunk((buffer as Buffer).subarray(0, bytes));
        return true;
      },
    };
    const socket =
      'path' in address
        ? netConnect({ path: address.path, onread })
        : netConnect({ port: address.port, host: address.host, onread });
    const decoder = new FrameDecoder({ maxFrameBytes });
    let preamble = Buffer.alloc(0);
    let serverVersion: number | undefined;
    const timer = setTimeout(
      () =>
        fail(
          new RpcProtocolError(
            'HANDSHAKE_TIMEOUT',
            `no handshake from ${describe(address)} within ${options.connectTimeoutMs ?? 10_000} ms`,
          ),
        ),
      options.connectTimeoutMs ?? 10_000,
    );
    const onAbort = () => fail(new RpcProtocolError('CLOSED', 'the client was closed'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (error: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reader.onChunk = () => {};
      socket.destroy();
      reject(error);
    };
    socket.once('connect', () => {
      if ('path' in address === false) socket.setNoDelay(true);
      const hello = {
        id: 0,
        method: CONTROL.hello,
        params: {
          protocol: PROTOCOL_VERSION,
          client: options.clientName ?? '@supctl/rpc',
          username: options.username,
          password: options.password,
          maxFrameBytes,
          heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
          records: options.records ?? true,
        },
      };
      socket.write(Buffer.concat([encodePreamble(), encodeFrame(hello)]));
    });
    socket.on('error', fail);
    socket.once('close', () =>
      fail(
        new RpcProtocolError(
          'CONNECTION_LOST',
          `${describe(address)} closed the connection during the handshake`,
        ),
      ),
    );
    reader.onChunk = (chunk: Buffer) => {
      let data = chunk;
      if (serverVersion === undefined) {
        preamble = Buffer.concat([preamble, chunk]);
        if (preamble.length < PREAMBLE_LENGTH) return;
        serverVersion = parsePreamble(preamble);
        if (serverVersion === undefined) {
          const http = preamble.subarray(0, 5).toString('latin1') === 'HTTP/';
          fail(
            new RpcProtocolError(
              'VERSION_MISMATCH',
              http
                ? `${describe(address)} answered with HTTP, not the native protocol: is it supervisord rather than supd? (use XML-RPC at /RPC2)`
                : `${describe(address)} does not speak the supctl native protocol`,
            ),
          );
          return;
        }
        data = preamble.subarray(PREAMBLE_LENGTH);
      }
      let frames: Record<string, unknown>[];
      try {
        frames = decoder.push(data);
      } catch (error) {
        fail(serverVersion === PROTOCOL_VERSION ? (error as Error) : mismatch(serverVersion));
        return;
      }
      const answer = frames[0];
      if (!answer) return;
      if (answer.id !== 0 || !('result' in answer || 'error' in answer)) {
        fail(
          serverVersion === PROTOCOL_VERSION
            ? new RpcProtocolError('INVALID_REQUEST', 'unexpected handshake answer')
            : mismatch(serverVersion),
        );
        return;
      }
      if ('error' in answer) {
        fail(errorFromWire(answer.error));
        return;
      }
      if (serverVersion !== PROTOCOL_VERSION) {
        fail(mismatch(serverVersion));
        return;
      }
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reader.onChunk = () => {};
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      const result = answer.result as Partial<ServerInfo>;
      resolve({
        socket,
        decoder,
        reader,
        server: {
          protocol: serverVersion,
          server: String(result?.server ?? ''),
          maxFrameBytes: Number(result?.maxFrameBytes ?? 0),
          records: result?.records === true,
        },
      });
    };
  });

  function mismatch(serverVersion: number): RpcProtocolError {
    const fix = serverVersion > PROTOCOL_VERSION ? 'upgrade @supctl/rpc (this client)' : 'upgrade supd';
    return new RpcProtocolError(
      'VERSION_MISMATCH',
      `${describe(address)} speaks native protocol ${serverVersion}, this client speaks ${PROTOCOL_VERSION}; ${fix} so both come from the same release`,
    );
  }
}

class RpcClientImpl implements RpcClient {
  readonly #address: ServerAddress;
  readonly #options: ConnectOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #streams = new Map<number, ClientStream<unknown>>();
  #socket!: Socket;
  #decoder!: FrameDecoder;
  #server!: ServerInfo;
  #state: ClientState = 'open';
  #nextId = 1;
  #lastSeen = Date.now();
  #lostError: Error | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #waiters: { resolve(): void; reject(error: Error): void }[] = [];
  #socketClosed: Promise<void> = Promise.resolve();
  // Ends reconnecting (its wait and its handshake), so close() leaves no socket or timer behind.
  #stopReconnecting: AbortController | undefined;

  constructor(address: ServerAddress, options: ConnectOptions, first: Handshaken) {
    this.#address = address;
    this.#options = options;
    this.#attach(first);
  }

  get state(): ClientState {
    return this.#state;
  }

  get server(): ServerInfo {
    return this.#server;
  }

  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #setState(state: ClientState, error?: Error): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#options.onStateChange?.(state, error);
  }

  #attach({ socket, decoder, server, reader }: Handshaken): void {
    this.#socket = socket;
    this.#decoder = decoder;
    this.#server = server;
    this.#lastSeen = Date.now();
    this.#lostError = undefined;
    this.#socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    reader.onChunk = (chunk) => this.#onData(chunk);
    socket.on('error', (error) => {
      this.#lostError ??= new RpcProtocolError(
        'CONNECTION_LOST',
        `connection to ${describe(this.#address)} lost: ${error.message}`,
        { cause: error },
      );
    });
    socket.once('close', () => this.#onClose(socket));
    const heartbeatMs = this.#options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    if (heartbeatMs > 0) {
      this.#heartbeat = setInterval(() => this.#beat(heartbeatMs), heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  #beat(heartbeatMs: number): void {
    if (Date.now() - this.#lastSeen > 2 * heartbeatMs) {
      this.#lostError = new RpcProtocolError(
        'HEARTBEAT_TIMEOUT',
        `${describe(this.#address)} stopped answering pings`,
      );
      this.#socket.destroy();
      return;
    }
    const id = this.#nextId++;
    this.#pending.set(id, { resolve() {}, reject() {} });
    this.#socket.write(encodeFrame({ id, method: CONTROL.ping, params: [] }));
  }

  #onData(chunk: Buffer): void {
    this.#lastSeen = Date.now();
    try {
      this.#decoder.feed(chunk, this.#onBody);
    } catch (error) {
      this.#lostError = error as Error;
      this.#socket.destroy();
    }
  }

  // Decodes while the read buffer still holds the bytes; a bad frame throws out of feed().
  readonly #onBody = (body: Buffer): void => this.#onFrame(decodeFrameBody(body));

  #onFrame(frame: Record<string, unknown>): void {
    const { id } = frame;
    if (typeof id === 'number') {
      const pending = this.#pending.get(id);
      if (pending) {
        this.#pending.delete(id);
        if ('error' in frame) pending.reject(errorFromWire(frame.error));
        else pending.resolve(frame.result);
        return;
      }
      const stream = this.#streams.get(id);
      if (stream) {
        this.#streams.delete(id);
        stream.finish('error' in frame ? errorFromWire(frame.error) : undefined);
      }
      return;
    }
    const params = frame.params as { stream?: unknown; value?: unknown } | undefined;
    if (frame.method === CONTROL.item && typeof params?.stream === 'number') {
      this.#streams.get(params.stream)?.push(params.value);
    } else if (frame.method === CONTROL.error) {
      this.#lostError = errorFromWire(frame.params);
    }
  }

  #onClose(socket: Socket): void {
    if (socket !== this.#socket) return;
    clearInterval(this.#heartbeat);
    const closing = this.#state === 'closed';
    const error = closing
      ? new RpcProtocolError('CLOSED', 'the client was closed')
      : (this.#lostError ??
        new RpcProtocolError('CONNECTION_LOST', `connection to ${describe(this.#address)} lost`));
    const pending = [...this.#pending.values()];
    const streams = [...this.#streams.values()];
    this.#pending.clear();
    this.#streams.clear();
    for (const entry of pending) entry.reject(error);
    for (const stream of streams) stream.finish(closing ? undefined : error);
    if (closing) return;
    if (this.#options.reconnect) void this.#reconnect(error);
    else this.#shutDown(error);
  }

  #shutDown(error: Error): void {
    this.#setState('closed', error);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  async #reconnect(cause: Error): Promise<void> {
    // Before the state change: an onStateChange that closes the client at once must stop it.
    const stop = new AbortController();
    this.#stopReconnecting = stop;
    this.#setState('reconnecting', cause);
    const options = typeof this.#options.reconnect === 'object' ? this.#options.reconnect : {};
    const { initialDelayMs = 100, maxDelayMs = 5000, maxAttempts = Number.POSITIVE_INFINITY } = options;
    let lastError = cause;
    let attempts = 0;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);
      await sleep(delay, undefined, { signal: stop.signal }).catch(() => {});
      if (this.#isClosed()) return;
      attempts++;
      try {
        const next = await handshake(this.#address, this.#options, stop.signal);
        if (this.#isClosed()) {
          next.socket.destroy();
          return;
        }
        this.#attach(next);
        this.#setState('open');
        for (const waiter of this.#waiters.splice(0)) waiter.resolve();
        return;
      } catch (error) {
        if (this.#isClosed()) return;
        lastError = error as Error;
        // Retrying cannot fix these.
        if (
          error instanceof RpcProtocolError &&
          (error.code === 'UNAUTHORIZED' || error.code === 'VERSION_MISMATCH')
        )
          break;
      }
    }
    if (this.#isClosed()) return;
    // A socket error (ECONNREFUSED, ENOENT) becomes a transport error that says we gave up.
    this.#shutDown(
      lastError instanceof RpcProtocolError
        ? lastError
        : new RpcProtocolError(
            'CONNECTION_LOST',
            `connection to ${describe(this.#address)} lost; gave up reconnecting after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${lastError.message}`,
            { cause: lastError },
          ),
    );
  }

  #whenOpen(): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    if (this.#state === 'closed')
      return Promise.reject(new RpcProtocolError('CLOSED', 'the client is closed'));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  // A request the server would refuse for its size would close the connection and fail every call
  // in flight: it fails alone, before it is sent.
  #checkSize(method: string, frame: Buffer): void {
    const limit = this.#server.maxFrameBytes;
    const bytes = frame.length - FRAME_HEADER_BYTES;
    if (limit > 0 && bytes > limit) {
      throw new RpcProtocolError(
        'FRAME_TOO_LARGE',
        `${method}: request of ${bytes} bytes exceeds the server's frame limit of ${limit} bytes`,
      );
    }
  }

  #request(method: string, params: readonly unknown[], pending: Pending): number {
    const id = this.#nextId++;
    const frame = encodeFrame({ id, method, params });
    this.#checkSize(method, frame);
    this.#pending.set(id, pending);
    this.#socket.write(frame);
    return id;
  }

  call<M extends MethodName>(method: M, ...params: MethodParams<M>): Promise<MethodResult<M>> {
    if (isStreamMethodName(method)) {
      // Its items would be dropped and its final answer never comes: the call would hang.
      const usage = method === 'supctl.subscribe' ? 'client.subscribe(filter)' : 'client.tail(name, options)';
      return Promise.reject(new TypeError(`call('${method}'): ${method} is a stream; use ${usage}`));
    }
    if (this.#state !== 'open') return this.#whenOpen().then(() => this.call(method, ...params));
    return new Promise((resolve, reject) => {
      try {
        this.#request(method, params, { resolve: resolve as (value: unknown) => void, reject });
      } catch (error) {
        reject(error);
      }
    });
  }

  #openStream<T>(
    method: keyof typeof DEFAULT_HIGH_WATER_MARK,
    params: unknown[],
    options: StreamOptions = {},
  ): RpcStream<T> {
    const { signal, highWaterMark = DEFAULT_HIGH_WATER_MARK[method] } = options;
    if (!Number.isSafeInteger(highWaterMark) || highWaterMark < 1) {
      throw new TypeError(`highWaterMark must be a positive integer, got ${String(highWaterMark)}`);
    }
    let id: number | undefined;
    let socket: Socket | undefined;
    // A notification about this stream, on the connection it was opened on.
    const notify = (control: string) => {
      if (id !== undefined && socket === this.#socket && !socket.destroyed) {
        socket.write(encodeFrame({ method: control, params: { stream: id } }));
      }
    };
    const stream = new ClientStream<T>({
      highWaterMark,
      cancel: () => {
        if (id !== undefined) this.#streams.delete(id);
        notify(CONTROL.cancel);
      },
      pause: () => notify(CONTROL.pause),
      resume: () => notify(CONTROL.resume),
    });
    if (signal?.aborted) {
      void stream.cancel();
      return stream;
    }
    signal?.addEventListener('abort', () => void stream.cancel(), { once: true });
    const start = () => {
      if (stream.ended) return;
      id = this.#nextId++;
      socket = this.#socket;
      this.#streams.set(id, stream as ClientStream<unknown>);
      try {
        const frame = encodeFrame({ id, method, params });
        this.#checkSize(method, frame);
        socket.write(frame);
      } catch (error) {
        this.#streams.delete(id);
        stream.finish(error as Error);
      }
    };
    if (this.#state === 'open') start();
    else this.#whenOpen().then(start, (error: Error) => stream.finish(error));
    return stream;
  }

  subscribe<const T extends EventTypeName = EventTypeName>(
    filter: Omit<SubscribeFilter, 'types'> & { readonly types?: readonly T[] } = {},
    options?: StreamOptions,
  ): RpcStream<EventsOfTypes<T> | EventsDropped> {
    return this.#openStream('supctl.subscribe', [filter], options);
  }

  tail(name: string, options: TailOptions & StreamOptions = {}): RpcStream<LogChunk> {
    // Anything but an object goes as it is, so that the server's fault names it.
    if (typeof options !== 'object' || options === null) {
      return this.#openStream('supctl.tail', [name, options], {});
    }
    const { signal, highWaterMark, ...tailOptions } = options;
    return this.#openStream('supctl.tail', [name, tailOptions], { signal, highWaterMark });
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') {
      await this.#socketClosed;
      return;
    }
    this.#setState('closed');
    this.#stopReconnecting?.abort();
    for (const waiter of this.#waiters.splice(0))
      waiter.reject(new RpcProtocolError('CLOSED', 'the client was closed'));
    clearInterval(this.#heartbeat);
    const socket = this.#socket;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), 1000);
    await this.#socketClosed;
    clearTimeout(timer);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Connects to supd's native protocol (`unix:///path`, `tcp://host:port`, or the `http://host:port`
 * of the same socket) and runs the handshake. Rejects with an {@link RpcProtocolError}
 * (`UNAUTHORIZED`, `VERSION_MISMATCH`, …) or the socket's error (`ENOENT`, `ECONNREFUSED`).
 *
 * @example
 * await using client = await connect('unix:///run/supd.sock', { username: 'admin', password: 'secret' });
 * const { statename } = await client.call('supervisor.getState');
 * for await (const event of client.subscribe({ types: ['PROCESS_STATE'] })) {
 *   if (event.type !== 'EVENTS_DROPPED') console.log(event.processName, event.type);
 * }
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<RpcClient> {
  const address = parseServerUrl(url);
  const first = await handshake(address, options);
  return new RpcClientImpl(address, options, first);
}
