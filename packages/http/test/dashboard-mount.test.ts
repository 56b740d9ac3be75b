// The dashboard mounted on the HTTP layer over a real socket: its event streams keep to the
// client's pace.
import { connect, createServer, type Socket } from 'node:net';
import { type ApiImplementation, createDispatcher, type LogChunk } from '@supctl/rpc';
import { waitFor } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { createDashboard, createHttpHandler, mountDashboard } from '../src/index.ts';

test('a log tail over server-sent events reads no further while the client does not take it', async () => {
  const chunks = 400;
  const piece = 'x'.repeat(65_536);
  let server: Socket | undefined;
  // How much was still queued on the socket each time the dashboard asked for the next chunk.
  const queuedAtPull: number[] = [];
  let done = false;
  const api = {
    async *'supctl.tail'(): AsyncGenerator<LogChunk> {
      for (let k = 1; k <= chunks; k++) {
        queuedAtPull.push(server?.writableLength ?? 0);
        yield { data: piece, offset: k * piece.length };
      }
      done = true;
    },
  } as unknown as ApiImplementation;
  const handler = createHttpHandler({
    dispatcher: createDispatcher(api),
    web: mountDashboard(createDashboard({ api })),
  });
  const listener = createServer((socket) => {
    server = socket;
    socket.once('data', (chunk) => handler(socket, chunk));
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const client = connect((listener.address() as { port: number }).port, '127.0.0.1');
  client.on('error', () => {});
  client.pause();
  client.write('GET /dashboard/tail?processname=web&offset=0 HTTP/1.1\r\n\r\n');
  try {
    await waitFor(() => server?.writableNeedDrain, { what: 'a full socket' });
    let received = 0;
    client.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    client.resume();
    await waitFor(() => done, { timeoutMs: 20_000, what: 'the whole tail' });
    await waitFor(() => received > chunks * piece.length, { timeoutMs: 20_000, what: 'every event' });
    // Never more than one unsent event behind the one the client is reading: 26 MiB were not
    // queued in supd's memory while the client did not read.
    expect(Math.max(...queuedAtPull)).toBeLessThan((server as Socket).writableHighWaterMark);
  } finally {
    client.destroy();
    server?.destroy();
    await new Promise((resolve) => listener.close(resolve));
  }
});
