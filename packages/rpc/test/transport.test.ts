import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SupervisorEvent } from '@supctl/events';
import { makeTempDir, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { encodeFrame, FrameDecoder } from '../src/codec.ts';
import {
  connect,
  createPushStream,
  createRpcServer,
  DEFAULT_CLIENT_MAX_FRAME_BYTES,
  Fault,
  isNativeHandshake,
  type LogChunk,
  MAX_STREAMS_PER_CONNECTION,
  PROTOCOL_VERSION,
  RpcProtocolError,
  sniffProtocol,
} from '../src/index.ts';
import { encodePreamble } from '../src/protocol.ts';
import { makeFakeApi } from './fake-api.ts';
import { rawConnect, serve } from './helpers.ts';

const hello = (params: object = {}) =>
  Buffer.concat([
    encodePreamble(),
    encodeFrame({ id: 0, method: 'supctl.hello', params: { protocol: 1, ...params } }),
  ]);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

// Reads the frames a raw connection received after the server's 8-byte preamble.
function framesAfterPreamble(bytes: Buffer): Record<string, unknown>[] {
  expect(bytes.subarray(0, 7)).toEqual(encodePreamble().subarray(0, 7));
  return new FrameDecoder({ maxFrameBytes: 1 << 20 }).push(bytes.subarray(8));
}

describe('round trips', () => {
  test.each([['unix'], ['tcp']])('over %s', async (kind) => {
    await using served = await serve({ tcp: kind === 'tcp' });
    expect(served.url).toMatch(kind === 'tcp' ? /^tcp:\/\/127\.0\.0\.1:\d+$/ : /^unix:\/\//);
    const client = await served.connect();
    expect(client.server).toMatchObject({ protocol: PROTOCOL_VERSION, server: '@supctl/rpc' });
    expect(await client.call('supervisor.getState')).toEqual({ statecode: 1, statename: 'RUNNING' });
    expect(await client.call('supervisor.getProcessInfo', 'web')).toMatchObject({
      name: 'web',
      statename: 'RUNNING',
    });
    expect(Object.keys(await client.call('supervisor.getProcessInfo', 'web'))).toEqual([
      'name',
      'group',
      'start',
      'stop',
      'now',
      'state',
      'statename',
      'spawnerr',
      'exitstatus',
      'logfile',
      'stdout_logfile',
      'stderr_logfile',
      'pid',
      'description',
    ]);
    expect(await client.call('supervisor.getVersion')).toBe('3.0');
    expect(await client.call('system.listMethods')).toHaveLength(41);
  });

  test('list results: msgpackr records to a client that reads them, plain maps to any other', async () => {
    await using served = await serve();
    const withRecords = await served.connect();
    const withoutRecords = await served.connect({ records: false });
    expect(withRecords.server.records).toBe(true);
    expect(withoutRecords.server.records).toBe(false);
    const all = await withoutRecords.call('supervisor.getAllProcessInfo');
    expect(all.length).toBeGreaterThan(1);
    expect(await withRecords.call('supervisor.getAllProcessInfo')).toEqual(all);
    // A peer whose hello does not ask for records (any MessagePack library) gets no ext types.
    await using raw = await rawConnect(served.path);
    raw.socket.write(
      Buffer.concat([hello(), encodeFrame({ id: 1, method: 'supervisor.getAllProcessInfo', params: [] })]),
    );
    await waitFor(() => raw.received().length > 8 && framesAfterPreamble(raw.received()).length === 2);
    expect(raw.received().includes(Buffer.from([0xd4, 0x72]))).toBe(false);
    const [ack, answer] = framesAfterPreamble(raw.received());
    expect(ack).toMatchObject({ id: 0, result: { records: false } });
    expect(answer).toEqual({ id: 1, result: all });
  });

  test('faults come back as Fault with code, name and message', async () => {
    await using served = await serve();
    const client = await served.connect();
    const error = await rejection(client.call('supervisor.startProcess', 'nope'));
    expect(error).toBeInstanceOf(Fault);
    expect(error).toMatchObject({ code: 10, name: 'BAD_NAME', message: 'BAD_NAME: nope', detail: 'nope' });
    const unknown = await rejection(client.call('supervisor.nope' as 'supervisor.getState'));
    expect(unknown).toMatchObject({ code: 1, name: 'UNKNOWN_METHOD' });
    const wrong = await rejection(client.call('supervisor.getProcessInfo', 5 as unknown as string));
    expect(wrong).toMatchObject({ code: 2, name: 'INCORRECT_PARAMETERS' });
    // The connection is still good.
    expect(await client.call('supervisor.getPID')).toBe(process.pid);
  });

  test('call() of a stream method rejects at once instead of hanging (untyped callers)', async () => {
    await using served = await serve();
    const client = await served.connect();
    const call = client.call as (method: string, ...params: unknown[]) => Promise<unknown>;
    const subscribe = await rejection(call('supctl.subscribe', {}));
    expect(subscribe).toBeInstanceOf(TypeError);
    expect(subscribe.message).toBe(
      "call('supctl.subscribe'): supctl.subscribe is a stream; use client.subscribe(filter)",
    );
    expect((await rejection(call('supctl.tail', 'web'))).message).toBe(
      "call('supctl.tail'): supctl.tail is a stream; use client.tail(name, options)",
    );
    expect(await client.call('supervisor.getPID')).toBe(process.pid);
  });

  test('many requests in flight on one connection, answered as they finish', async () => {
    const order: string[] = [];
    await using served = await serve({
      overrides: {
        'supervisor.readProcessStdoutLog': async (name, _offset, length) => {
          await new Promise((resolve) => setTimeout(resolve, length));
          order.push(name);
          return name;
        },
      },
    });
    const client = await served.connect();
    const slow = client.call('supervisor.readProcessStdoutLog', 'slow', 0, 50);
    const fast = client.call('supervisor.readProcessStdoutLog', 'fast', 0, 1);
    const many = Array.from({ length: 500 }, (_, i) => client.call('supervisor.readLog', i, 0));
    expect(await Promise.all([slow, fast, ...many])).toEqual([
      'slow',
      'fast',
      ...Array.from({ length: 500 }, (_, i) => `log ${i} 0`),
    ]);
    expect(order).toEqual(['fast', 'slow']);
  });

  test('a big result crosses many chunks', async () => {
    await using served = await serve();
    const client = await served.connect();
    expect(await client.call('supervisor.readProcessStdoutLog', 'web', 0, 5_000_000)).toHaveLength(5_000_000);
  });

  test("a result above the client's frame limit is a FAILED fault, the connection stays", async () => {
    await using served = await serve();
    const client = await served.connect({ maxFrameBytes: 1000 });
    const error = await rejection(client.call('supervisor.readProcessStdoutLog', 'web', 0, 5000));
    expect(error.message).toMatch(
      /^FAILED: response of \d+ bytes exceeds the client's frame limit of 1000 bytes$/,
    );
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
  });
});

describe('streams', () => {
  const tick = (when: number): SupervisorEvent => ({ type: 'TICK_5', when });

  test("a stream handler is told the client's frame limit, so it can size its items to fit", async () => {
    const limits: (number | undefined)[] = [];
    await using served = await serve({
      overrides: {
        'supctl.tail': (_name, _options, { signal, maxFrameBytes }) => {
          limits.push(maxFrameBytes);
          const stream = createPushStream<LogChunk>({ signal });
          stream.end();
          return stream;
        },
      },
    });
    for (const maxFrameBytes of [600, undefined]) {
      const client = await served.connect(maxFrameBytes === undefined ? {} : { maxFrameBytes });
      for await (const _ of client.tail('web', { follow: false })) expect.unreachable();
    }
    expect(limits[0]).toBe(600);
    // The client's default limit, as it said in its hello.
    expect(limits[1]).toBe(DEFAULT_CLIENT_MAX_FRAME_BYTES);
  });

  test('subscribe delivers filtered events; break cancels it on the server', async () => {
    await using served = await serve();
    const client = await served.connect();
    const events = client.subscribe({ types: ['PROCESS_STATE'], processes: ['web'] });
    // The subscription is registered before any later call is handled.
    await client.call('supervisor.getState');
    expect(served.fake.subscribers).toBe(1);
    served.fake.emit(tick(5));
    served.fake.emit({
      type: 'PROCESS_STATE_RUNNING',
      processName: 'db',
      groupName: 'db',
      fromState: 'STARTING',
      pid: 1,
    });
    served.fake.emit({
      type: 'PROCESS_STATE_RUNNING',
      processName: 'web',
      groupName: 'web',
      fromState: 'STARTING',
      pid: 2,
    });
    served.fake.emit({
      type: 'PROCESS_STATE_STOPPING',
      processName: 'web',
      groupName: 'web',
      fromState: 'RUNNING',
      pid: 2,
    });
    const seen: string[] = [];
    for await (const event of events) {
      seen.push('processName' in event ? `${event.processName} ${event.type}` : event.type);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['web PROCESS_STATE_RUNNING', 'web PROCESS_STATE_STOPPING']);
    await waitFor(() => served.fake.subscribers === 0, { what: 'the server to drop the subscriber' });
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
  });

  test('an event caused by a call made after subscribe is seen', async () => {
    await using served = await serve();
    const client = await served.connect();
    const events = client.subscribe({ types: ['REMOTE_COMMUNICATION'] });
    await client.call('supervisor.sendRemoteCommEvent', 'mytype', 'hello');
    const { value } = await events.next();
    expect(value).toEqual({ type: 'REMOTE_COMMUNICATION', commType: 'mytype', data: 'hello' });
    await events.cancel();
  });

  test('several streams at once on one connection, cancelled by AbortSignal', async () => {
    await using served = await serve();
    const client = await served.connect();
    const controller = new AbortController();
    const a = client.subscribe({ types: ['TICK'] }, { signal: controller.signal });
    const b = client.subscribe({}, { signal: controller.signal });
    await client.call('supervisor.getState');
    expect(served.fake.subscribers).toBe(2);
    served.fake.emit(tick(10));
    expect((await a.next()).value).toEqual(tick(10));
    expect((await b.next()).value).toEqual(tick(10));
    const pending = a.next();
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    await waitFor(() => served.fake.subscribers === 0, { what: 'both subscribers gone' });
  });

  test('tail without follow ends by itself; with follow it runs until cancelled', async () => {
    await using served = await serve();
    const client = await served.connect();
    const chunks: string[] = [];
    for await (const chunk of client.tail('web', { channel: 'stderr', follow: false }))
      chunks.push(chunk.data);
    expect(chunks).toEqual(['web stderr line 1\n', 'web stderr line 2\n']);
    // Options left undefined (nil on the wire) take their defaults.
    const defaults = client.tail('web', { channel: undefined, follow: undefined, offset: undefined });
    expect((await defaults.next()).value).toEqual({ data: 'web stdout line 1\n', offset: 20 });
    await defaults.return();
    const follow = client.tail('worker');
    expect((await follow.next()).value).toEqual({ data: 'worker stdout line 1\n', offset: 20 });
    expect(served.fake.tails).toBe(1);
    await follow.return();
    await waitFor(() => served.fake.tails === 0, { what: 'the tail to end on the server' });
  });

  test('at most 64 streams are open on one connection; the next fails alone until one ends', async () => {
    await using served = await serve();
    const client = await served.connect();
    const open = Array.from({ length: MAX_STREAMS_PER_CONNECTION }, () => client.tail('worker'));
    for (const stream of open) expect((await stream.next()).done).toBe(false);
    const refused = await rejection(client.tail('worker').next());
    expect(refused).toBeInstanceOf(RpcProtocolError);
    expect((refused as RpcProtocolError).code).toBe('TOO_MANY_STREAMS');
    expect(refused.message).toBe(
      'supctl.tail: 64 streams are already open on this connection; end one first',
    );
    expect(await client.call('supervisor.getState')).toEqual({ statecode: 1, statename: 'RUNNING' });
    await open[0]!.cancel();
    await waitFor(() => served.fake.tails === MAX_STREAMS_PER_CONNECTION - 1, { what: 'the cancel' });
    const again = client.tail('worker');
    expect((await again.next()).done).toBe(false);
    await Promise.all([again, ...open].map((stream) => stream.cancel()));
  });

  test('stream arguments of the wrong type are faults that say what was expected (untyped callers)', async () => {
    await using served = await serve();
    const client = await served.connect();
    const tail = client.tail.bind(client) as (
      name: unknown,
      options?: unknown,
    ) => AsyncIterableIterator<unknown>;
    const subscribe = client.subscribe.bind(client) as (filter?: unknown) => AsyncIterableIterator<unknown>;
    expect(await rejection(tail('web', 'stderr').next())).toMatchObject({
      name: 'INCORRECT_PARAMETERS',
      message: 'INCORRECT_PARAMETERS: options: expected a map like {follow: true}, got the string "stderr"',
    });
    expect((await rejection(tail(5).next())).message).toBe(
      'INCORRECT_PARAMETERS: name: expected a string, got a number',
    );
    expect((await rejection(subscribe('PROCESS_STATE').next())).message).toBe(
      `INCORRECT_PARAMETERS: filter: expected a map like {types: ['PROCESS_STATE']}, got the string "PROCESS_STATE"`,
    );
    expect(await client.call('supervisor.getPID')).toBe(process.pid);
  });

  test('a stream that fails rejects the loop with its fault', async () => {
    await using served = await serve();
    const client = await served.connect();
    const error = await rejection(
      (async () => {
        for await (const _ of client.tail('nope')) {
          // nothing
        }
      })(),
    );
    expect(error).toMatchObject({ name: 'BAD_NAME', message: 'BAD_NAME: nope' });
    const bad = await rejection(client.subscribe({ types: ['NOPE' as 'TICK'] }).next());
    expect(bad.message).toBe("INCORRECT_PARAMETERS: filter.types: unknown event type 'NOPE'");
  });

  test('a handler that throws mid-stream ends only that stream', async () => {
    await using served = await serve({
      overrides: {
        'supctl.tail': async function* () {
          yield { data: 'a', offset: 1 };
          throw new Fault('NO_FILE', '/var/log/x.log');
        },
      },
    });
    const client = await served.connect();
    const stream = client.tail('web');
    expect((await stream.next()).value).toEqual({ data: 'a', offset: 1 });
    expect(await rejection(stream.next())).toMatchObject({ message: 'NO_FILE: /var/log/x.log' });
    expect(await client.call('supervisor.getPID')).toBe(process.pid);
  });

  test('a client that disconnects mid-stream ends the stream on the server', async () => {
    await using served = await serve();
    const client = await served.connect();
    const events = client.subscribe();
    const tail = client.tail('web');
    await tail.next();
    expect(served.fake.subscribers).toBe(1);
    expect(served.fake.tails).toBe(1);
    await client.close();
    expect(await events.next()).toEqual({ value: undefined, done: true });
    await waitFor(() => served.fake.subscribers === 0 && served.fake.tails === 0, { what: 'streams to end' });
    await waitFor(() => served.server.connectionCount === 0, { what: 'the connection to go' });
    // Events emitted now go nowhere, and the server still serves.
    served.fake.emit(tick(15));
    const again = await served.connect();
    expect(await again.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
  });

  test('a raw socket destroyed mid-stream with unread data leaves the server healthy', async () => {
    await using served = await serve();
    await using raw = await rawConnect(served.path);
    raw.socket.write(hello());
    raw.socket.write(encodeFrame({ id: 1, method: 'supctl.subscribe', params: [{}] }));
    await waitFor(() => served.fake.subscribers === 1, { what: 'a subscriber' });
    for (let i = 0; i < 1000; i++) served.fake.emit(tick(i));
    raw.socket.destroy();
    await waitFor(() => served.fake.subscribers === 0, { what: 'the subscriber to go' });
    const client = await served.connect();
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
  });

  test('a consumer that stops taking items pauses its stream on the server; calls and other streams go on, taking resumes it', async () => {
    let pulled = 0;
    await using served = await serve({
      overrides: {
        // Pulled by the server as fast as it may send: without flow control, endless.
        'supctl.tail': async function* (): AsyncGenerator<LogChunk> {
          for (;;) yield { data: 'x', offset: ++pulled };
        },
      },
    });
    const client = await served.connect();
    const stream = client.tail('web', { highWaterMark: 10 });
    await waitFor(() => stream.buffered >= 10, { what: 'the client to hold 10 chunks' });
    // The pause went out before this call, and the server handles frames in order and answers
    // after the items it sent: once answered, every item pulled has arrived, and no more are.
    expect(await client.call('supervisor.getState')).toEqual({ statecode: 1, statename: 'RUNNING' });
    const held = pulled;
    expect(stream.buffered).toBe(held);
    for (let i = 0; i < 5; i++) await client.call('supervisor.getState');
    expect(pulled).toBe(held);
    // Another stream on the connection goes on meanwhile.
    const events = client.subscribe({ types: ['TICK'] });
    await waitFor(() => served.fake.subscribers === 1, { what: 'the subscription' });
    served.fake.emit({ type: 'TICK_5', when: 5 });
    expect((await events.next()).value).toEqual({ type: 'TICK_5', when: 5 });
    await events.cancel();
    expect(pulled).toBe(held);
    // Taking them down to half the mark resumes it; nothing was lost or repeated.
    const offsets: number[] = [];
    while (offsets.length < held + 20) offsets.push(((await stream.next()).value as LogChunk).offset);
    expect(pulled).toBeGreaterThan(held);
    expect(offsets).toEqual(Array.from({ length: held + 20 }, (_, i) => i + 1));
    await stream.cancel();
  });

  test('highWaterMark must be a positive integer', async () => {
    await using served = await serve();
    const client = await served.connect();
    for (const highWaterMark of [0, -1, 1.5, Number.NaN]) {
      expect(() => client.subscribe({}, { highWaterMark })).toThrow(
        `highWaterMark must be a positive integer, got ${highWaterMark}`,
      );
    }
  });

  test('a push stream can count its mark in bytes; the newest item is always kept', async () => {
    const stream = createPushStream<string>({ highWaterMark: 10, sizeOf: (s) => s.length });
    for (const s of ['aaaa', 'bbbb', 'cccc']) stream.push(s);
    expect(stream.dropped).toBe(1);
    stream.push('x'.repeat(20));
    stream.end();
    const seen: string[] = [];
    for await (const s of stream) seen.push(s);
    expect(seen).toEqual(['x'.repeat(20)]);
    expect(stream.dropped).toBe(3);
  });

  test('a slow reader does not block the producer (push stream drops the oldest)', async () => {
    const stream = createPushStream<number>({ highWaterMark: 3 });
    for (let i = 0; i < 10; i++) stream.push(i);
    stream.end();
    const seen: number[] = [];
    for await (const n of stream) seen.push(n);
    expect(seen).toEqual([7, 8, 9]);
    expect(stream.dropped).toBe(7);
  });

  test('with `gap`, a push stream says where it dropped items and how many, each time', async () => {
    const stream = createPushStream<number | string>({ highWaterMark: 3, gap: (n) => `dropped ${n}` });
    for (let i = 0; i < 5; i++) stream.push(i);
    const iterator = stream[Symbol.asyncIterator]();
    const take = async () => (await iterator.next()).value;
    expect([await take(), await take()]).toEqual(['dropped 2', 2]);
    for (let i = 5; i < 10; i++) stream.push(i); // holds 3, 4 and 5..9: drops 3..6
    stream.end();
    const rest: (number | string)[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
    expect(rest).toEqual(['dropped 4', 7, 8, 9]);
    expect(stream.dropped).toBe(6);
  });
});

describe('handshake', () => {
  test('an old or new client is told what is wrong', async () => {
    await using served = await serve();
    for (const version of [0, 2]) {
      await using raw = await rawConnect(served.path);
      raw.socket.write(
        Buffer.concat([encodePreamble(version), encodeFrame({ id: 0, method: 'supctl.hello', params: {} })]),
      );
      await raw.closed;
      const [answer] = framesAfterPreamble(raw.received());
      expect(answer).toMatchObject({ id: 0, error: { code: -32002, name: 'VERSION_MISMATCH' } });
      expect((answer!.error as { message: string }).message).toMatch(
        version === 2
          ? 'client speaks native protocol 2, this server speaks 1 (the client is newer); upgrade supd'
          : 'client speaks native protocol 0, this server speaks 1 (the client is older); upgrade the client',
      );
    }
  });

  test('the client reports a server that speaks another version', async () => {
    await using dir = makeTempDir('rpc-');
    const path = join(dir.path, 'v2.sock');
    const fake = createServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
      socket.end(Buffer.concat([encodePreamble(2), encodeFrame({ id: 0, result: { protocol: 2 } })]));
    });
    await new Promise<void>((resolve) => fake.listen(path, resolve));
    const error = await rejection(connect(`unix://${path}`));
    expect(error).toBeInstanceOf(RpcProtocolError);
    expect(error.message).toBe(
      `unix://${path} speaks native protocol 2, this client speaks 1; upgrade @supctl/rpc (this client) so both come from the same release`,
    );
    await new Promise((resolve) => fake.close(resolve));
  });

  test('the client reports an HTTP-only server (supervisord)', async () => {
    await using dir = makeTempDir('rpc-');
    const path = join(dir.path, 'http.sock');
    const fake = createServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
      socket.end('HTTP/1.0 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((resolve) => fake.listen(path, resolve));
    const error = await rejection(connect(`unix://${path}`));
    expect(error.message).toMatch(
      /answered with HTTP, not the native protocol: is it supervisord rather than supd\?/,
    );
    await new Promise((resolve) => fake.close(resolve));
  });

  test('a missing socket rejects with the system error', async () => {
    const error = await rejection(connect('unix:///nonexistent/supd.sock'));
    expect(error).toMatchObject({ code: 'ENOENT' });
  });

  test('bytes that are not the magic close the connection without an answer', async () => {
    await using served = await serve();
    await using raw = await rawConnect(served.path);
    raw.socket.write('GET / HTTP/1.1\r\n\r\n');
    await raw.closed;
    expect(raw.received()).toHaveLength(0);
  });

  test('a first frame that is not hello closes the connection', async () => {
    await using served = await serve();
    await using raw = await rawConnect(served.path);
    raw.socket.write(
      Buffer.concat([encodePreamble(), encodeFrame({ id: 1, method: 'supervisor.getState', params: [] })]),
    );
    await raw.closed;
    expect(raw.received()).toHaveLength(0);
  });

  test('a connection that never handshakes is closed after the timeout', async () => {
    await using served = await serve({ handshakeTimeoutMs: 50 });
    await using raw = await rawConnect(served.path);
    raw.socket.write(encodePreamble().subarray(0, 3));
    await raw.closed;
    await waitFor(() => served.server.connectionCount === 0, { what: 'the server to drop it' });
  });

  test('sniffing: one byte tells native from HTTP', () => {
    expect(isNativeHandshake(hello())).toBe(true);
    expect(isNativeHandshake(hello().subarray(0, 1))).toBe(true);
    for (const method of ['GET', 'POST', 'HEAD', 'PUT', 'OPTIONS', '\r\nGET', 'PRI * HTTP/2.0']) {
      expect(sniffProtocol(Buffer.from(`${method} / HTTP/1.1\r\n`))).toBe('http');
    }
    expect(sniffProtocol(Buffer.alloc(0))).toBe('unknown');
  });

  test('one socket serves both: handleConnection takes the sniffed first chunk', async () => {
    await using dir = makeTempDir('rpc-');
    const path = join(dir.path, 'both.sock');
    await using rpc = createRpcServer({ api: makeFakeApi().api });
    const listener = createServer((socket) => {
      socket.once('data', (chunk) => {
        if (isNativeHandshake(chunk)) rpc.handleConnection(socket, chunk);
        else socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
    });
    await new Promise<void>((resolve) => listener.listen(path, resolve));
    const client = await connect(`unix://${path}`);
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
    await client.close();
    await using raw = await rawConnect(path);
    raw.socket.write('GET / HTTP/1.1\r\n\r\n');
    await raw.closed;
    expect(raw.received().toString()).toMatch(/^HTTP\/1\.1 200 OK/);
    await new Promise((resolve) => listener.close(resolve));
  });
});

describe('auth', () => {
  const sha = `{SHA}${createHash('sha1').update('s3cret').digest('hex')}`;

  test.each([
    ['plain', 's3cret'],
    ['{SHA}', sha],
  ])('%s password: the right one gets in', async (_, password) => {
    await using served = await serve({ auth: { username: 'admin', password } });
    const client = await served.connect({ username: 'admin', password: 's3cret' });
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
  });

  test.each([
    ['no credentials', {}],
    ['a wrong password', { username: 'admin', password: 'nope' }],
    ['a wrong username', { username: 'Admin', password: 's3cret' }],
    ['the hash itself', { username: 'admin', password: sha.slice(5) }],
    ['{SHA}hash', { username: 'admin', password: sha }],
  ])('%s → UNAUTHORIZED', async (_, credentials) => {
    await using served = await serve({ auth: { username: 'admin', password: sha } });
    const error = await rejection(served.connect(credentials));
    expect(error).toBeInstanceOf(RpcProtocolError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Server requires authentication' });
    await waitFor(() => served.server.connectionCount === 0, { what: 'the connection to close' });
  });

  test('nothing is answered before auth, even requests sent right behind the hello', async () => {
    const calls: string[] = [];
    await using served = await serve({
      auth: { username: 'admin', password: 's3cret' },
      overrides: {
        'supervisor.getPID': async () => {
          calls.push('getPID');
          return 1;
        },
      },
    });
    await using raw = await rawConnect(served.path);
    raw.socket.write(
      Buffer.concat([
        hello({ username: 'admin', password: 'wrong' }),
        encodeFrame({ id: 1, method: 'supervisor.getPID', params: [] }),
      ]),
    );
    await raw.closed;
    const frames = framesAfterPreamble(raw.received());
    expect(frames).toEqual([
      { id: 0, error: { code: -32001, name: 'UNAUTHORIZED', message: 'Server requires authentication' } },
    ]);
    expect(calls).toEqual([]);
  });
});

describe('bad input closes only that connection', () => {
  test.each([
    ['malformed MessagePack', Buffer.from([0, 0, 0, 2, 0xa5, 0x61])],
    ['a frame that is not a map', Buffer.from([0, 0, 0, 1, 0xc0])],
    ['a negative request id', encodeFrame({ id: -1, method: 'supervisor.getState', params: [] })],
    ['an oversized frame', Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3])],
  ])('%s', async (_, junk) => {
    await using served = await serve({ maxFrameBytes: 1 << 16 });
    const good = await served.connect();
    await using raw = await rawConnect(served.path);
    raw.socket.write(hello());
    raw.socket.write(encodeFrame({ id: 1, method: 'supervisor.getPID', params: [] }));
    await waitFor(() => raw.received().length > 8 && framesAfterPreamble(raw.received()).length === 2, {
      what: 'the answer to id 1',
    });
    raw.socket.write(junk);
    await raw.closed;
    const frames = framesAfterPreamble(raw.received());
    expect(frames[0]).toMatchObject({ id: 0, result: { protocol: 1 } });
    expect(frames).toContainEqual({ id: 1, result: process.pid });
    expect(frames.at(-1)).toMatchObject({ method: 'supctl.error' });
    expect(served.warnings.at(-1)).toMatch(/^rpc: connection closed: /);
    expect(await good.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
  });

  test("a typed client's request above the server's limit fails alone, unsent; the connection stays", async () => {
    // The in-flight call answers only once the oversized ones have failed.
    let answer = () => {};
    const released = new Promise<void>((resolve) => (answer = resolve));
    await using served = await serve({
      maxFrameBytes: 1024,
      overrides: {
        'supervisor.readLog': async (offset, length) => {
          await released;
          return `log ${offset} ${length}`;
        },
      },
    });
    const client = await served.connect();
    const inFlight = client.call('supervisor.readLog', 1, 2);
    const error = await rejection(client.call('supervisor.sendProcessStdin', 'web', 'x'.repeat(5000)));
    expect(error).toBeInstanceOf(RpcProtocolError);
    expect(error).toMatchObject({ code: 'FRAME_TOO_LARGE' });
    expect(error.message).toMatch(
      /^supervisor\.sendProcessStdin: request of \d+ bytes exceeds the server's frame limit of 1024 bytes$/,
    );
    const stream = client.subscribe({ processes: ['x'.repeat(5000)] });
    expect(await rejection(stream.next())).toMatchObject({ code: 'FRAME_TOO_LARGE' });
    answer();
    expect(await inFlight).toBe('log 1 2');
    expect(client.state).toBe('open');
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
    expect(served.warnings).toEqual([]);
  });

  test('a bad request with a good id gets an error and the connection stays', async () => {
    await using served = await serve();
    await using raw = await rawConnect(served.path);
    raw.socket.write(hello());
    raw.socket.write(encodeFrame({ id: 1, params: [] }));
    raw.socket.write(encodeFrame({ id: 2, method: 'supervisor.getState', params: 'x' }));
    raw.socket.write(encodeFrame({ method: 'supctl.whatever', params: {} }));
    raw.socket.write(encodeFrame({ id: 3, method: 'supervisor.getPID' }));
    await waitFor(() => framesAfterPreamble(raw.received()).length === 4, { what: 'four answers' });
    expect(framesAfterPreamble(raw.received()).slice(1)).toEqual([
      { id: 1, error: { code: -32600, name: 'INVALID_REQUEST', message: 'a request needs a method name' } },
      { id: 2, error: { code: 2, name: 'INCORRECT_PARAMETERS', message: 'INCORRECT_PARAMETERS' } },
      { id: 3, result: process.pid },
    ]);
  });

  test("a bad request reusing an open stream's id is refused; the stream stays counted and cancellable", async () => {
    await using served = await serve();
    await using raw = await rawConnect(served.path);
    raw.socket.write(hello());
    raw.socket.write(encodeFrame({ id: 1, method: 'supctl.tail', params: ['web', { follow: true }] }));
    await waitFor(() => served.fake.tails === 1, { what: 'the tail to open' });
    raw.socket.write(encodeFrame({ id: 1, params: [] }));
    raw.socket.write(encodeFrame({ method: 'supctl.cancel', params: { stream: 1 } }));
    await waitFor(() => served.fake.tails === 0, { what: 'the cancel to end the tail' });
    expect(framesAfterPreamble(raw.received())).toContainEqual({
      id: 1,
      error: { code: -32600, name: 'INVALID_REQUEST', message: 'request id 1 is already in use' },
    });
  });

  test('random junk after a good handshake never takes the server down', async () => {
    await using served = await serve({ maxFrameBytes: 4096 });
    for (let i = 0; i < 30; i++) {
      await using raw = await rawConnect(served.path);
      raw.socket.write(hello());
      const junk = Buffer.alloc(64 + i * 13);
      for (let j = 0; j < junk.length; j++) junk[j] = (j * 7919 + i * 104729) & 0xff;
      raw.socket.write(junk);
      raw.socket.end();
      await raw.closed;
    }
    const client = await served.connect();
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
    await waitFor(() => served.server.connectionCount === 1, { what: 'only the good connection left' });
  });
});

describe('client lifecycle', () => {
  test('calls after close reject with CLOSED; close is idempotent', async () => {
    await using served = await serve();
    const client = await served.connect();
    const events = client.subscribe();
    await client.close();
    await client.close();
    expect(client.state).toBe('closed');
    expect(await rejection(client.call('supervisor.getState'))).toMatchObject({ code: 'CLOSED' });
    expect(await events.next()).toEqual({ value: undefined, done: true });
  });

  test('without reconnect, a server going away fails calls and streams with CONNECTION_LOST/SERVER_CLOSING', async () => {
    const served = await serve();
    const client = await served.connect();
    const events = client.subscribe();
    await client.call('supervisor.getState');
    await served.server.close();
    const error = await rejection(events.next());
    expect(error).toBeInstanceOf(RpcProtocolError);
    expect((error as RpcProtocolError).code).toMatch(/^(SERVER_CLOSING|CONNECTION_LOST)$/);
    expect(client.state).toBe('closed');
    // Its own shutdown is no client's failure: nothing for supd's main log at WARN.
    expect(served.warnings).toEqual([]);
    await served[Symbol.asyncDispose]();
  });

  test('reconnects with backoff when asked; calls made meanwhile wait', async () => {
    await using dir = makeTempDir('rpc-');
    const path = join(dir.path, 'r.sock');
    const fake = makeFakeApi();
    let server = createRpcServer({ api: fake.api });
    await server.listen({ path });
    const states: string[] = [];
    await using client = await connect(`unix://${path}`, {
      reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
      onStateChange: (state) => states.push(state),
    });
    const events = client.subscribe();
    await server.close();
    expect(await rejection(events.next())).toBeInstanceOf(RpcProtocolError);
    await waitFor(() => client.state === 'reconnecting', { what: 'reconnecting' });
    const waiting = client.call('supervisor.getState');
    server = createRpcServer({ api: fake.api });
    await server.listen({ path });
    expect(await waiting).toMatchObject({ statename: 'RUNNING' });
    expect(states).toEqual(['reconnecting', 'open']);
    await client.close();
    await server.close();
  });

  test('reconnect gives up after maxAttempts: waiting calls fail with CONNECTION_LOST, the socket error as cause', async () => {
    await using dir = makeTempDir('rpc-');
    const path = join(dir.path, 'g.sock');
    const server = createRpcServer({ api: makeFakeApi().api });
    await server.listen({ path });
    let waiting: Promise<Error> | undefined;
    let closedWith: Error | undefined;
    await using client = await connect(`unix://${path}`, {
      reconnect: { initialDelayMs: 1, maxAttempts: 3 },
      onStateChange: (state, error) => {
        if (state === 'reconnecting') waiting = rejection(client.call('supervisor.getState'));
        if (state === 'closed') closedWith = error;
      },
    });
    await server.close();
    await waitFor(() => client.state === 'closed', { what: 'the client to give up' });
    const error = await waiting;
    expect(error).toBeInstanceOf(RpcProtocolError);
    expect(error).toMatchObject({ code: 'CONNECTION_LOST', cause: { code: 'ENOENT' } });
    expect(error?.message).toBe(
      `connection to unix://${path} lost; gave up reconnecting after 3 attempts: connect ENOENT ${path}`,
    );
    expect(closedWith).toBe(error);
    expect(await rejection(client.call('supervisor.getState'))).toMatchObject({ code: 'CLOSED' });
  });

  test('close() while a reconnect handshake hangs abandons it: no socket or timer is left behind', async () => {
    await using dir = makeTempDir('rpc-');
    const path = join(dir.path, 'k.sock');
    const rpc = createRpcServer({ api: makeFakeApi().api });
    const accepted: Socket[] = [];
    // The first connection is served; later ones are accepted and never answered (a hung peer).
    const listener = createServer((socket) => {
      accepted.push(socket);
      socket.on('error', () => {});
      if (accepted.length === 1) rpc.handleConnection(socket);
      else socket.resume(); // read and drop, so that the client's close is seen
    });
    await new Promise<void>((resolve) => listener.listen(path, resolve));
    const client = await connect(`unix://${path}`, {
      reconnect: { initialDelayMs: 1 },
      connectTimeoutMs: 60_000,
    });
    accepted[0]?.destroy();
    await waitFor(() => accepted.length === 2, { what: 'the reconnect attempt' });
    const hung = accepted[1]!;
    const hungClosed = new Promise<void>((resolve) => hung.once('close', () => resolve()));
    await client.close();
    expect(client.state).toBe('closed');
    await hungClosed;
    expect(accepted).toHaveLength(2);
    await rpc.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  test('close() from onStateChange as reconnecting begins leaves no backoff timer behind', async () => {
    await using served = await serve();
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    let closed: Promise<void> | undefined;
    const client = await connect(served.url, {
      reconnect: { initialDelayMs: 60_000 },
      heartbeatMs: 0,
      onStateChange: (state) => {
        if (state === 'reconnecting') closed = client.close();
      },
    });
    const before = timers();
    await served.server.close();
    await waitFor(() => closed !== undefined, { what: 'the reconnecting state' });
    await closed;
    expect(client.state).toBe('closed');
    expect(timers()).toBeLessThanOrEqual(before);
  });

  test('heartbeats: a server that stops answering is detected', async () => {
    await using dir = makeTempDir('rpc-');
    const path = join(dir.path, 'h.sock');
    const rpc = createRpcServer({ api: makeFakeApi().api });
    let silent = false;
    const listener = createServer((socket) => {
      // Forward to the real server until told to go silent (a hung peer).
      const originalWrite = socket.write.bind(socket);
      socket.write = ((chunk: never, ...rest: never[]) =>
        silent ? true : originalWrite(chunk, ...rest)) as never;
      rpc.handleConnection(socket);
    });
    await new Promise<void>((resolve) => listener.listen(path, resolve));
    await using client = await connect(`unix://${path}`, { heartbeatMs: 20 });
    expect(await client.call('supervisor.getState')).toMatchObject({ statename: 'RUNNING' });
    silent = true;
    const error = await rejection(client.call('supervisor.getState'));
    expect(error).toMatchObject({ code: 'HEARTBEAT_TIMEOUT' });
    await rpc.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  // A client that goes silent after its hello is dropped after three intervals: its own, or the
  // server's minimum when it asks for less.
  test.each([
    [10, 10, 'no frame from the client for 30 ms'],
    [1, 100, 'no frame from the client for 300 ms'],
  ])(
    'a silent client (heartbeatMs %i, server minimum %i) is dropped: %s',
    async (heartbeatMs, minHeartbeatMs, message) => {
      await using served = await serve({ minHeartbeatMs });
      await using raw = await rawConnect(served.path);
      raw.socket.write(hello({ heartbeatMs }));
      await raw.closed;
      const frames = framesAfterPreamble(raw.received());
      expect(frames.at(-1)).toMatchObject({
        method: 'supctl.error',
        params: { name: 'HEARTBEAT_TIMEOUT', message },
      });
    },
  );

  test('await using closes client and server', async () => {
    await using dir = makeTempDir('rpc-');
    const path = join(dir.path, 'd.sock');
    let clientRef: { state: string } | undefined;
    {
      await using server = createRpcServer({ api: makeFakeApi().api });
      await server.listen({ path });
      await using client = await connect(`unix://${path}`);
      clientRef = client;
    }
    expect(clientRef?.state).toBe('closed');
  });
});

describe('a client that does not read its answers', () => {
  // A server on a socket of our own, so the test can see the server's end of the connection.
  async function serveRaw(overrides: Parameters<typeof makeFakeApi>[0]) {
    const dir = makeTempDir('rpc-');
    const path = join(dir.path, 's.sock');
    const rpc = createRpcServer({ api: makeFakeApi(overrides).api });
    let accepted: Socket | undefined;
    const listener = createServer((socket) => {
      accepted = socket;
      rpc.handleConnection(socket);
    });
    await new Promise<void>((resolve) => listener.listen(path, resolve));
    return {
      path,
      server: () => accepted,
      async [Symbol.asyncDispose]() {
        await rpc.close();
        await new Promise((resolve) => listener.close(resolve));
        await dir.close();
      },
    };
  }

  // Counts the frames of a raw connection as they arrive, without keeping them.
  function countFrames(socket: Socket): { count(): number } {
    const decoder = new FrameDecoder({ maxFrameBytes: 1 << 24 });
    let preamble = 8;
    let count = 0;
    socket.removeAllListeners('data');
    socket.on('data', (chunk: Buffer) => {
      const skip = Math.min(preamble, chunk.length);
      preamble -= skip;
      decoder.feed(chunk.subarray(skip), () => count++);
    });
    return { count: () => count };
  }

  test('a stream paused and cancelled in frames held behind a full socket ends once it drains', async () => {
    // One item larger than the socket's buffers: the pump waits for a drain the test controls.
    let pulled = 0;
    let ended = false;
    await using served = await serveRaw({
      'supctl.tail': async function* (): AsyncGenerator<LogChunk> {
        try {
          for (;;) yield { data: 'x'.repeat(8 << 20), offset: ++pulled };
        } finally {
          ended = true;
        }
      },
    });
    await using raw = await rawConnect(served.path);
    raw.socket.pause();
    raw.socket.write(
      Buffer.concat([hello(), encodeFrame({ id: 1, method: 'supctl.tail', params: ['web', {}] })]),
    );
    await waitFor(() => pulled === 1 && served.server()?.writableNeedDrain, { what: 'the pump to wait' });
    // Both are held until the answers drain, then handled in the drain's turn, after the pump's
    // own wait ended: it must not then wait for a resume on a stream already cancelled.
    raw.socket.write(
      Buffer.concat([
        encodeFrame({ method: 'supctl.pause', params: { stream: 1 } }),
        encodeFrame({ method: 'supctl.cancel', params: { stream: 1 } }),
      ]),
    );
    await waitFor(() => served.server()?.isPaused(), { what: 'the server to hold them' });
    const decoder = new FrameDecoder({ maxFrameBytes: 1 << 24 });
    const answers: Record<string, unknown>[] = [];
    let preamble = 8;
    raw.socket.removeAllListeners('data');
    raw.socket.on('data', (chunk: Buffer) => {
      const skip = Math.min(preamble, chunk.length);
      preamble -= skip;
      for (const frame of decoder.push(chunk.subarray(skip))) if ('id' in frame) answers.push(frame);
    });
    raw.socket.resume();
    await waitFor(() => ended, { what: 'the stream to end on the server' });
    await waitFor(() => answers.some((frame) => frame.id === 1), { what: "the stream's final answer" });
    expect(answers.at(-1)).toEqual({ id: 1, result: true });
    expect(pulled).toBe(1);
  });

  test('calls sent behind answers the client does not take are not read until it does', async () => {
    const total = 200;
    let handled = 0;
    const big = 'x'.repeat(1 << 18);
    await using served = await serveRaw({
      'supervisor.readLog': () => {
        handled++;
        return big;
      },
    });
    await using raw = await rawConnect(served.path);
    raw.socket.pause();
    const calls = Array.from({ length: total }, (_, k) =>
      encodeFrame({ id: k + 1, method: 'supervisor.readLog', params: [0, 0] }),
    );
    raw.socket.write(Buffer.concat([hello(), ...calls]));
    await waitFor(() => served.server()?.isPaused(), { what: 'the server to stop reading' });
    // 50 MiB of answers were not all queued in memory.
    expect(handled).toBeLessThan(total);
    const frames = countFrames(raw.socket);
    raw.socket.resume();
    await waitFor(() => frames.count() === total + 1, { timeoutMs: 20_000, what: 'every answer' });
    expect(handled).toBe(total);
  });

  test('at most 1024 calls are pending on one connection; the rest are read as they finish', async () => {
    // Each call 1 KiB, so what waits behind the pending ones passes the 1 MiB the server holds.
    const total = 3000;
    const name = 'w'.repeat(1024);
    const pending: (() => void)[] = [];
    let most = 0;
    await using served = await serveRaw({
      'supervisor.startProcess': () =>
        new Promise<boolean>((resolve) => {
          pending.push(() => resolve(true));
          most = Math.max(most, pending.length);
        }),
    });
    await using raw = await rawConnect(served.path);
    const frames = countFrames(raw.socket);
    const calls = Array.from({ length: total }, (_, k) =>
      encodeFrame({ id: k + 1, method: 'supervisor.startProcess', params: [name] }),
    );
    raw.socket.write(Buffer.concat([hello(), ...calls]));
    await waitFor(() => served.server()?.isPaused(), { what: 'the server to stop reading' });
    expect(pending.length).toBe(1024);
    await waitFor(
      () => {
        for (const answer of pending.splice(0)) answer();
        return frames.count() === total + 1;
      },
      { timeoutMs: 20_000, what: 'every answer' },
    );
    expect(most).toBe(1024);
  });

  test('a client waiting on 1024 slow calls still has its heartbeats answered', async () => {
    const pending: (() => void)[] = [];
    await using served = await serveRaw({
      'supervisor.startProcess': () => new Promise<boolean>((resolve) => pending.push(() => resolve(true))),
    });
    await using raw = await rawConnect(served.path);
    const calls = Array.from({ length: 1100 }, (_, k) =>
      encodeFrame({ id: k + 1, method: 'supervisor.startProcess', params: ['web'] }),
    );
    raw.socket.write(Buffer.concat([hello(), ...calls]));
    await waitFor(() => pending.length === 1024, { what: '1024 calls pending' });
    raw.socket.write(encodeFrame({ id: 5000, method: 'supctl.ping', params: [] }));
    const answered = () => framesAfterPreamble(raw.received()).some((frame) => frame.id === 5000);
    await waitFor(answered, { what: 'the ping answered' });
    expect(framesAfterPreamble(raw.received()).find((frame) => frame.id === 5000)).toEqual({
      id: 5000,
      result: true,
    });
    // The calls held behind the pending ones still run, in turn.
    await waitFor(
      () => {
        for (const answer of pending.splice(0)) answer();
        return framesAfterPreamble(raw.received()).length === 1 + 1100 + 1;
      },
      { what: 'every answer' },
    );
  });

  test('before the hello is accepted, a frame above 64 KiB closes the connection; after it the limit is the usual one', async () => {
    await using served = await serve();
    await using raw = await rawConnect(served.path);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1 << 20);
    raw.socket.write(Buffer.concat([encodePreamble(), header]));
    await raw.closed;
    expect(served.warnings.at(-1)).toMatch(/FRAME_TOO_LARGE|exceeds the limit/);
    // A 1 MiB call right behind the hello, in the same write, is read with the raised limit.
    await using good = await rawConnect(served.path);
    const call = encodeFrame({ id: 1, method: 'supervisor.getPID', params: ['x'.repeat(1 << 20)] });
    good.socket.write(Buffer.concat([hello(), call]));
    await waitFor(() => good.received().length > 8 && framesAfterPreamble(good.received()).length === 2, {
      what: 'the answer to id 1',
    });
    expect(framesAfterPreamble(good.received())[1]).toMatchObject({
      id: 1,
      error: { name: 'INCORRECT_PARAMETERS' },
    });
  });
});
