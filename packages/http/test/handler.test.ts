// The HTTP layer over real sockets: medusa's framing, keep-alive, errors, auth, /RPC2, log tails.
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiImplementation, createDispatcher, Fault } from '@supctl/rpc';
import { waitFor } from '@supctl/test-utils';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpHandler, type HttpHandlerOptions } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'http-test-'));
const stdoutLog = join(dir, 'web.log');
const mainLog = join(dir, 'main.log');
let release: () => void = () => {};

const api = {
  'supervisor.getState': () => ({ statecode: 1, statename: 'RUNNING' }),
  'supervisor.getPID': () => 4242,
  'supervisor.getIdentification': () => null, // not marshallable: HTTP 500
  'supervisor.getSupervisorVersion': () => 2 ** 31, // beyond 32 bits: HTTP 500
  'supervisor.getProcessInfo': (name: string) => {
    if (name !== 'web') throw new Fault('BAD_NAME', name);
    return { name: 'web', stdout_logfile: stdoutLog, stderr_logfile: '' };
  },
  // Deferred: answers when the test releases it.
  'supervisor.startProcess': () => new Promise<boolean>((resolve) => (release = () => resolve(true))),
} as unknown as ApiImplementation;

const servers: Server[] = [];
const accepted = new Set<Socket>();
async function serve(options: Partial<HttpHandlerOptions> = {}): Promise<number> {
  const handler = createHttpHandler({
    dispatcher: createDispatcher(api),
    logs: { mainLogPath: () => mainLog },
    tailPollMs: 10,
    ...options,
  });
  const server = createServer((socket) => {
    accepted.add(socket);
    socket.on('close', () => accepted.delete(socket));
    socket.once('data', (chunk) => handler(socket, chunk));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

interface Conn {
  readonly socket: Socket;
  text(): string;
  closed: Promise<void>;
  waitFor(check: (text: string) => boolean): Promise<string>;
}

function open(port: number): Promise<Conn> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const waiters = new Set<() => void>();
    socket.setEncoding('utf8').on('data', (d: string) => {
      text += d;
      for (const w of waiters) w();
    });
    const closed = new Promise<void>((r) =>
      socket.on('close', () => {
        r();
        for (const w of waiters) w();
      }),
    );
    socket.on('error', () => {});
    socket.on('connect', () =>
      resolve({
        socket,
        text: () => text,
        closed,
        waitFor: (check) =>
          new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`timed out; got ${JSON.stringify(text)}`)), 5000);
            const w = () => {
              if (check(text)) {
                clearTimeout(timer);
                waiters.delete(w);
                res(text);
              } else if (socket.destroyed) {
                clearTimeout(timer);
                waiters.delete(w);
                rej(new Error(`closed; got ${JSON.stringify(text)}`));
              }
            };
            waiters.add(w);
            w();
          }),
      }),
    );
  });
}

// Sends `request` and resolves with everything received until the server closes.
async function roundTrip(port: number, request: string | string[]): Promise<string> {
  const conn = await open(port);
  for (const piece of Array.isArray(request) ? request : [request]) conn.socket.write(piece);
  await conn.closed;
  return conn.text();
}

const rpcBody = (method: string, params = '') =>
  `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n${params}</params>\n</methodCall>\n`;
