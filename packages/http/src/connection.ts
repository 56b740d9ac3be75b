// One HTTP connection on an already-accepted socket: medusa's request loop (one request at a
// time, later ones wait in the buffer), its keep-alive rules, bounded heads, bodies and idle time.
import type { Socket } from 'node:net';
import { errorBody, httpDate, reasonPhrase } from './http-messages.ts';
import { parseRequestHead, type RequestHead, splitUri } from './request-head.ts';

/** Limits of one connection. */
export interface ConnectionLimits {
  /** Largest request head (request line and headers). @default 65536 */
  readonly maxHeaderBytes: number;
  /** Largest request body; a bigger Content-Length gets 413 and the connection is closed. @default 16777216 */
  readonly maxBodyBytes: number;
  /** Close a connection that sends nothing for this long while no request is in progress. @default 300000 */
  readonly idleTimeoutMs: number;
  /**
   * A request's head and body must have arrived this long after its first byte, however slowly
   * they trickle in (slowloris); else 408 and the connection is closed. @default 60000
   */
  readonly requestTimeoutMs: number;
}

/** A header to send: name and value. */
export type HeaderPair = readonly [name: string, value: string];

/** A response written piece by piece (without a Content-Length: chunked on HTTP/1.1). */
export interface ResponseStream {
  /** Writes a piece; resolves once the socket can take more (back-pressure). */
  write(data: string | Buffer): Promise<void>;
  /** Ends the response (the last chunk on HTTP/1.1, else closes the connection). */
  end(): void;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

/**
 * One request and the means to answer it. Exactly one of `send`, `error` or `stream` answers it.
 */
export interface HttpExchange {
  readonly request: RequestHead;
  /** `uri`'s path part (without `;params`, `?query`, `#fragment`). */
  readonly path: string;
  /** The query string without `?`; `''` when absent. */
  readonly query: string;
  /** A header value by lower-case name. */
  header(name: string): string | undefined;
  /**
   * Reads the body as medusa's collector does: a missing Content-Length answers 411, one over the
   * limit 413 (and closes); resolves null after answering so.
   */
  readBody(): Promise<Buffer | null>;
  /** Sends a complete response; `Server` and `Date` come first, as medusa writes them. */
  send(status: number, headers: readonly HeaderPair[], body: string | Buffer): void;
  /** Sends medusa's error page for `status`, after `headers` (e.g. `WWW-Authenticate`). */
  error(status: number, headers?: readonly HeaderPair[], options?: { close?: boolean }): void;
  /**
   * Starts a response whose body is written piece by piece: chunked on HTTP/1.1 unless `headers`
   * has a Content-Length (then the connection may stay open as for {@link send}).
   */
  stream(status: number, headers: readonly HeaderPair[]): ResponseStream;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

/** Handles one request; a rejection answers 500 when nothing was sent yet. */
export type RequestHandler = (exchange: HttpExchange) => void | Promise<void>;

const SERVER = 'Server: Medusa/1.12\r\n';
const CRLF2 = Buffer.from('\r\n\r\n');

/** Serves HTTP on `socket`, whose first bytes are `firstChunk`, until either side closes. */
export function serveConnection(
  socket: Socket,
  firstChunk: Buffer,
  handler: RequestHandler,
  limits: ConnectionLimits,
): void {
  let buffer: Buffer = firstChunk;
  let busy = false;
  let closing = false;
  let bodyWaiter: (() => void) | null = null;
  // Reading stops while a request is in progress and more than a head's worth of the next ones
  // is waiting, so a client that pipelines without end is held back by TCP, not by our memory.
  let reading = true;
  const aborter = new AbortController();

  socket.setNoDelay(true);
  // Idle time is counted only while no request is being handled (or while a body is awaited); one
  // timer per connection, re-armed lazily, is cheaper than socket.setTimeout() twice per request.
  let idleSince = Date.now();
  let counting = true;
  const checkIdle = () => {
    if (closing) return;
    const quiet = Date.now() - idleSince;
    if (counting && quiet >= limits.idleTimeoutMs) socket.destroy();
    else
      idleTimer = setTimeout(
        checkIdle,
        counting ? limits.idleTimeoutMs - quiet : limits.idleTimeoutMs,
      ).unref();
  };
  let idleTimer = setTimeout(checkIdle, limits.idleTimeoutMs).unref();
  // When the request now arriving (its head, or a body being read) began; -1 between requests.
  // Checked by one timer per connection, re-armed lazily as the idle one.
  let arrivingSince = -1;
  const checkArrival = () => {
    if (closing) return;
    const spent = arrivingSince < 0 ? 0 : Date.now() - arrivingSince;
    if (spent >= limits.requestTimeoutMs) {
      closing = true;
      socket.end(errorResponse('1.0', 408, [], true));
      return;
    }
    arrivalTimer = setTimeout(checkArrival, limits.requestTimeoutMs - spent).unref();
  };
  let arrivalTimer = setTimeout(checkArrival, limits.requestTimeoutMs).unref();
  socket.on('close', () => {
    clearTimeout(idleTimer);
    clearTimeout(arrivalTimer);
    closing = true;
    aborter.abort();
    bodyWaiter?.();
  });
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    idleSince = Date.now();
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    if (bodyWaiter) bodyWaiter();
    else if (!busy) pump();
    if (busy && !bodyWaiter && buffer.length > limits.maxHeaderBytes && reading) {
      reading = false;
      socket.pause();
    }
  });

