import type { DashboardResponse } from './types.ts';

/** A server-sent-event stream open to one client. */
export interface EventStream {
  /**
   * Sends one event; `data` is JSON-encoded, so it is always a single `data:` line. Resolves once
   * the client can take more (await it before sending again).
   */
  send(event: string, data: unknown, id?: string): Promise<void>;
  /** Ends the response (idempotent). */
  end(): void;
  /** Aborts when the client goes away or the stream is ended. */
  readonly signal: AbortSignal;
}

/** Opens a `text/event-stream` response; a comment line every `heartbeatMs` keeps proxies from idling it out. */
export function openEventStream(response: DashboardResponse, heartbeatMs: number): EventStream {
  const controller = new AbortController();
  let ended = false;
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
    'X-Content-Type-Options': 'nosniff',
  });
  // Reconnect quickly after a daemon restart; the first event after a reconnect carries a full snapshot.
  // The last write the client has not taken yet: no heartbeat is queued behind it.
  let pending: Promise<void> | null = null;
  const write = (text: string): Promise<void> => {
    const written = response.write(text);
    if (!(written instanceof Promise)) return Promise.resolve();
    const current = written.then(() => {
      if (pending === current) pending = null;
    });
    pending = current;
    return current;
  };
  void write('retry: 2000\n\n');
  const heartbeat = setInterval(() => {
    if (!pending) void write(': ping\n\n');
  }, heartbeatMs);
  heartbeat.unref?.();
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    controller.abort();
    response.end();
  };
  response.onClose(() => {
    ended = true;
    clearInterval(heartbeat);
    controller.abort();
  });
  return {
    send(event, data, id) {
      if (ended) return Promise.resolve();
      return write(
        `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`,
      );
    },
    end,
    signal: controller.signal,
  };
}