const post = (body: string, version = '1.1', extra = '') =>
  `POST /RPC2 HTTP/${version}\r\nHost: localhost\r\nContent-Type: text/xml\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const DATE = /Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\n/;
const norm = (text: string) => text.replace(DATE, 'Date: <date>\r\n');
const error404 =
  '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code 404.\r\n<p>Message: Not Found.\r\n</body>\r\n';

let port: number;
beforeAll(async () => {
  port = await serve();
  writeFileSync(stdoutLog, '');
  writeFileSync(mainLog, 'main log line\n');
});
afterAll(async () => {
  for (const socket of accepted) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

describe('medusa framing and keep-alive', () => {
  test('HTTP/1.0: answered, then closed, headers in medusa order', async () => {
    const text = await roundTrip(port, post(rpcBody('supervisor.getState'), '1.0'));
    expect(norm(text)).toBe(
      "HTTP/1.0 200 OK\r\nServer: Medusa/1.12\r\nDate: <date>\r\nContent-Type: text/xml\r\nContent-Length: 279\r\n\r\n<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n<name>statecode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>statename</name>\n<value><string>RUNNING</string></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n",
    );
  });

  test('HTTP/1.0 with Connection: keep-alive stays open and says so', async () => {
    const conn = await open(port);
    conn.socket.write(post(rpcBody('supervisor.getPID'), '1.0', 'Connection: keep-alive\r\n'));
    await conn.waitFor((t) => t.endsWith('</methodResponse>\n'));
    expect(conn.text()).toContain('Content-Length: 124\r\nConnection: Keep-Alive\r\n\r\n');
    conn.socket.write(post(rpcBody('supervisor.getPID'), '1.0'));
    await conn.closed;
    expect(conn.text().match(/<int>4242<\/int>/g)).toHaveLength(2);
  });

  test('HTTP/1.1: keep-alive by default, pipelined requests answered in order, Connection: close honoured', async () => {
    const conn = await open(port);
    conn.socket.write(post(rpcBody('supervisor.getPID')) + post(rpcBody('supervisor.getState')));
    await conn.waitFor((t) => t.includes('RUNNING'));
    expect(conn.text().indexOf('4242')).toBeLessThan(conn.text().indexOf('RUNNING'));
    conn.socket.write(post(rpcBody('supervisor.getPID'), '1.1', 'Connection: close\r\n'));
    await conn.closed;
    expect(conn.text().match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
  });

  test('a request split into single bytes', async () => {
    const text = await roundTrip(port, [...post(rpcBody('supervisor.getPID'), '1.0')]);
    expect(text).toContain('<int>4242</int>');
  });

  test('pipelined requests cut at random places are answered in order', async () => {
    const wire =
      post(rpcBody('supervisor.getPID')) +
      post(rpcBody('supervisor.getState'), '1.1', 'Connection: close\r\n');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 6 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), wire.length];
          const conn = await open(port);
          for (let k = 1; k < points.length; k++) {
            conn.socket.write(wire.slice(points[k - 1], points[k]));
            await new Promise((r) => setImmediate(r));
          }
          await conn.closed;
          expect(conn.text().indexOf('4242')).toBeGreaterThan(0);
          expect(conn.text().indexOf('RUNNING')).toBeGreaterThan(conn.text().indexOf('4242'));
        },
      ),
      { numRuns: 30 },
    );
  });

  test('leading blank lines are ignored; a path with %XX is unquoted before dispatch', async () => {
    const body = rpcBody('supervisor.getPID');
    const text = await roundTrip(
      port,
      `\r\nPOST /%52PC2 HTTP/1.0\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(text).toContain('<int>4242</int>');
  });

  test('errors: fixed HTML bodies (404 is 134 bytes), 400/411 as medusa', async () => {
    const notFound = await roundTrip(port, 'GET /nonexistent HTTP/1.0\r\n\r\n');
    expect(norm(notFound)).toBe(
      `HTTP/1.0 404 Not Found\r\nServer: Medusa/1.12\r\nDate: <date>\r\nContent-Length: 134\r\nContent-Type: text/html\r\n\r\n${error404}`,
    );
    expect(await roundTrip(port, 'GET /RPC2 HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 400 Bad Request/);
    expect(await roundTrip(port, 'POST /RPC2 HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 411 Length Required/);
    expect(
      await roundTrip(
        port,
        'POST /RPC2 HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      ),
    ).toMatch(/^HTTP\/1\.0 411/);
    expect(await roundTrip(port, 'GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.0 400 Bad Request/);
    expect(await roundTrip(port, 'PUT /index.html HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 400/);
    expect(await roundTrip(port, 'HEAD /ok.html HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 404/);
    expect(await roundTrip(port, 'GET /ok.html HTTP/1.0\r\n\r\n')).toMatch(
      /Content-Type: text\/plain\r\nContent-Length: 2\r\n\r\nOK$/,
    );
    expect(await roundTrip(port, 'GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 501/);
  });

  test('an error keeps an HTTP/1.1 connection open', async () => {
    const conn = await open(port);
    conn.socket.write('GET /nope HTTP/1.1\r\n\r\n');
    await conn.waitFor((t) => t.endsWith('</body>\r\n'));
    conn.socket.write(post(rpcBody('supervisor.getPID'), '1.1', 'Connection: close\r\n'));
    await conn.closed;
    expect(conn.text()).toContain('<int>4242</int>');
  });

  test('bounded: a big Content-Length gets 413 and the connection closes; a huge head gets 400', async () => {
    const small = await serve({ maxBodyBytes: 1000, maxHeaderBytes: 2000 });
    expect(await roundTrip(small, `POST /RPC2 HTTP/1.1\r\nContent-Length: 1001\r\n\r\n`)).toMatch(
      /^HTTP\/1\.1 413 Request Entity Too Large/,
    );
    expect(await roundTrip(small, `GET /${'x'.repeat(3000)}`)).toMatch(/^HTTP\/1\.0 400/);
    // A 1 MiB body under the default limit is read and answered.
    const big = rpcBody(
      'supervisor.getPID',
      `<param><value><string>${'x'.repeat(1 << 20)}</string></value></param>`,
    );
    expect(await roundTrip(port, post(big, '1.0'))).toContain('INCORRECT_PARAMETERS');
  });

  test('bounded idle time: a silent connection is closed', async () => {
    const quick = await serve({ idleTimeoutMs: 100 });
    const conn = await open(quick);
    conn.socket.write('GET /ok.html HTTP/1.1\r\n');
    await conn.closed;
    expect(conn.text()).toBe('');
  });

  test('bounded request time: a head or body that trickles in gets 408 and the connection closes', async () => {
    const slow = await serve({ requestTimeoutMs: 200 });
    // Between requests only the idle time counts: this one, answered, stays open meanwhile.
    const kept = await open(slow);
    kept.socket.write('GET /ok.html HTTP/1.1\r\n\r\n');
    await kept.waitFor((text) => text.includes('OK'));
    let keptClosed = false;
    void kept.closed.then(() => (keptClosed = true));
    // A byte every 20 ms: the idle time never runs out, the request's time does.
    const trickled = [
      ['GET /ok.html HTTP/1.1\r\nX-Slow: ', 'x'],
      [post('y'.repeat(1000)).slice(0, -900), 'y'],
    ];
    for (const [start, byte] of trickled) {
      const conn = await open(slow);
      conn.socket.write(start!);
      const drip = setInterval(() => conn.socket.write(byte!), 20);
      await conn.closed;
      clearInterval(drip);
      expect(conn.text()).toMatch(/^HTTP\/1\.0 408 Request Time-out\r\n/);
    }
    expect(keptClosed).toBe(false);
    expect(kept.text()).not.toContain('408');
    kept.socket.destroy();
    // A request that arrives in time is answered as ever.
    expect(await roundTrip(slow, 'GET /ok.html HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 200 OK/);
  });
});

describe('/RPC2', () => {
  test('faults are HTTP 200 with faultCode/faultString', async () => {
    const text = await roundTrip(port, post(rpcBody('supervisor.nope'), '1.0'));
    expect(text).toMatch(/^HTTP\/1\.0 200 OK/);
    expect(text).toContain('<name>faultCode</name>\n<value><int>1</int></value>');
    expect(text).toContain('<string>UNKNOWN_METHOD</string>');
  });

  test('multicall: bare values and inline faults', async () => {
    const calls = `<param><value><array><data>
<value><struct><member><name>methodName</name><value>supervisor.getPID</value></member></struct></value>
<value><struct><member><name>methodName</name><value>supervisor.getProcessInfo</value></member><member><name>params</name><value><array><data><value>nope</value></data></array></value></member></struct></value>
</data></array></value></param>`;
    const text = await roundTrip(port, post(rpcBody('system.multicall', calls), '1.0'));
    expect(text).toContain('<data>\n<value><int>4242</int></value>\n<value><struct>');
    expect(text).toContain('<string>BAD_NAME: nope</string>');
  });

  test('400 for malformed XML, a DTD, a missing methodName; 500 for what cannot be marshalled', async () => {
    for (const body of [
      '<methodCall><methodName>x',
      '<!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>&a;</methodName></methodCall>',
      '<methodCall><params/></methodCall>',
    ]) {
      expect(await roundTrip(port, post(body, '1.0'))).toMatch(/^HTTP\/1\.0 400 Bad Request/);
    }
    expect(await roundTrip(port, post(rpcBody('supervisor.getIdentification'), '1.0'))).toMatch(
      /^HTTP\/1\.0 500 Internal Server Error/,
    );
    expect(await roundTrip(port, post(rpcBody('supervisor.getSupervisorVersion'), '1.0'))).toMatch(
      /^HTTP\/1\.0 500/,
    );
  });

  test('a deferred call holds its response; other connections are served meanwhile', async () => {
    const slow = await open(port);
    slow.socket.write(post(rpcBody('supervisor.startProcess', '<param><value>web</value></param>'), '1.0'));
    expect(await roundTrip(port, post(rpcBody('supervisor.getPID'), '1.0'))).toContain('4242');
    expect(slow.text()).toBe('');
    release();
    await slow.closed;
    expect(slow.text()).toContain('<boolean>1</boolean>');
  });
});

describe('basic auth', () => {
  let authPort: number;
  let shaPort: number;
  const basic = (token: string) => `Authorization: Basic ${token}\r\n`;
  beforeAll(async () => {
    authPort = await serve({ auth: { username: 'user', password: 'secret' } });
    shaPort = await serve({
      auth: { username: 'user', password: '{SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    });
  });

  test("Supervisor's exact 401, then the connection closes", async () => {
    const text = await roundTrip(authPort, post(rpcBody('supervisor.getPID')));
    expect(norm(text)).toBe(
      'HTTP/1.1 401 Unauthorized\r\nServer: Medusa/1.12\r\nDate: <date>\r\nConnection: close\r\nWWW-Authenticate: Basic realm="default"\r\nContent-Length: 137\r\nContent-Type: text/html\r\n\r\n<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code 401.\r\n<p>Message: Unauthorized.\r\n</body>\r\n',
    );
  });

  test.each([
    ['right password', 'user:secret', 200],
    ['lower-case scheme', 'user:secret', 200],
    ['wrong password', 'user:nope', 401],
    ['wrong user', 'other:secret', 401],
    ['{SHA} password', 'user:secret', 200],
    ['the hash itself', 'user:e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4', 401],
    ['no colon', 'usersecret', 500],
  ])('%s', async (what, credentials, status) => {
    const target = what.includes('SHA') || what.includes('hash') ? shaPort : authPort;
    const header =
      what === 'lower-case scheme'
        ? `Authorization: basic ${btoa(credentials)}\r\n`
        : basic(btoa(credentials));
    const text = await roundTrip(target, post(rpcBody('supervisor.getPID'), '1.0', header));
    expect(text.slice(0, 12)).toBe(`HTTP/1.0 ${status}`);
  });

  test('bad base64 → 400; another scheme → 401; every path is protected', async () => {
    expect(await roundTrip(authPort, post(rpcBody('supervisor.getPID'), '1.0', basic('a')))).toMatch(
      /^HTTP\/1\.0 400/,
    );
    expect(await roundTrip(authPort, post(rpcBody('x'), '1.0', 'Authorization: Digest x\r\n'))).toMatch(
      /^HTTP\/1\.0 401/,
    );
    for (const path of ['/ok.html', '/logtail/web', '/mainlogtail', '/nope'])
      expect(await roundTrip(authPort, `GET ${path} HTTP/1.0\r\n\r\n`)).toMatch(/^HTTP\/1\.0 401/);
  });
});

describe('/logtail and /mainlogtail', () => {
  test('HTTP/1.1 chunked: the last 1024 bytes, then new bytes, then the truncation marker', async () => {
    writeFileSync(stdoutLog, `${'a'.repeat(2000)}0123456789ABCDEFGHI\n`);
    const conn = await open(port);
    conn.socket.write('GET /logtail/web/stdout HTTP/1.1\r\nHost: \r\nAccept-Encoding: chunked\r\n\r\n');
    await conn.waitFor((t) => t.includes('GHI\n\r\n'));
    const [head, body] = conn.text().split('\r\n\r\n') as [string, string];
    expect(norm(`${head}\r\n`)).toMatch(
      /^HTTP\/1\.1 200 OK\r\nServer: Medusa\/1\.12\r\nDate: <date>\r\nLast-Modified: .+ GMT\r\nContent-Type: text\/plain;charset=utf-8\r\nX-Accel-Buffering: no\r\nTransfer-Encoding: chunked\r\n$/,
    );
    expect(body.startsWith('400\r\n')).toBe(true);
    appendFileSync(stdoutLog, 'new line\n');
    await conn.waitFor((t) => t.endsWith('9\r\nnew line\n\r\n'));
    truncateSync(stdoutLog, 0);
    await conn.waitFor((t) => t.endsWith('17\r\n==> File truncated <==\n\r\n'));
    appendFileSync(stdoutLog, 'after\n');
    await conn.waitFor((t) => t.endsWith('6\r\nafter\n\r\n'));
    conn.socket.destroy();
  });

  test('HTTP/1.0 streams raw bytes; /mainlogtail has no X-Accel-Buffering', async () => {
    const conn = await open(port);
    conn.socket.write('GET /mainlogtail HTTP/1.0\r\n\r\n');
    await conn.waitFor((t) => t.endsWith('\r\n\r\nmain log line\n'));
    expect(conn.text()).not.toContain('X-Accel-Buffering');
    expect(conn.text()).not.toContain('chunked');
    conn.socket.destroy();
  });

  test('404 for unknown names, channels or missing files; 500 for /logtail alone; GET only', async () => {
    for (const path of ['/logtail/nope', '/logtail/web/stderr', '/logtail/web/foo', '/logtail/'])
      expect(await roundTrip(port, `GET ${path} HTTP/1.0\r\n\r\n`)).toMatch(/^HTTP\/1\.0 404/);
    expect(await roundTrip(port, 'GET /logtail HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 500/);
    expect(await roundTrip(port, 'POST /logtail/web HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 400/);
    const noMain = await serve({ logs: {} });
    expect(await roundTrip(noMain, 'GET /mainlogtail HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 404/);
  });
});

describe('the web hook', () => {
  test('gets every other path; streamed answers with or without Content-Length keep HTTP/1.1 open', async () => {
    const seen: string[] = [];
    const web = await serve({
      web: async (x) => {
        seen.push(`${x.request.method} ${x.path} ${x.query}`);
        const withLength = x.path === '/sized';
        const stream = x.stream(
          200,
          withLength ? [['Content-Length', '5']] : [['Content-Type', 'text/plain']],
        );
        await stream.write('he');
        await stream.write('llo');
        stream.end();
      },
    });
    const conn = await open(web);
    conn.socket.write('GET /sized?a=1 HTTP/1.1\r\n\r\n');
    await conn.waitFor((t) => t.endsWith('\r\n\r\nhello'));
    expect(conn.text()).not.toContain('chunked');
    conn.socket.write('GET /index.html HTTP/1.1\r\n\r\n');
    await conn.waitFor((t) => t.endsWith('2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n'));
    conn.socket.write('GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    await conn.closed;
    expect(seen).toEqual(['GET /sized a=1', 'GET /index.html ', 'GET / ']);
  });

  test('a web handler that throws before answering gets 500', async () => {
    const web = await serve({
      web: () => {
        throw new Error('boom');
      },
    });
    expect(await roundTrip(web, 'GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.0 500 Internal Server Error/);
  });
});

// The server's end of a test connection.
function serverSide(conn: Conn): Socket {
  const local = conn.socket.localPort;
  const socket = [...accepted].find((s) => s.remotePort === local);
  if (!socket) throw new Error('not accepted yet');
  return socket;
}

describe('a client that does not read its answers', () => {
  test('pipelined requests are answered one at a time as the client takes them, not all queued in memory', async () => {
    const total = 100;
    let handled = 0;
    const web = await serve({
      web: (x) => {
        handled++;
        const body = Buffer.alloc(1 << 20, 0x61 + (handled % 26));
        x.send(200, [['Content-Length', String(body.length)]], body);
      },
    });
    const conn = await open(web);
    conn.socket.pause();
    conn.socket.write('GET /big HTTP/1.1\r\n\r\n'.repeat(total));
    await waitFor(() => serverSide(conn).writableNeedDrain, { what: 'answers the client does not take' });
    const server = serverSide(conn);
    // The answers handled so far fill the socket buffers, far fewer than 100 MiB of them.
    expect(handled).toBeLessThan(total);
    expect(server.writableLength).toBeLessThanOrEqual((1 << 20) + server.writableHighWaterMark);
    let received = 0;
    conn.socket.removeAllListeners('data');
    conn.socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    conn.socket.resume();
    await waitFor(() => received >= total * (1 << 20), { timeoutMs: 20_000, what: 'every answer' });
    expect(handled).toBe(total);
  });

  test('the requests a client pipelines behind a pending one are not read without bound', async () => {
    const conn = await open(port);
    conn.socket.write(post(rpcBody('supervisor.startProcess', '<param><value>web</value></param>')));
    await waitFor(() => serverSide(conn), { what: 'the connection' });
    // 4 MiB of well-formed requests behind the deferred call: the server stops reading them.
    const pad = `X-Pad: ${'p'.repeat(16_000)}\r\n`;
    const more = `GET /ok.html HTTP/1.1\r\n${pad}\r\n`;
    const count = 256;
    conn.socket.write(more.repeat(count));
    await waitFor(() => serverSide(conn).isPaused(), { what: 'the server to stop reading' });
    expect(serverSide(conn).bytesRead).toBeLessThan(count * more.length);
    release();
    const answers = (t: string) => t.split('HTTP/1.1 200 OK').length - 1;
    await conn.waitFor((t) => answers(t) === count + 1);
    expect(conn.text()).toContain('<boolean>1</boolean>');
    conn.socket.destroy();
  });
});
