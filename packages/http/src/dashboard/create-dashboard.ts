import type { ProcessInfo, SubscribeFilter } from '@supctl/rpc';
import { Fault } from '@supctl/rpc';
import { isDashboardAction, needsProcessName, runAction } from './actions.ts';
import { ASSETS, type AssetPath, createAssetCache, isAssetPath } from './assets.ts';
import { type EventStream, openEventStream } from './event-stream.ts';
import { bodyText, parseForm } from './form.ts';
import { namespec } from './format.ts';
import { isErrorMessage, renderProcessRow, renderProcessTable, renderStatusPage } from './render-status.ts';
import { renderTailPage } from './render-tail.ts';
import { PAGE_HEADERS, send, sendError } from './responses.ts';
import type { Dashboard, DashboardOptions, DashboardRequest, DashboardResponse } from './types.ts';

function header(request: DashboardRequest, name: string): string | undefined {
  const { headers } = request;
  return headers instanceof Map ? headers.get(name) : (headers as Record<string, string | undefined>)[name];
}

const VIEWS = new Set(['/', '/index.html', '/tail.html', '/ok.html']);
const STATE_FILTER: SubscribeFilter = { types: ['PROCESS_STATE', 'PROCESS_GROUP'] };
const MIN_TAIL_BYTES = 1024;

