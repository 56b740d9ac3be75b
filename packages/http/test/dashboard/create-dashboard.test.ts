import { describe, expect, test, vi } from 'vitest';
import { ctime } from '../../src/dashboard/actions.ts';
import { createDashboard } from '../../src/dashboard/create-dashboard.ts';
import type { DashboardRequest } from '../../src/dashboard/types.ts';
import { createFakeSupervisor, type FakeProcessSpec } from './fake-supervisor.ts';
import { recordResponse, request } from './recorder.ts';

const NOW = Date.UTC(2026, 10, 24, 5, 12, 30);
const PROCESSES: FakeProcessSpec[] = [
  { name: 'cat', stdout: 'one\ntwo\n' },
  { name: 'web_0', group: 'web' },
  { name: 'web_1', group: 'web', state: 'STOPPED' },
  { name: 'nolog', state: 'STOPPED', hasLog: false },
];

function setup(specs: FakeProcessSpec[] = PROCESSES) {
  const fake = createFakeSupervisor(specs, { transitionMs: 1 });
  const dashboard = createDashboard({
    api: fake.api,
    identification: 'box-1',
    version: '4.2.5',
    now: () => NOW,
  });
  const get = async (path: string, init: Partial<DashboardRequest> = {}) => {
    const response = recordResponse();
    const handled = await dashboard.handle(request(path, init), response);
    return { handled, response, status: response.status, headers: response.headers, body: response.text() };
  };
  return { fake, dashboard, get };
}

describe('routing', () => {
  test('/ and /index.html render the status page with Supervisor view headers', async () => {
    const { get } = setup();
    for (const path of ['/', '/index.html']) {
      const { handled, status, headers, body } = await get(path);
      expect(handled).toBe(true);
      expect(status).toBe(200);
      expect(headers).toMatchObject({
        'Content-Type': 'text/html;charset=utf-8',
        Pragma: 'no-cache',
        'Cache-Control': 'no-cache',
        Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
        'Content-Length': String(Buffer.byteLength(body)),
      });
      expect(headers['Content-Security-Policy']).toContain("script-src 'self'");
      expect(body).toContain('data-ns="web:web_1" data-state="STOPPED"');
      expect(body).toContain('<span class="ident">box-1</span>');
    }
  });

  test('paths outside the dashboard are left to the HTTP layer', async () => {
    const { get } = setup();
    for (const path of [
      '/RPC2',
      '/logtail/cat',
      '/stylesheets/supervisor.css',
      '/dashboard/nope',
      '/index.htm',
    ]) {
      const { handled, status } = await get(path);
      expect([path, handled, status]).toEqual([path, false, undefined]);
    }
    // Supervisor: HEAD on a view falls through to the static files (404 there).
    expect((await get('/', { method: 'HEAD' })).handled).toBe(false);
  });

  test('other methods on a view get 400 with medusa’s error body', async () => {
    const { get } = setup();
    const { status, body, headers } = await get('/index.html', { method: 'PUT' });
    expect(status).toBe(400);
    expect(headers['Content-Type']).toBe('text/html');
    expect(body).toBe(
      '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code 400.\r\n<p>Message: Bad Request.\r\n</body>\r\n',
    );
  });

  test('ok.html', async () => {
    const { get } = setup();
    expect(await get('/ok.html')).toMatchObject({
      status: 200,
      body: 'OK',
      headers: { 'Content-Type': 'text/plain' },
    });
  });

  test('a failing API still renders a page with the error', async () => {
    const { fake } = setup();
    const api = {
      ...fake.api,
      'supervisor.getAllProcessInfo': () => {
        throw new Error('daemon is shutting down');
      },
    };
    const response = recordResponse();
    await createDashboard({ api }).handle(request('/'), response);
    expect(response.status).toBe(200);
    expect(response.text()).toContain(
      '<p id="message" class="message error" role="status">ERROR: FAILED: daemon is shutting down</p>',
    );
  });
});