  queueMicrotask(pump);

  const closeAfterWrite = () => {
    closing = true;
    socket.end();
  };

  function pump(): void {
    while (!busy && !closing) {
      const end = buffer.indexOf(CRLF2);
      if (end < 0) {
        if (buffer.length > 0 && arrivingSince < 0) arrivingSince = Date.now();
        if (buffer.length > limits.maxHeaderBytes) {
          closing = true;
          socket.end(errorResponse('1.0', 400, [], true));
        }
        return;
      }
      if (end > limits.maxHeaderBytes) {
        closing = true;
        socket.end(errorResponse('1.0', 400, [], true));
        return;
      }
      const head = parseRequestHead(buffer.subarray(0, end).toString('utf8'));
      buffer = buffer.subarray(end + 4);
      if (!head) {
        closeAfterWrite();
        return;
      }
      busy = true;
      counting = false;
      const startedAt = arrivingSince < 0 ? Date.now() : arrivingSince;
      arrivingSince = -1;
      run(head, startedAt);
    }
  }

  const readAgain = () => {
    if (reading || closing) return;
    reading = true;
    socket.resume();
  };

  function finished(close: boolean): void {
    if (close) {
      closeAfterWrite();
      return;
    }
    if (closing) return;
    idleSince = Date.now();
    counting = true;
    // The next request waits until the client has taken this answer: one that pipelines requests
    // and never reads gets no more than one answer queued here.
    if (socket.writableNeedDrain) {
      const go = () => {
        socket.off('drain', go);
        socket.off('close', go);
        idleSince = Date.now();
        next();
      };
      socket.on('drain', go);
      socket.on('close', go);
      return;
    }
    next();
  }

  function next(): void {
    busy = false;
    if (closing) return;
    readAgain();
    if (buffer.length) pump();
  }

