// The HTTP face of supd: one @supctl/http handler per [unix_http_server]/[inet_http_server]
// section (each has its own credentials), all over one dispatcher of the one API object.
// @supctl/http (XML-RPC codec, web dashboard) is loaded on the first HTTP connection: a daemon
// driven only over the native protocol never pays for it.
import type { HttpServerConfig } from '@supctl/config';
import type { HttpHandler as ListenerHandler } from '@supctl/http';
import { createDispatcher } from '@supctl/rpc';
import { SUPERVISOR_VERSION } from './api.ts';
import type { HttpDaemon } from './run.ts';
import type { HttpHandler } from './servers.ts';

type HandlerFor = ((server: HttpServerConfig) => ListenerHandler) & { preload(): Promise<void> };

/** supd's HTTP handler, which can also load everything it needs before the first connection. */
export interface SupdHttp extends HttpHandler {
  /**
   * Loads @supctl/http and reads the dashboard's files now: for a daemon about to drop privileges
   * to a user who may not read supd's installation (root's npx cache, a 0700 home).
   */
  preload(): Promise<void>;
}

async function loadHttp(daemon: HttpDaemon, identification: string): Promise<HandlerFor> {
  const { createDashboard, createHttpHandler, mountDashboard } = await import('@supctl/http');
  const dispatcher = createDispatcher(daemon.api, {
    onUnexpectedError: (error, method) =>
      daemon.logger.log('critical', `XML-RPC method ${method}() raised: ${String(error)}`),
  });
  // One dashboard (its live streams) for every listener; each listener keeps its own auth.
  const dashboard = createDashboard({ api: daemon.api, identification, version: SUPERVISOR_VERSION });
  const web = mountDashboard(dashboard);
  const handlers = new WeakMap<HttpServerConfig, ListenerHandler>();
  const handlerFor = (server: HttpServerConfig) => {
    let handler = handlers.get(server);
    if (!handler) {
      handler = createHttpHandler({
        dispatcher,
        auth:
          server.username !== null && server.password !== null
            ? { username: server.username, password: server.password }
            : undefined,
        logs: { mainLogPath: daemon.mainLogPath },
        logger: daemon.logger,
        web,
      });
      handlers.set(server, handler);
    }
    return handler;
  };
  return Object.assign(handlerFor, { preload: () => dashboard.preload() });
}

/** Builds supd's HTTP handler (XML-RPC at /RPC2, log tails, web) over the daemon's API. */
export function createSupdHttp(daemon: HttpDaemon): SupdHttp {
  // The dashboard shows the identifier the daemon started with, as when it was built eagerly.
  const identification = daemon.identifier();
  let handlerFor: HandlerFor | null = null;
  let loading: Promise<HandlerFor> | null = null;
  const load = () => (loading ??= loadHttp(daemon, identification).then((loaded) => (handlerFor = loaded)));
  const handler: HttpHandler = (socket, firstChunk, server) => {
    if (handlerFor) {
      handlerFor(server)(socket, firstChunk);
      return;
    }
    // Hold the connection's later bytes until the handler listens for them.
    socket.pause();
    load().then(
      (loaded) => {
        if (socket.destroyed) return;
        loaded(server)(socket, firstChunk);
        socket.resume();
      },
      (error: unknown) => {
        daemon.logger.log('critical', `cannot load the HTTP interface: ${String(error)}`);
        socket.destroy();
      },
    );
  };
  return Object.assign(handler, { preload: async () => (await load()).preload() });
}