describe('actions', () => {
  test('GET ?action=stop runs it, then redirects with Supervisor’s message', async () => {
    const { get, fake } = setup();
    const { status, headers } = await get('/index.html?processname=cat&action=stop');
    expect(status).toBe(301);
    expect(headers.Location).toBe('./?message=Process%20cat%20stopped');
    expect(fake.state('cat')).toBe('STOPPED');
  });

  test('POST with Accept: application/json answers the message as JSON', async () => {
    const { get, fake } = setup();
    const { status, headers, body } = await get('/index.html', {
      method: 'POST',
      headers: { accept: 'application/json', 'sec-fetch-site': 'same-origin' },
      body: new TextEncoder().encode('processname=web%3Aweb_1&action=start'),
    });
    expect(status).toBe(200);
    expect(headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(body)).toEqual({ message: 'Process web:web_1 started', error: false });
    expect(fake.state('web:web_1')).toBe('RUNNING');
  });

  test('headers may come as a Map (the HTTP layer’s request head)', async () => {
    const { get } = setup();
    const headers = new Map([['accept', 'application/json']]);
    const result = await get('/?action=stop&processname=cat', { headers });
    expect(JSON.parse(result.body)).toEqual({ message: 'Process cat stopped', error: false });
  });

  const json = { accept: 'application/json' };
  test.each([
    ['start', 'cat', 'ERROR: Process cat: already started', true],
    ['stop', 'web:web_1', 'unexpected rpc fault [70] NOT_RUNNING: web_1', true],
    ['restart', 'web:web_1', 'Process web:web_1 restarted', false],
    ['clearlog', 'cat', 'Log for cat cleared', false],
    ['start', 'nope', 'No such process named nope', true],
    ['stop', 'web:*', 'No such process named web:*', true],
  ])('%s %s → %s', async (action, ns, message, error) => {
    const { get } = setup();
    const body = `action=${action}&processname=${encodeURIComponent(ns)}`;
    const result = await get('/index.html', { method: 'POST', headers: json, body });
    expect(JSON.parse(result.body)).toEqual({ message, error });
  });

  test.each([
    ['refresh', `Page refreshed at ${ctime(new Date(NOW))}`, []],
    ['stopall', `All stopped at ${ctime(new Date(NOW))}`, ['stopAllProcesses']],
    ['startall', `All started at ${ctime(new Date(NOW))}`, ['startAllProcesses']],
    ['restartall', `All restarted at ${ctime(new Date(NOW))}`, ['stopAllProcesses', 'startAllProcesses']],
    ['clearall', `All logs cleared at ${ctime(new Date(NOW))}`, ['clearAllProcessLogs']],
  ])('%s', async (action, message, calls) => {
    const { get, fake } = setup();
    const result = await get(`/?action=${action}`, { headers: json });
    expect(JSON.parse(result.body).message).toBe(message);
    expect(fake.calls).toEqual(calls);
  });

  test('restart stops and starts', async () => {
    const { get, fake } = setup();
    await get('/?action=restart&processname=cat', { headers: json });
    expect(fake.calls).toEqual(['stopProcess cat', 'startProcess cat']);
    expect(fake.state('cat')).toBe('RUNNING');
  });

  test('an unknown action, or a process action without a process, is a 500 (as Supervisor)', async () => {
    const { get, fake } = setup();
    expect((await get('/?action=explode')).status).toBe(500);
    expect((await get('/?action=stop')).status).toBe(500);
    expect((await get('/?action=stop&processname=')).status).toBe(500);
    expect(fake.calls).toEqual([]);
  });

  test('an empty action shows the page', async () => {
    const { get } = setup();
    expect((await get('/?action=&message=hi')).body).toContain('role="status">hi</p>');
  });

  test('a request from another site may not act', async () => {
    const { get, fake } = setup();
    for (const site of ['cross-site', 'same-site']) {
      const result = await get('/?action=stopall', { headers: { 'sec-fetch-site': site } });
      expect(result.status).toBe(403);
    }
    expect(fake.calls).toEqual([]);
  });
});

describe('tail.html', () => {
  test('the end of the log, escaped, and the offset to follow from', async () => {
    const { get, fake } = setup();
    fake.print('cat', '<b>bold</b>\n');
    const { status, body } = await get('/tail.html?processname=cat');
    expect(status).toBe(200);
    expect(body).toContain('<pre id="log" class="log">one\ntwo\n&lt;b&gt;bold&lt;/b&gt;\n</pre>');
    expect(body).toContain(`data-offset="${'one\ntwo\n<b>bold</b>\n'.length}"`);
  });

  test('limit: at least 1024 bytes, more when asked', async () => {
    const { get, fake } = setup();
    fake.print('cat', 'x'.repeat(3000));
    const text = (body: string) => body.match(/<pre[^>]*>([^<]*)<\/pre>/)![1]!;
    expect(text((await get('/tail.html?processname=cat')).body)).toHaveLength(1024);
    expect(text((await get('/tail.html?processname=cat&limit=10')).body)).toHaveLength(1024);
    expect(text((await get('/tail.html?processname=cat&limit=2000')).body)).toHaveLength(2000);
  });

  test.each([
    ['/tail.html', 'No process name found'],
    ['/tail.html?processname=', 'No process name found'],
    ['/tail.html?processname=nolog', 'No file for nolog'],
    ['/tail.html?processname=nope', 'ERROR: unexpected rpc fault [10] BAD_NAME: nope'],
  ])('%s → %s', async (path, text) => {
    const { get } = setup();
    const { status, body } = await get(path);
    expect(status).toBe(200);
    expect(body).toContain(`<pre id="log" class="log log-error">${text}</pre>`);
  });

  test('stderr channel', async () => {
    const { get } = setup([{ name: 'cat', stdout: 'out\n', stderr: 'err\n' }]);
    expect((await get('/tail.html?processname=cat&channel=stderr')).body).toContain(
      '<pre id="log" class="log">err\n</pre>',
    );
  });
});

