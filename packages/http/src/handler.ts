// Supervisor's HTTP face on one listener: auth, then medusa's handler order (spec §1.2):
// /RPC2 → /logtail → /mainlogtail → web views and static files (the `web` hook).
import { existsSync, statSync } from 'node:fs';
import type { Socket } from 'node:net';
import { type AuthConfig, type Dispatcher, Fault } from '@supctl/rpc';
import { checkBasicAuth } from './basic-auth.ts';
import { type HttpExchange, type RequestHandler, serveConnection } from './connection.ts';
import { followFile } from './follow-file.ts';
import { httpDate, unquote } from './http-messages.ts';
import { decodeCall, encodeFault, encodeResponse } from './xmlrpc-codec.ts';

/** Serves one accepted connection whose first bytes were already read. */
export type HttpHandler = (socket: Socket, firstChunk: Buffer) => void;

/** Where the HTTP layer writes what supervisord would log. */
export interface HttpLogger {
  log(level: 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: string): void;
}

/** Where the log files are, for `/logtail` and `/mainlogtail`. */
export interface LogLocator {
  /** The main log file, or null when there is none (then `/mainlogtail` answers 404). */
  mainLogPath?(): string | null;
  /**
   * A process's log file for a channel (`'stdout'`, `'stderr'`, or whatever the URL said), or null.
   * @default `supervisor.getProcessInfo(namespec)`'s `<channel>_logfile` through the dispatcher
   */
  processLogPath?(namespec: string, channel: string): string | null | Promise<string | null>;
}

/** Options of {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  /** Serves `/RPC2`: `createDispatcher(api)` from @supctl/rpc. */
  readonly dispatcher: Dispatcher;
  /** This listener's `username`/`password`; every path requires them when set. */
  readonly auth?: AuthConfig;
  readonly logs?: LogLocator;
  /**
   * Everything after /RPC2 and the log tails: the web views (`index.html`, `tail.html`, `ok.html`)
   * and static files. @default answers `ok.html` with `OK`, the other views with 501 and the rest 404
   */
  readonly web?: RequestHandler;
  readonly logger?: HttpLogger;
  /** @default 16777216 (16 MiB) */
  readonly maxBodyBytes?: number;
  /** @default 65536 */
  readonly maxHeaderBytes?: number;
  /** Idle connections (no request in progress) are closed after this long. @default 300000 */
  readonly idleTimeoutMs?: number;
  /**
   * A request's head and body must arrive within this long of its first byte; else 408 and the
   * connection is closed (slowloris). @default 60000
   */
  readonly requestTimeoutMs?: number;
  /** How often a log tail looks for new bytes. @default 100 */
  readonly tailPollMs?: number;
}

const VIEWS = new Set(['index.html', 'tail.html', 'ok.html']);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The web part before the dashboard exists: medusa's fall-through rules, `ok.html`, 501 views. */
export const defaultWebHandler: RequestHandler = (exchange) => {
  const method = exchange.request.method;
  const view = viewName(exchange.path);
  if (VIEWS.has(view) && (method === 'GET' || method === 'POST')) {
    if (view === 'ok.html') {
      exchange.send(
        200,
        [
          ['Content-Type', 'text/plain'],
          ['Content-Length', '2'],
        ],
        'OK',
      );
    } else {
      exchange.error(501);
    }
    return;
  }
  exchange.error(method === 'GET' || method === 'HEAD' ? 404 : 400);
};

/** A path's view name as supervisor.web matches it: leading `/` stripped, empty → `index.html`. */
export function viewName(path: string): string {
  return path.replace(/^\/+/, '') || 'index.html';
}

function shorten(text: string): string {
  return JSON.stringify(text.length > 1000 ? `${text.slice(0, 1000)}…` : text);
}

