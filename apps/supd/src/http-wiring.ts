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

type HandlerFor = (server: HttpServerConfig) => ListenerHandler;

async function loadHttp(daemon: HttpDaemon, identification: string): Promise<HandlerFor> {
  const { createDashboard, createHttpHandler, mountDashboard } = await import('@supctl/http');
  const dispatcher = createDispatcher(daemon.api, {
    onUnexpectedError: (error, method) =>
      daemon.logger.log('critical', `XML-RPC method ${method}() raised: ${String(error)}`),
  });
  // One dashboard (its live streams) for every listener; each listener keeps its own auth.
  const web = mountDashboard(
    createDashboard({ api: daemon.api, identification, version: SUPERVISOR_VERSION }),
  );
  const handlers = new WeakMap<HttpServerConfig, ListenerHandler>();
  return (server) => {
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
}

/** Builds supd's HTTP handler (XML-RPC at /RPC2, log tails, web) over the daemon's API. */
export function createSupdHttp(daemon: HttpDaemon): HttpHandler {
  // The dashboard shows the identifier the daemon started with, as when it was built eagerly.
  const identification = daemon.identifier();
  let handlerFor: HandlerFor | null = null;
  let loading: Promise<HandlerFor> | null = null;
  return (socket, firstChunk, server) => {
    if (handlerFor) {
      handlerFor(server)(socket, firstChunk);
      return;
    }
    // Hold the connection's later bytes until the handler listens for them.
    socket.pause();
    loading ??= loadHttp(daemon, identification).then((loaded) => (handlerFor = loaded));
    loading.then(
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
}
