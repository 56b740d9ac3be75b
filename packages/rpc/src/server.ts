import { createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { type AuthConfig, checkCredentials } from './auth.ts';
import { decodeFrameBody, encodeFrame, encodeResultFrame, FrameDecoder } from './codec.ts';
import type { ApiImplementation, StreamMethodName } from './contract.ts';
import { createDispatcher, type Dispatcher, isThenable } from './dispatcher.ts';
import { Fault } from './faults.ts';
import type { RpcLogger } from './logger.ts';
import {
  CONTROL,
  DEFAULT_CLIENT_MAX_FRAME_BYTES,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MIN_HEARTBEAT_MS,
  DEFAULT_SERVER_MAX_FRAME_BYTES,
  encodePreamble,
  FRAME_HEADER_BYTES,
  PREAMBLE_LENGTH,
  PROTOCOL_VERSION,
  parsePreamble,
  RpcProtocolError,
} from './protocol.ts';

/** Options of {@link createRpcServer}. */
export interface RpcServerOptions {
  /** The object that implements the API (apps/supd builds it over @supctl/core). */
  readonly api: ApiImplementation;
  /** Require these credentials in the handshake; without it every client is let in. */
  readonly auth?: AuthConfig;
  readonly logger?: RpcLogger;
  /** Largest frame accepted from a client; a larger one closes that connection. @default 8 MiB */
  readonly maxFrameBytes?: number;
  /** Close a connection that has not finished its handshake after this long. @default 10000 */
  readonly handshakeTimeoutMs?: number;
  /**
   * The shortest heartbeat interval the server keeps to: a client asking for less is checked at
   * this interval (and dropped after three of them without a frame), so no client can make the
   * server wake every millisecond. @default 1000
   */
  readonly minHeartbeatMs?: number;
  /** Announced to clients in the handshake. @default '@supctl/rpc' */
  readonly serverName?: string;
}

/** Where {@link RpcServer.listen} listens. */
export type ListenAddress = { readonly path: string } | { readonly host?: string; readonly port: number };

/** A native-protocol server; see {@link createRpcServer}. */
export interface RpcServer extends AsyncDisposable {
  /**
   * Serves one connection. `firstChunk` is whatever was already read from it to sniff the protocol
   * (see `sniffProtocol`); it is processed before anything else the socket delivers.
   */
  handleConnection(socket: Duplex, firstChunk?: Uint8Array): void;
  /** Listens on a unix socket or TCP port and serves every connection; resolves to its URL. */
  listen(address: ListenAddress): Promise<string>;
  /** Open connections. */
  readonly connectionCount: number;
  /** Stops listening, ends every connection (their streams are cancelled) and waits for them. */
  close(): Promise<void>;
}

interface StreamEntry {
  readonly kind: 'stream';
  readonly controller: AbortController;
  /** The client asked for no more items for now (CONTROL.pause). */
  paused: boolean;
  /** Wakes the stream's pump, waiting while paused. */
  resume: (() => void) | undefined;
}
type Inflight = { readonly kind: 'call' } | StreamEntry;
const CALL: Inflight = { kind: 'call' };

// The stream's next item, or 'aborted' as soon as the signal fires (without waiting for next()).
// next() is called synchronously, so the handler's body runs before the next frame is handled.
function nextOrAbort(
  iterator: AsyncIterator<unknown>,
  signal: AbortSignal,
): Promise<IteratorResult<unknown> | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

// Calls still being answered on one connection; past this many the server reads no further from
// it until some are answered, so a client cannot queue work (and answers) without bound.
const MAX_PENDING_CALLS = 1024;
/**
 * Streams open at once on one connection: each may hold some MiB for a client that does not take
 * its items (see createPushStream), so a client cannot multiply that without bound. One more
 * fails alone with `TOO_MANY_STREAMS`.
 *
 * @example
 * if (streams.length >= MAX_STREAMS_PER_CONNECTION) await streams.shift()?.cancel();
 */
export const MAX_STREAMS_PER_CONNECTION = 64;
// Frames read while a connection waits for its pending calls are held up to this many bytes;
// past it the server stops reading from that connection.
const MAX_HELD_BYTES = 1024 * 1024;
// A hello is a few short strings: until it is accepted no client may make the server hold more.
const HELLO_MAX_FRAME_BYTES = 65_536;

// A request id must be a non-negative safe integer (0 is the hello).
function isRequestId(id: unknown): id is number {
  return Number.isSafeInteger(id) && (id as number) >= 0;
}

class Connection {
  #state: 'preamble' | 'hello' | 'open' | 'closed' = 'preamble';
  #preamble: Buffer = Buffer.alloc(0);
  readonly #decoder: FrameDecoder;
  readonly #inflight = new Map<number, Inflight>();
  #peerMaxFrameBytes = DEFAULT_CLIENT_MAX_FRAME_BYTES;
  // The peer reads msgpackr records: list results go out as records (see encodeResultFrame).
  #records = false;
  #lastSeen = Date.now();
  #timer: NodeJS.Timeout | undefined;
  // Flow control: frames read while the connection was held back, calls not yet answered, and
  // whether the socket is being read.
  #held: Buffer[] = [];
  #heldBytes = 0;
  #calls = 0;
  #streams = 0; // streams open (entries of #inflight that are streams)
  #reading = true;
  #awaitingDrain = false;
  readonly closed: Promise<void>;

  readonly socket: Duplex;
  readonly server: RpcServerImpl;

  constructor(socket: Duplex, server: RpcServerImpl) {
    this.socket = socket;
    this.server = server;
    this.#decoder = new FrameDecoder({
      maxFrameBytes: Math.min(server.maxFrameBytes, HELLO_MAX_FRAME_BYTES),
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.#timer = setTimeout(() => {
      if (this.#state !== 'open') {
        this.#fail(new RpcProtocolError('HANDSHAKE_TIMEOUT', 'no handshake within the time allowed'));
      }
    }, server.handshakeTimeoutMs);
    this.#timer.unref?.();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => server.logger?.debug?.(`rpc: connection error: ${error.message}`));
    socket.once('close', () => this.#cleanup());
    socket.once('end', () => {
      // The client half-closed: nothing more will come; finish writing and close.
      if (this.#state !== 'closed') socket.end();
    });
  }

  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  onData(chunk: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#lastSeen = Date.now();
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (this.#state === 'preamble') {
      this.#preamble = Buffer.concat([this.#preamble, data]);
      if (this.#preamble.length < PREAMBLE_LENGTH) return;
      data = this.#preamble.subarray(PREAMBLE_LENGTH);
      const version = parsePreamble(this.#preamble);
      this.#preamble = Buffer.alloc(0);
      if (version === undefined) {
        this.server.logger?.warn?.('rpc: connection closed: not a native handshake');
        this.#close();
        return;
      }
      if (version !== PROTOCOL_VERSION) {
        const side = version > PROTOCOL_VERSION ? 'newer' : 'older';
        const fix = version > PROTOCOL_VERSION ? 'upgrade supd' : 'upgrade the client';
        this.#reject(
          new RpcProtocolError(
            'VERSION_MISMATCH',
            `client speaks native protocol ${version}, this server speaks ${PROTOCOL_VERSION} (the client is ${side}); ${fix} so both come from the same release`,
          ),
        );
        return;
      }
      this.#state = 'hello';
    }
    try {
      this.#decoder.feed(data, this.#onBody);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#flow();
  }

  readonly #onBody = (body: Buffer): void => {
    if (this.#isClosed()) return;
    if (this.#state === 'open' && (this.#held.length > 0 || this.#blocked())) {
      // A heartbeat is answered at once: a client waiting on many slow calls is alive, and so
      // are we.
      const ping = this.#pingId(body);
      if (ping !== undefined) {
        this.#send({ id: ping, result: true });
        return;
      }
      this.#held.push(Buffer.from(body));
      this.#heldBytes += body.length;
      return;
    }
    this.#handleBody(body);
  };

  // The id of a heartbeat request, or undefined for any other frame (which is handled in turn).
  #pingId(body: Buffer): number | undefined {
    if (body.length > 64) return undefined;
    let frame: Record<string, unknown>;
    try {
      frame = decodeFrameBody(body);
    } catch {
      return undefined;
    }
    const { id } = frame;
    return frame.method === CONTROL.ping && isRequestId(id) && id !== 0 && !this.#inflight.has(id)
      ? id
      : undefined;
  }

  // The client does not take its answers, or has too many calls pending.
  #blocked(): boolean {
    return this.socket.writableNeedDrain || this.#calls >= MAX_PENDING_CALLS;
  }

  // Handles held frames while the connection is not blocked. Stops reading the socket (TCP then
  // holds the client back) while the client does not take its answers, or once the frames held
  // behind its pending calls pass MAX_HELD_BYTES; reads again when that is over.
  #flow(): void {
    while (this.#held.length > 0 && !this.#blocked() && !this.#isClosed()) {
      const body = this.#held.shift() as Buffer;
      this.#heldBytes -= body.length;
      this.#handleBody(body);
    }
    if (this.#isClosed()) return;
    if (this.socket.writableNeedDrain || this.#heldBytes > MAX_HELD_BYTES) {
      if (this.#reading) {
        this.#reading = false;
        this.socket.pause();
      }
      if (this.socket.writableNeedDrain && !this.#awaitingDrain) {
        this.#awaitingDrain = true;
        this.socket.once('drain', () => {
          this.#awaitingDrain = false;
          this.#flow();
        });
      }
    } else if (!this.#reading) {
      this.#reading = true;
      this.socket.resume();
    }
  }

  #handleBody(body: Buffer): void {
    let frame: Record<string, unknown>;
    try {
      frame = decodeFrameBody(body);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#state === 'hello') this.#onHello(frame);
    else this.#onFrame(frame);
  }

  #onHello(frame: Record<string, unknown>): void {
    const params = frame.params as Record<string, unknown> | undefined;
    if (frame.id !== 0 || frame.method !== CONTROL.hello || typeof params !== 'object' || params === null) {
      this.#fail(new RpcProtocolError('INVALID_REQUEST', `the first frame must be ${CONTROL.hello}`));
      return;
    }
    if (!checkCredentials(this.server.auth, params.username, params.password)) {
      this.server.logger?.warn?.('rpc: client failed authentication');
      this.#reject(new RpcProtocolError('UNAUTHORIZED', 'Server requires authentication'));
      return;
    }
    const peerMax = params.maxFrameBytes;
    if (Number.isSafeInteger(peerMax) && (peerMax as number) > 0) this.#peerMaxFrameBytes = peerMax as number;
    this.#records = params.records === true;
    const heartbeatMs = params.heartbeatMs;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (Number.isSafeInteger(heartbeatMs) && (heartbeatMs as number) > 0) {
      const interval = Math.max(heartbeatMs as number, this.server.minHeartbeatMs);
      this.#timer = setInterval(() => {
        if (Date.now() - this.#lastSeen > 3 * interval) {
          this.#fail(
            new RpcProtocolError('HEARTBEAT_TIMEOUT', `no frame from the client for ${3 * interval} ms`),
          );
        }
      }, interval);
      this.#timer.unref?.();
    }
    this.#state = 'open';
    this.#decoder.maxFrameBytes = this.server.maxFrameBytes;
    this.socket.write(encodePreamble());
    this.#send({
      id: 0,
      result: {
        protocol: PROTOCOL_VERSION,
        server: this.server.serverName,
        maxFrameBytes: this.server.maxFrameBytes,
        records: this.#records,
      },
    });
    this.server.logger?.debug?.(`rpc: client ${String(params.client ?? 'unknown')} connected`);
  }

  #onFrame(frame: Record<string, unknown>): void {
    const { id, method } = frame;
    if (id === undefined || id === null) {
      // A notification about a stream; any other is ignored (forward compatibility).
      const stream = (frame.params as { stream?: unknown } | undefined)?.stream;
      const entry = typeof stream === 'number' ? this.#inflight.get(stream) : undefined;
      if (entry?.kind !== 'stream') return;
      if (method === CONTROL.cancel) entry.controller.abort();
      else if (method === CONTROL.pause) entry.paused = true;
      else if (method === CONTROL.resume) {
        entry.paused = false;
        entry.resume?.();
      }
      return;
    }
    if (!isRequestId(id)) {
      this.#fail(new RpcProtocolError('INVALID_REQUEST', 'a request id must be a non-negative integer'));
      return;
    }
    if (this.#inflight.has(id) || id === 0) {
      // Answer without touching the request that owns the id (before any other check, as
      // #sendError would forget that request: a stream would run on, uncounted and uncancellable).
      this.#send({
        id,
        error: new RpcProtocolError('INVALID_REQUEST', `request id ${id} is already in use`).toWire(),
      });
      return;
    }
    if (typeof method !== 'string') {
      this.#sendError(id, new RpcProtocolError('INVALID_REQUEST', 'a request needs a method name').toWire());
      return;
    }
    const params = frame.params ?? [];
    if (method === CONTROL.ping) {
      this.#send({ id, result: true });
      return;
    }
    const dispatcher = this.server.dispatcher;
    if (dispatcher.isStream(method)) {
      this.#startStream(id, method, params as unknown[]);
      return;
    }
    let result: unknown;
    try {
      result = dispatcher.dispatch(method, params as unknown[]);
    } catch (error) {
      this.#sendError(id, Fault.from(error).toWire());
      return;
    }
    if (!isThenable(result)) {
      this.#writeResult(id, result);
      return;
    }
    this.#inflight.set(id, CALL);
    this.#calls++;
    Promise.resolve(result).then(
      (value) => this.#respond(id, value),
      (error) => this.#sendError(id, Fault.from(error).toWire()),
    );
  }

  #startStream(id: number, method: StreamMethodName, params: unknown[]): void {
    if (this.#streams >= MAX_STREAMS_PER_CONNECTION) {
      this.#send({
        id,
        error: new RpcProtocolError(
          'TOO_MANY_STREAMS',
          `${method}: ${MAX_STREAMS_PER_CONNECTION} streams are already open on this connection; end one first`,
        ).toWire(),
      });
      return;
    }
    const controller = new AbortController();
    let iterator: AsyncIterator<unknown>;
    try {
      iterator = this.server.dispatcher
        .openStream(method, params, controller.signal, { maxFrameBytes: this.#peerMaxFrameBytes })
        [Symbol.asyncIterator]();
    } catch (error) {
      this.#sendError(id, Fault.from(error).toWire());
      return;
    }
    const entry: StreamEntry = { kind: 'stream', controller, paused: false, resume: undefined };
    this.#inflight.set(id, entry);
    this.#streams++;
    void this.#pump(id, iterator, entry);
  }

  // Pulls a stream and forwards its items, as fast as the socket drains and while the client has
  // not paused it; a stream not pulled holds its items itself (a push stream drops the oldest past
  // its mark, a tail reads no further). The first next() runs synchronously, so a handler that
  // registers before its first await sees every event caused by later frames.
  async #pump(id: number, iterator: AsyncIterator<unknown>, entry: StreamEntry): Promise<void> {
    const signal = entry.controller.signal;
    let finished = false;
    try {
      for (;;) {
        const next = await nextOrAbort(iterator, signal);
        if (next === 'aborted') break;
        if (next.done) {
          finished = true;
          break;
        }
        if (!this.#sendItem(id, next.value)) break;
        if (this.socket.writableNeedDrain && (await this.#drained(signal)) === 'aborted') break;
        if (entry.paused && (await this.#resumed(entry)) === 'aborted') break;
      }
      this.#respond(id, true);
    } catch (error) {
      finished = true;
      if (signal.aborted) this.#respond(id, true);
      else this.#sendError(id, Fault.from(error).toWire());
    } finally {
      if (!finished) {
        // An async generator queues return() behind a pending next(); the handler's signal ends it.
        Promise.resolve()
          .then(() => iterator.return?.())
          .catch(() => {});
      }
    }
  }

  // Waits for the socket to drain.
  #drained(signal: AbortSignal): Promise<'go' | 'aborted'> {
    return this.#until(signal, (go) => {
      this.socket.once('drain', go);
      return () => this.socket.off('drain', go);
    });
  }

  // Waits for the client to resume a paused stream.
  #resumed(entry: StreamEntry): Promise<'go' | 'aborted'> {
    return this.#until(entry.controller.signal, (go) => {
      entry.resume = go;
      return () => {
        entry.resume = undefined;
      };
    });
  }

  // 'go' once `listen`'s callback is called, 'aborted' when the stream is cancelled or the socket
  // closes first. Every listener is removed again, so a long stream leaks nothing. The signal may
  // have fired already (held frames handled in the turn that ended the pump's last wait), and an
  // 'abort' listener added then is never called.
  #until(signal: AbortSignal, listen: (go: () => void) => () => void): Promise<'go' | 'aborted'> {
    if (signal.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const done = (outcome: 'go' | 'aborted') => () => {
        unlisten();
        this.socket.off('close', onClose);
        signal.removeEventListener('abort', onClose);
        resolve(outcome);
      };
      const onClose = done('aborted');
      const unlisten = listen(done('go'));
      this.socket.once('close', onClose);
      signal.addEventListener('abort', onClose, { once: true });
    });
  }

  #sendItem(id: number, value: unknown): boolean {
    if (this.#state === 'closed') return false;
    let frame: Buffer;
    try {
      frame = encodeFrame({ method: CONTROL.item, params: { stream: id, value } });
    } catch (error) {
      this.#sendError(
        id,
        new Fault('FAILED', `cannot encode a stream item: ${(error as Error).message}`).toWire(),
      );
      return false;
    }
    if (frame.length - FRAME_HEADER_BYTES > this.#peerMaxFrameBytes) {
      this.#sendError(id, this.#tooLarge(frame.length).toWire());
      return false;
    }
    this.socket.write(frame);
    return true;
  }

  #tooLarge(bytes: number): Fault {
    return new Fault(
      'FAILED',
      `response of ${bytes - FRAME_HEADER_BYTES} bytes exceeds the client's frame limit of ${this.#peerMaxFrameBytes} bytes`,
    );
  }

  #respond(id: number, result: unknown): void {
    if (!this.#settle(id)) return;
    this.#writeResult(id, result);
  }

  // Forgets a request that is answered now; false if it was not pending.
  #settle(id: number): boolean {
    const entry = this.#inflight.get(id);
    if (!entry) return false;
    this.#inflight.delete(id);
    if (entry.kind === 'stream') this.#streams--;
    else if (--this.#calls < MAX_PENDING_CALLS && (this.#held.length > 0 || !this.#reading))
      queueMicrotask(() => this.#flow());
    return true;
  }

  #writeResult(id: number, result: unknown): void {
    if (this.#state === 'closed') return;
    let frame: Buffer;
    try {
      frame = encodeResultFrame(id, result, this.#records);
    } catch (error) {
      this.#sendError(
        id,
        new Fault('FAILED', `cannot encode the result: ${(error as Error).message}`).toWire(),
      );
      return;
    }
    if (frame.length - FRAME_HEADER_BYTES > this.#peerMaxFrameBytes) {
      this.#sendError(id, this.#tooLarge(frame.length).toWire());
      return;
    }
    this.socket.write(frame);
  }

  #sendError(id: number, error: { code: number; name: string; message: string }): void {
    this.#settle(id);
    this.#send({ id, error });
  }

  #send(frame: object): void {
    if (this.#state === 'closed') return;
    this.socket.write(encodeFrame(frame));
  }

  // Answers the handshake with our preamble and an error, then closes (version, auth).
  #reject(error: RpcProtocolError): void {
    if (this.#state === 'closed') return;
    this.socket.write(encodePreamble());
    this.#send({ id: 0, error: error.toWire() });
    this.#close();
  }

  // A connection-level failure: tell the client why (once the handshake is done), then close.
  // The client's failures are warnings; the server's own shutdown is not.
  #fail(error: unknown): void {
    if (this.#state === 'closed') return;
    const protocolError =
      error instanceof RpcProtocolError ? error : new RpcProtocolError('MALFORMED_FRAME', String(error));
    const message = `rpc: connection closed: ${protocolError.message}`;
    if (protocolError.code === 'SERVER_CLOSING') this.server.logger?.debug?.(message);
    else this.server.logger?.warn?.(message);
    if (this.#state === 'open') this.#send({ method: CONTROL.error, params: protocolError.toWire() });
    this.#close();
  }

  #close(): void {
    this.#state = 'closed';
    this.#abortAll();
    this.socket.end();
    // A peer that does not read could keep the socket open forever.
    setTimeout(() => this.socket.destroy(), 1000).unref?.();
  }

  // Ends the connection from the server side (shutdown): tell the client, then close.
  shutdown(): void {
    this.#fail(new RpcProtocolError('SERVER_CLOSING', 'the server is shutting down'));
    this.socket.destroy();
  }

  #abortAll(): void {
    for (const entry of this.#inflight.values()) if (entry.kind === 'stream') entry.controller.abort();
  }

  #cleanup(): void {
    this.#state = 'closed';
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    this.#abortAll();
    this.#inflight.clear();
    this.#held = [];
    this.#heldBytes = 0;
    this.server.connections.delete(this);
  }
}

