// The listening sockets of [unix_http_server] and [inet_http_server]: one socket each, where the
// first bytes of a connection decide between the native protocol and HTTP (XML-RPC, web).
import { chmodSync, chownSync, existsSync, linkSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { HttpServerConfig } from '@supctl/config';
import type { MainLogger } from '@supctl/core';
import {
  type ApiImplementation,
  createRpcServer,
  type RpcLogger,
  type RpcServer,
  sniffProtocol,
} from '@supctl/rpc';
import { lookupGroup, lookupUser } from './users.ts';

/** Serves an HTTP connection (XML-RPC and the web UI) accepted on `server`'s listener; without one supd answers 501. */
export type HttpHandler = (socket: Socket, firstChunk: Buffer, server: HttpServerConfig) => void;

export const ALREADY_LISTENING =
  'Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.';

export class ServerStartError extends Error {}

interface Listener {
  readonly server: Server;
  readonly rpc: RpcServer;
  readonly unixPath: string | null;
  readonly sockets: Set<Socket>;
}

function notYetHttp(socket: Socket): void {
  const body = 'supd: the HTTP interface (XML-RPC, web dashboard) is not available in this version\r\n';
  socket.end(
    `HTTP/1.0 501 Not Implemented\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

// Is something answering on this unix socket?
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function listen(server: Server, target: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in target) server.listen({ path: target.path, backlog: 1024 }, done);
    else server.listen({ host: target.host || undefined, port: target.port, backlog: 1024 }, done);
  });
}

export interface ServeOptions {
  readonly configs: readonly HttpServerConfig[];
  readonly api: ApiImplementation;
  readonly logger: MainLogger;
  readonly http?: HttpHandler;
  readonly io: { stderr(text: string): void };
  /**
   * A connection that sends nothing for this long after it was accepted is closed: until its
   * first bytes tell the protocol, neither protocol's own time limits apply. @default 60000
   */
  readonly firstBytesTimeoutMs?: number;
}

/** Opens every configured listener; throws ServerStartError with supervisord's text on failure. */
export async function openServers(options: ServeOptions): Promise<{ close(): Promise<void> }> {
  const listeners: Listener[] = [];
  const closeAll = async () => {
    await Promise.all(
      listeners.map(async (l) => {
        // Stop accepting, end native connections (their streams are cancelled), drop the rest:
        // net.Server.close() only completes once every connection is gone.
        const closed = new Promise<void>((r) => l.server.close(() => r()));
        if (l.unixPath) rmSync(l.unixPath, { force: true });
        await l.rpc.close();
        for (const socket of l.sockets) socket.destroy();
        await closed;
      }),
    );
  };
  // Native clients' failures (bad handshakes, failed authentication, protocol errors) go to the
  // main log; connections and their errors at debug level.
  const { logger, firstBytesTimeoutMs = 60_000 } = options;
  const rpcLogger: RpcLogger = {
    debug: (message) => logger.log('debug', message),
    info: (message) => logger.log('info', message),
    warn: (message) => logger.log('warn', message),
    error: (message) => logger.log('error', message),
  };
  try {
    for (const config of options.configs) {
      const auth =
        config.username !== null && config.password !== null
          ? { username: config.username, password: config.password }
          : undefined;
      // supervisord logs both lines for each server, in this order.
      options.logger.log('info', "RPC interface 'supervisor' initialized");
      if (!auth)
        options.logger.log(
          'critical',
          `Server '${config.section}' running without any HTTP authentication checking`,
        );
      const rpc = createRpcServer({ api: options.api, auth, serverName: 'supd', logger: rpcLogger });
      const sockets = new Set<Socket>();
      const server = createServer({ pauseOnConnect: false }, (socket) => {
        sockets.add(socket);
        const silent = setTimeout(() => socket.destroy(), firstBytesTimeoutMs).unref();
        socket.on('close', () => {
          sockets.delete(socket);
          clearTimeout(silent);
        });
        socket.on('error', () => socket.destroy());
        socket.once('data', (chunk: Buffer) => {
          clearTimeout(silent);
          if (sniffProtocol(chunk) === 'native') rpc.handleConnection(socket, chunk);
          else if (options.http) options.http(socket, chunk, config);
          else notYetHttp(socket);
        });
      });
      if (config.family === 'unix') {
        if (existsSync(config.file)) {
          if (await answers(config.file)) throw new ServerStartError(ALREADY_LISTENING);
          options.io.stderr(`Unlinking stale socket ${config.file}\n`);
          rmSync(config.file, { force: true });
        }
        // Bind a temporary name, set its mode, then link it into place: never a window where the
        // socket exists with the wrong permissions.
        const temp = `${config.file}.${process.pid}`;
        rmSync(temp, { force: true });
        try {
          await listen(server, { path: temp });
        } catch (e) {
          throw new ServerStartError(
            `Cannot open an HTTP server: socket.error reported ${(e as Error).message}`,
          );
        }
        chmodSync(temp, config.chmod);
        linkSync(temp, config.file);
        rmSync(temp);
        listeners.push({ server, rpc, unixPath: config.file, sockets });
        if (config.chown) {
          const user = lookupUser(config.chown.user);
          const group = config.chown.group === null ? user?.gid : lookupGroup(config.chown.group);
          if (user) chownSync(config.file, user.uid, group ?? -1);
        }
      } else {
        try {
          await listen(server, { host: config.host, port: config.port });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
            throw new ServerStartError(ALREADY_LISTENING);
          throw new ServerStartError(
            `Cannot open an HTTP server: socket.error reported ${(e as Error).message}`,
          );
        }
        listeners.push({ server, rpc, unixPath: null, sockets });
      }
      // A listener's later errors (an accept that fails when no descriptor is left) are logged:
      // without a listener Node would throw them and end the daemon.
      server.on('error', (e) => logger.log('error', `Server '${config.section}': ${e.message}`));
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  return { close: closeAll };
}