describe('assets', () => {
  test('served from the package with a validator', async () => {
    const { get } = setup();
    const js = await get('/dashboard/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('EventSource');
    const css = await get('/dashboard/style.css');
    expect(css.headers['Content-Type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('@media (max-width');
    const again = await get('/dashboard/app.js', { headers: { 'if-none-match': js.headers.ETag } });
    expect(again.status).toBe(304);
    const head = await get('/dashboard/app.js', { method: 'HEAD' });
    expect([head.status, head.body, head.headers['Content-Length']]).toEqual([
      200,
      '',
      js.headers['Content-Length'],
    ]);
    expect((await get('/dashboard/app.js', { method: 'POST' })).status).toBe(400);
  });

  test('nothing on any page is loaded from another origin', async () => {
    const { get } = setup();
    for (const path of ['/', '/tail.html?processname=cat', '/dashboard/style.css', '/dashboard/app.js']) {
      expect((await get(path)).body).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    }
  });
});

describe('event streams', () => {
  test('state events: a snapshot first, then one row per change (and a snapshot after events were dropped); a disconnect releases the subscription', async () => {
    const { dashboard, fake } = setup();
    const response = recordResponse();
    const done = dashboard.handle(request('/dashboard/events'), response);
    await vi.waitFor(() => expect(response.events()).toHaveLength(1));
    expect(response.headers['Content-Type']).toBe('text/event-stream; charset=utf-8');
    const [snapshot] = response.events();
    expect(snapshot).toMatchObject({ event: 'snapshot', data: { now: NOW / 1000 } });
    expect((snapshot!.data as { html: string }).html).toContain('data-ns="web:web_0"');

    fake.setState('web:web_0', 'STOPPING');
    await vi.waitFor(() => expect(response.events()).toHaveLength(2));
    const change = response.events()[1]!;
    expect(change).toMatchObject({ event: 'process', data: { ns: 'web:web_0' } });
    expect((change.data as { html: string }).html).toMatch(
      /^<tr class="proc" data-ns="web:web_0" data-state="STOPPING">/,
    );

    // Events missed (the page fell behind): the whole table again.
    fake.dropEvents(3);
    await vi.waitFor(() => expect(response.events()).toHaveLength(3));
    expect(response.events()[2]).toMatchObject({ event: 'snapshot', data: { now: NOW / 1000 } });

    expect(fake.openStreams).toBe(1);
    response.disconnect();
    await expect(done).resolves.toBe(true);
    expect(fake.openStreams).toBe(0);
  });

  test('log follow: from the offset, each chunk with its offset as id; Last-Event-ID wins', async () => {
    const { dashboard, fake } = setup();
    const response = recordResponse();
    const done = dashboard.handle(request('/dashboard/tail?processname=cat&offset=4'), response);
    await vi.waitFor(() => expect(response.events()).toEqual([{ event: 'chunk', data: 'two\n', id: '8' }]));
    fake.print('cat', 'three <i>\n');
    await vi.waitFor(() =>
      expect(response.events()[1]).toEqual({ event: 'chunk', data: 'three <i>\n', id: '18' }),
    );
    response.disconnect();
    await done;

    const resumed = recordResponse();
    const again = dashboard.handle(
      request('/dashboard/tail?processname=cat&offset=0', { headers: { 'last-event-id': '14' } }),
      resumed,
    );
    await vi.waitFor(() => expect(resumed.events()).toEqual([{ event: 'chunk', data: '<i>\n', id: '18' }]));
    resumed.disconnect();
    await again;
    expect(fake.openStreams).toBe(0);
  });

  test('log follow of an unknown process: a failure event, then the end', async () => {
    const { get } = setup();
    const { status, body } = await get('/dashboard/tail?processname=nope');
    expect(status).toBe(200);
    expect(body).toContain('event: failure\ndata: {"message":"BAD_NAME: nope"}');
    expect((await get('/dashboard/tail')).status).toBe(400);
  });

  test('close() ends open streams; later ones get 503', async () => {
    const { dashboard, fake, get } = setup();
    const response = recordResponse();
    const done = dashboard.handle(request('/dashboard/events'), response);
    await vi.waitFor(() => expect(fake.openStreams).toBe(1));
    await dashboard.close();
    await done;
    expect(response.ended).toBe(true);
    expect(fake.openStreams).toBe(0);
    expect((await get('/dashboard/events')).status).toBe(503);
  });
});
