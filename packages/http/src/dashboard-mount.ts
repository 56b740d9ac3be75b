// Mounts the dashboard on the HTTP layer: the `web` hook of createHttpHandler, turning an
// HttpExchange into the dashboard's small request/response shapes. Paths the dashboard does not
// own fall through to medusa's rules (ok.html, static 404s).
import type { HeaderPair, RequestHandler } from './connection.ts';
import type { Dashboard } from './dashboard/types.ts';
import { defaultWebHandler } from './handler.ts';

/**
 * The `web` option of {@link createHttpHandler} that serves `dashboard`.
 * @example createHttpHandler({ dispatcher, web: mountDashboard(createDashboard({ api })) })
 */
export function mountDashboard(dashboard: Dashboard): RequestHandler {
  return async (ex) => {
    const body = ex.request.method === 'POST' ? await ex.readBody() : undefined;
    if (body === null) return; // 411/413 already answered
    let status = 200;
    let headers: HeaderPair[] = [];
    let stream: ReturnType<typeof ex.stream> | undefined;
    const closers: (() => void)[] = [];
    const closeAll = () => {
      for (const close of closers.splice(0)) close();
    };
    ex.signal.addEventListener('abort', closeAll, { once: true });
    const handled = await dashboard.handle(
      {
        method: ex.request.method ?? 'GET',
        path: ex.path,
        query: ex.query,
        headers: ex.request.headers,
        body,
      },
      {
        writeHead(s, h) {
          status = s;
          headers = Object.entries(h);
          // No Content-Length: a stream (server-sent events) that stays open.
          if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-length'))
            stream = ex.stream(s, headers);
        },
        write(chunk) {
          return stream?.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk));
        },
        end(chunk) {
          if (stream) {
            if (chunk !== undefined)
              void stream.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk));
            stream.end();
          } else
            ex.send(
              status,
              headers,
              chunk === undefined ? '' : typeof chunk === 'string' ? chunk : Buffer.from(chunk),
            );
          closeAll();
        },
        onClose(callback) {
          closers.push(callback);
        },
      },
    );
    if (!handled) return defaultWebHandler(ex);
  };
}
