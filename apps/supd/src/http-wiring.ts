// The HTTP face of supd: one @supctl/http handler per [unix_http_server]/[inet_http_server]
// section (each has its own credentials), all over one dispatcher of the one API object.
import type { HttpServerConfig } from '@supctl/config';
import {
  createDashboard,
  createHttpHandler,
  type HttpHandler as ListenerHandler,
  mountDashboard,
} from '@supctl/http';
import { createDispatcher } from '@supctl/rpc';
import { SUPERVISOR_VERSION } from './api.ts';
import type { HttpDaemon } from './run.ts';
import type { HttpHandler } from './servers.ts';

/** Builds supd's HTTP handler (XML-RPC at /RPC2, log tails, web) over the daemon's API. */
export function createSupdHttp(daemon: HttpDaemon): HttpHandler {
  const dispatcher = createDispatcher(daemon.api, {
    onUnexpectedError: (error, method) =>
      daemon.logger.log('critical', `XML-RPC method ${method}() raised: ${String(error)}`),
  });
  // One dashboard (its live streams) for every listener; each listener keeps its own auth.
  const web = mountDashboard(
    createDashboard({ api: daemon.api, identification: daemon.identifier(), version: SUPERVISOR_VERSION }),
  );
  const handlers = new WeakMap<HttpServerConfig, ListenerHandler>();
  return (socket, firstChunk, server) => {
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
    handler(socket, firstChunk);
  };
}