/**
 * Supervisor's web pages, live: the status page at `/` (server-rendered, so it works without
 * JavaScript; the script then follows state changes over server-sent events), the actions of
 * `index.html?action=…`, a live log tail at `tail.html`, and its own CSS/JS, served from the
 * package. The HTTP layer routes each request (after basic auth) to `handle`, and falls back to
 * its own answer when that resolves `false`.
 *
 * @example
 * const dashboard = createDashboard({ api, identification: 'supervisor', version: '4.2.5' });
 * http.createServer(async (req, res) => {
 *   const url = new URL(req.url ?? '/', 'http://x');
 *   const handled = await dashboard.handle(
 *     { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.search.slice(1), headers: req.headers as Record<string, string> },
 *     { writeHead: (s, h) => res.writeHead(s, h), write: (c) => res.write(c), end: (c) => res.end(c), onClose: (cb) => res.on('close', cb) },
 *   );
 *   if (!handled) res.writeHead(404).end();
 * });
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const { api, identification = 'supervisor', version = '', heartbeatMs = 15_000, now = Date.now } = options;
  const asset = createAssetCache();
  const streams = new Set<EventStream>();
  let closed = false;
  const nowSeconds = () => Math.floor(now() / 1000);

  async function statusPage(request: DashboardRequest, response: DashboardResponse, message?: string) {
    let processes: ProcessInfo[] = [];
    let error: string | undefined;
    try {
      processes = await api['supervisor.getAllProcessInfo']();
    } catch (e) {
      error = `ERROR: ${Fault.from(e).message}`;
    }
    const page = renderStatusPage({ processes, identification, version, now: nowSeconds(), message, error });
    send(response, 200, PAGE_HEADERS, page, request.method === 'HEAD');
  }

  async function index(request: DashboardRequest, response: DashboardResponse) {
    const form = parseForm(request.query, request.method === 'POST' ? bodyText(request.body) : undefined);
    const action = form.get('action') ?? '';
    if (action === '') return statusPage(request, response, form.get('message'));
    const processName = form.get('processname') ?? '';
    // Supervisor answers 500 to an unknown action, or to a process action without a process.
    if (!isDashboardAction(action) || (needsProcessName(action) && processName === '')) {
      return sendError(response, 500);
    }
    // A page on another site must not drive the daemon through the user's browser (and its
    // cached basic-auth credentials); scripts and curl send no Sec-Fetch-Site at all.
    const site = header(request, 'sec-fetch-site');
    if (site === 'cross-site' || site === 'same-site') return sendError(response, 403);
    const message = await runAction(api, action, processName, new Date(now()));
    if ((header(request, 'accept') ?? '').includes('application/json')) {
      const json = JSON.stringify({ message, error: isErrorMessage(message) });
      return send(response, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, json);
    }
    // Supervisor redirects with 301 to the absolute URL; a relative one also works behind a proxy.
    send(
      response,
      301,
      {
        Location: `./?message=${encodeURIComponent(message)}`,
        'Cache-Control': 'no-store',
        'Content-Type': 'text/html',
      },
      '',
    );
  }

  async function tailPage(request: DashboardRequest, response: DashboardResponse) {
    const form = parseForm(request.query, request.method === 'POST' ? bodyText(request.body) : undefined);
    const ns = form.get('processname') || undefined;
    const channel = form.get('channel') === 'stderr' ? 'stderr' : 'stdout';
    const limit = Math.max(MIN_TAIL_BYTES, Number.parseInt(form.get('limit') ?? '', 10) || 0);
    const frame = { processName: ns, channel, limit, identification, version, now: nowSeconds() } as const;
    if (ns === undefined) {
      return send(response, 200, PAGE_HEADERS, renderTailPage({ ...frame, text: 'No process name found' }));
    }
    const controller = new AbortController();
    let text = '';
    let offset = 0;
    try {
      const chunks = api['supctl.tail'](
        ns,
        { channel, follow: false, offset: -limit },
        {
          signal: controller.signal,
        },
      );
      for await (const chunk of chunks) {
        text += chunk.data;
        offset = chunk.offset;
      }
    } catch (e) {
      const fault = Fault.from(e);
      const error =
        fault.name === 'NO_FILE'
          ? `No file for ${ns}`
          : `ERROR: unexpected rpc fault [${fault.code}] ${fault.message}`;
      return send(response, 200, PAGE_HEADERS, renderTailPage({ ...frame, text: error }));
    } finally {
      controller.abort();
    }
    send(response, 200, PAGE_HEADERS, renderTailPage({ ...frame, text, offset }));
  }

  // Follows process states: a full table first (and after group changes), then one row per change.
  async function stateEvents(response: DashboardResponse) {
    const stream = openEventStream(response, heartbeatMs);
    streams.add(stream);
    try {
      // Subscribe before reading the snapshot, so no change falls between them.
      const events = api['supctl.subscribe'](STATE_FILTER, { signal: stream.signal });
      const snapshot = async () => {
        const processes = await api['supervisor.getAllProcessInfo']();
        await stream.send('snapshot', { html: renderProcessTable(processes).value, now: nowSeconds() });
      };
      await snapshot();
      for await (const event of events) {
        // Group changes, and events that name no process (EVENTS_DROPPED among them: the page
        // fell behind and missed some), redraw it all.
        if (!('processName' in event) || event.type.startsWith('PROCESS_GROUP')) {
          await snapshot();
          continue;
        }
        const ns = namespec({ group: event.groupName, name: event.processName });
        let info: ProcessInfo;
        try {
          info = await api['supervisor.getProcessInfo'](ns);
        } catch {
          await snapshot();
          continue;
        }
        await stream.send('process', { ns, html: renderProcessRow(info).value, now: nowSeconds() });
      }
    } catch (e) {
      if (!stream.signal.aborted) void stream.send('failure', { message: Fault.from(e).message });
    } finally {
      streams.delete(stream);
      stream.end();
    }
  }

  // Follows one log from a byte offset; each event's id is the offset after it, so a reconnecting
  // EventSource (Last-Event-ID) resumes where it left off.
  async function tailEvents(request: DashboardRequest, response: DashboardResponse) {
    const form = parseForm(request.query, undefined);
    const ns = form.get('processname') ?? '';
    if (ns === '') return sendError(response, 400);
    const channel = form.get('channel') === 'stderr' ? 'stderr' : 'stdout';
    const resume = Number.parseInt(header(request, 'last-event-id') ?? form.get('offset') ?? '', 10);
    const offset = Number.isSafeInteger(resume) && resume >= 0 ? resume : -1600;
    const stream = openEventStream(response, heartbeatMs);
    streams.add(stream);
    try {
      const chunks = api['supctl.tail'](ns, { channel, follow: true, offset }, { signal: stream.signal });
      // Each chunk waits until the client took the one before: the tail reads no further meanwhile.
      for await (const chunk of chunks) await stream.send('chunk', chunk.data, String(chunk.offset));
    } catch (e) {
      if (!stream.signal.aborted) void stream.send('failure', { message: Fault.from(e).message });
    } finally {
      streams.delete(stream);
      stream.end();
    }
  }

  async function route(request: DashboardRequest, response: DashboardResponse): Promise<boolean> {
    const { method, path } = request;
    if (VIEWS.has(path)) {
      // Supervisor's views answer GET and POST; HEAD falls through to the static files (404).
      if (method === 'HEAD') return false;
      if (method !== 'GET' && method !== 'POST') {
        sendError(response, 400);
        return true;
      }
      if (path === '/ok.html') send(response, 200, { 'Content-Type': 'text/plain' }, 'OK');
      else if (path === '/tail.html') await tailPage(request, response);
      else await index(request, response);
      return true;
    }
    if (isAssetPath(path)) {
      if (method !== 'GET' && method !== 'HEAD') {
        sendError(response, 400);
        return true;
      }
      const file = await asset(path);
      if (header(request, 'if-none-match') === file.etag) {
        response.writeHead(304, { ETag: file.etag, 'Cache-Control': 'no-cache' });
        response.end();
        return true;
      }
      const headers = {
        'Content-Type': file.type,
        ETag: file.etag,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      };
      send(response, 200, headers, file.body, method === 'HEAD');
      return true;
    }
    if (path === '/dashboard/events' || path === '/dashboard/tail') {
      if (method !== 'GET') sendError(response, 400);
      else if (closed) sendError(response, 503);
      else if (path === '/dashboard/events') await stateEvents(response);
      else await tailEvents(request, response);
      return true;
    }
    return false;
  }

  return {
    async preload() {
      await Promise.all(Object.keys(ASSETS).map((path) => asset(path as AssetPath)));
    },
    async handle(request, response) {
      let started = false;
      const guarded: DashboardResponse = {
        writeHead(status, headers) {
          started = true;
          response.writeHead(status, headers);
        },
        write: (chunk) => response.write(chunk),
        end: (chunk) => response.end(chunk),
        onClose: (callback) => response.onClose(callback),
      };
      try {
        return await route(request, guarded);
      } catch {
        // TODO(logger): report it once the HTTP layer hands the dashboard a logger.
        if (!started) sendError(guarded, 500);
        else response.end();
        return true;
      }
    },
    async close() {
      closed = true;
      for (const stream of streams) stream.end();
      streams.clear();
    },
    async [Symbol.asyncDispose]() {
      await this.close();
    },
  };
}