/**
 * Builds the HTTP handler for one `[unix_http_server]`/`[inet_http_server]` listener.
 *
 * @example
 * const http = createHttpHandler({ dispatcher: createDispatcher(api), auth: { username: 'u', password: 'p' } });
 * server.on('connection', (socket) => socket.once('data', (chunk) => http(socket, chunk)));
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpHandler {
  const { dispatcher, auth, logger, logs = {} } = options;
  const web = options.web ?? defaultWebHandler;
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    maxHeaderBytes: options.maxHeaderBytes ?? 65_536,
    idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
  };
  const tailPollMs = options.tailPollMs ?? 100;

  async function rpc(exchange: HttpExchange): Promise<void> {
    if (exchange.request.method !== 'POST') return exchange.error(400);
    const body = await exchange.readBody();
    if (body === null) return;
    let text: string;
    let call: ReturnType<typeof decodeCall>;
    try {
      text = strictUtf8.decode(body);
    } catch {
      logger?.log('error', 'XML-RPC request data is invalid: not UTF-8');
      return exchange.error(400);
    }
    try {
      call = decodeCall(text);
    } catch {
      logger?.log('error', `XML-RPC request data ${shorten(text)} is invalid: unmarshallable`);
      return exchange.error(400);
    }
    if (!call.method) {
      logger?.log('error', `XML-RPC request data ${shorten(text)} is invalid: no method name`);
      return exchange.error(400);
    }
    let payload: string;
    try {
      payload = encodeResponse(await dispatcher.call(call.method, call.params));
    } catch (error) {
      if (!(error instanceof Fault)) {
        logger?.log('critical', `Handling XML-RPC request ${call.method} raised: ${String(error)}`);
        return exchange.error(500);
      }
      payload = encodeFault(error.toFaultStruct());
    }
    exchange.send(
      200,
      [
        ['Content-Type', 'text/xml'],
        ['Content-Length', String(Buffer.byteLength(payload))],
      ],
      payload,
    );
  }

  async function defaultProcessLogPath(namespec: string, channel: string): Promise<string | null> {
    if (channel !== 'stdout' && channel !== 'stderr') return null;
    try {
      const info = (await dispatcher.call('supervisor.getProcessInfo', [namespec])) as Record<
        string,
        unknown
      >;
      const path = info[`${channel}_logfile`];
      return typeof path === 'string' && path !== '' ? path : null;
    } catch {
      return null;
    }
  }

  async function tail(exchange: HttpExchange, path: string | null, accel: boolean): Promise<void> {
    if (path === null || !existsSync(path)) return exchange.error(404);
    const mtime = statSync(path).mtimeMs;
    const headers: [string, string][] = [
      ['Last-Modified', httpDate(mtime)],
      ['Content-Type', 'text/plain;charset=utf-8'],
    ];
    if (accel) headers.push(['X-Accel-Buffering', 'no']);
    const stream = exchange.stream(200, headers);
    try {
      await followFile(path, { signal: stream.signal, write: stream.write, pollMs: tailPollMs });
    } catch (error) {
      logger?.log('error', `logtail of ${path} failed: ${String(error)}`);
      exchange.signal.aborted || stream.end();
    }
  }

  async function logtail(exchange: HttpExchange): Promise<void> {
    if (exchange.request.method !== 'GET') return exchange.error(400);
    const path = unquote(exchange.path).replace(/^\/+/, '');
    const slash = path.indexOf('/');
    // supervisor.http: `/logtail` alone fails to split and answers 500.
    if (slash < 0) return exchange.error(500);
    const rest = path.slice(slash + 1);
    const second = rest.indexOf('/');
    const name = second < 0 ? rest : rest.slice(0, second);
    const channel = second < 0 ? 'stdout' : rest.slice(second + 1);
    const resolve = logs.processLogPath ?? defaultProcessLogPath;
    return tail(exchange, await resolve(name, channel), true);
  }

  async function mainlogtail(exchange: HttpExchange): Promise<void> {
    if (exchange.request.method !== 'GET') return exchange.error(400);
    return tail(exchange, logs.mainLogPath?.() ?? null, false);
  }

  const route: RequestHandler = (exchange) => {
    const { method, uri } = exchange.request;
    if (method === null) return exchange.error(400);
    const outcome = checkBasicAuth(auth, exchange.header('authorization'));
    if (outcome === 401) {
      return exchange.error(
        401,
        [
          ['Connection', 'close'],
          ['WWW-Authenticate', 'Basic realm="default"'],
        ],
        { close: true },
      );
    }
    if (outcome !== 'ok') return exchange.error(outcome);
    if (uri.startsWith('/RPC2')) return rpc(exchange);
    if (uri.startsWith('/logtail')) return logtail(exchange);
    if (uri.startsWith('/mainlogtail')) return mainlogtail(exchange);
    return web(exchange);
  };

  return (socket, firstChunk) => serveConnection(socket, firstChunk, route, limits);
}