  function run(head: RequestHead, startedAt: number): void {
    const version = head.version;
    const connection = (head.headers.get('connection') ?? '').toLowerCase();
    const statusLine = (status: number) => `HTTP/${version ?? '1.0'} ${status} ${reasonPhrase(status)}\r\n`;
    let answered = false;
    const { path, query } = splitUri(head.uri);

    // Medusa's done(): HTTP/1.0 keeps the connection only for keep-alive with a Content-Length.
    const keepAlive = (hasLength: boolean): boolean => {
      if (version === '1.0') return connection === 'keep-alive' && hasLength;
      if (version === null) return false;
      return connection !== 'close';
    };

    const send = (status: number, headers: readonly HeaderPair[], body: string | Buffer) => {
      if (answered) throw new Error('HttpExchange: the request was already answered');
      answered = true;
      if (closing) return;
      const keep = keepAlive(headers.some(([n]) => n === 'Content-Length'));
      let text = `${statusLine(status)}${SERVER}Date: ${httpDate()}\r\n`;
      for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
      if (keep && version === '1.0') text += 'Connection: Keep-Alive\r\n';
      text += '\r\n';
      if (typeof body === 'string') socket.write(text + body);
      else {
        socket.cork();
        socket.write(text);
        socket.write(body);
        socket.uncork();
      }
      finished(!keep);
    };

    const error = (
      status: number,
      headers: readonly HeaderPair[] = [],
      options: { close?: boolean } = {},
    ) => {
      const body = errorBody(status);
      if (options.close) {
        if (answered) throw new Error('HttpExchange: the request was already answered');
        answered = true;
        if (closing) return;
        closing = true;
        socket.end(errorResponse(version, status, headers, false));
        return;
      }
      send(
        status,
        [...headers, ['Content-Length', String(body.length)], ['Content-Type', 'text/html']],
        body,
      );
    };

    const stream = (status: number, headers: readonly HeaderPair[]): ResponseStream => {
      if (answered) throw new Error('HttpExchange: the request was already answered');
      answered = true;
      // With a Content-Length the body is written as is and the connection may stay open.
      const hasLength = headers.some(([n]) => n === 'Content-Length');
      const keep = hasLength && keepAlive(true);
      const chunked = !hasLength && version !== '1.0' && version !== null && connection !== 'close';
      let text = `${statusLine(status)}${SERVER}Date: ${httpDate()}\r\n`;
      for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
      if (chunked) text += 'Transfer-Encoding: chunked\r\n';
      if (keep && version === '1.0') text += 'Connection: Keep-Alive\r\n';
      if (!closing) socket.write(`${text}\r\n`);
      let ended = false;
      return {
        signal: aborter.signal,
        write(data) {
          if (closing || ended) return Promise.resolve();
          const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
          if (size === 0) return Promise.resolve();
          let ok: boolean;
          if (chunked) {
            socket.cork();
            socket.write(`${size.toString(16)}\r\n`);
            socket.write(data);
            ok = socket.write('\r\n');
            socket.uncork();
          } else {
            ok = socket.write(data);
          }
          if (ok) return Promise.resolve();
          return new Promise<void>((resolve) => {
            const done = () => {
              socket.off('drain', done);
              socket.off('close', done);
              resolve();
            };
            socket.on('drain', done);
            socket.on('close', done);
          });
        },
        end() {
          if (ended) return;
          ended = true;
          if (closing) return;
          if (chunked) {
            socket.write('0\r\n\r\n');
            finished(false);
          } else {
            finished(!keep);
          }
        },
      };
    };

    const readBody = async (): Promise<Buffer | null> => {
      const declared = head.headers.get('content-length');
      if (!declared) {
        error(411);
        return null;
      }
      if (!/^\s*\d+\s*$/.test(declared)) {
        error(400);
        return null;
      }
      const length = Number(declared);
      if (length > limits.maxBodyBytes) {
        error(413, [], { close: true });
        return null;
      }
      idleSince = Date.now();
      counting = true;
      if (buffer.length < length) {
        readAgain();
        arrivingSince = startedAt;
      }
      while (buffer.length < length && !closing) {
        await new Promise<void>((resolve) => {
          bodyWaiter = resolve;
        });
        bodyWaiter = null;
      }
      arrivingSince = -1;
      counting = false;
      if (buffer.length < length) return null;
      const body = buffer.subarray(0, length);
      buffer = buffer.subarray(length);
      return body;
    };

    const exchange: HttpExchange = {
      request: head,
      path,
      query,
      header: (name) => head.headers.get(name),
      readBody,
      send,
      error,
      stream,
      signal: aborter.signal,
    };

    const fail = () => {
      if (!answered) error(500);
      else if (!closing) socket.destroy();
    };
    try {
      const pending = handler(exchange);
      if (pending) pending.catch(fail);
    } catch {
      fail();
    }
  }
}

// A complete error response that is followed by closing the connection.
function errorResponse(
  version: string | null,
  status: number,
  headers: readonly HeaderPair[],
  bare: boolean,
): string {
  const body = errorBody(status);
  let text = `HTTP/${version ?? '1.0'} ${status} ${reasonPhrase(status)}\r\n${SERVER}Date: ${httpDate()}\r\n`;
  if (bare) text += 'Connection: close\r\n';
  for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
  return `${text}Content-Length: ${body.length}\r\nContent-Type: text/html\r\n\r\n${body}`;
}