class RpcServerImpl implements RpcServer {
  readonly dispatcher: Dispatcher;
  readonly auth: AuthConfig | undefined;
  readonly logger: RpcLogger | undefined;
  readonly maxFrameBytes: number;
  readonly handshakeTimeoutMs: number;
  readonly minHeartbeatMs: number;
  readonly serverName: string;
  readonly connections = new Set<Connection>();
  readonly #listeners = new Set<Server>();
  #closed = false;

  constructor(options: RpcServerOptions) {
    this.auth = options.auth;
    this.logger = options.logger;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_SERVER_MAX_FRAME_BYTES;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    this.minHeartbeatMs = options.minHeartbeatMs ?? DEFAULT_MIN_HEARTBEAT_MS;
    this.serverName = options.serverName ?? '@supctl/rpc';
    this.dispatcher = createDispatcher(options.api, {
      onUnexpectedError: (error, method) =>
        this.logger?.warn?.(
          `rpc: ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  handleConnection(socket: Duplex, firstChunk?: Uint8Array): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    const connection = new Connection(socket, this);
    this.connections.add(connection);
    if (firstChunk && firstChunk.length > 0) connection.onData(firstChunk);
  }

  listen(address: ListenAddress): Promise<string> {
    const server = createServer((socket) => this.handleConnection(socket));
    this.#listeners.add(server);
    return new Promise((resolve, reject) => {
      server.once('error', (error) => {
        this.#listeners.delete(server);
        reject(error);
      });
      const onListening = () => {
        server.on('error', (error) => this.logger?.error?.(`rpc: listener error: ${error.message}`));
        const bound = server.address();
        if (typeof bound === 'string' || bound === null)
          resolve(`unix://${'path' in address ? address.path : bound}`);
        else resolve(`tcp://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`);
      };
      if ('path' in address) server.listen(address.path, onListening);
      else server.listen(address.port, address.host ?? '127.0.0.1', onListening);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const listeners = [...this.#listeners].map(
      (server) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    const connections = [...this.connections];
    for (const connection of connections) connection.shutdown();
    await Promise.all([...listeners, ...connections.map((connection) => connection.closed)]);
    this.#listeners.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Serves the API over the native protocol: each connection handshakes (version, then credentials
 * when `auth` is set; nothing else is answered before), then runs many requests and streams at
 * once. Bad input closes only that connection; nothing a client sends throws out of the server.
 *
 * @example
 * await using server = createRpcServer({ api, auth: { username: 'admin', password: '{SHA}…' } });
 * await server.listen({ path: '/run/supd.sock' });
 */
export function createRpcServer(options: RpcServerOptions): RpcServer {
  return new RpcServerImpl(options);
}
