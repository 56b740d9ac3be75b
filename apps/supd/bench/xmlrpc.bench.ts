// Issue 6's targets: XML-RPC over HTTP/1.1 keep-alive on the unix socket, one client, sequential,
// 100 programs running; the built supd against Debian's supervisord in the same run (where it is
// installed). Targets: getAllProcessInfo ≥ 10× supervisord's calls/s, getState ≥ 5×.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { type Daemon, hasSupervisord, SUPD, startDaemon, stopDaemon, waitRunning } from './daemons.ts';

const PROGRAMS = 100;

/** A minimal XML-RPC client: one keep-alive HTTP/1.1 connection, one request at a time. */
class XmlRpcClient {
  private buffer = Buffer.alloc(0);
  private pending: ((body: string) => void) | null = null;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
  }

  static open(path: string): Promise<XmlRpcClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path, () => resolve(new XmlRpcClient(socket)));
      socket.once('error', reject);
    });
  }

  private drain(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.pending) return;
    const head = this.buffer.toString('latin1', 0, end);
    const at = head.indexOf('Content-Length: ') + 16;
    const stop = head.indexOf('\r', at);
    const length = Number(stop < 0 ? head.slice(at) : head.slice(at, stop));
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    const done = this.pending;
    this.pending = null;
    done(body);
  }

  call(method: string): Promise<string> {
    const body = `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n</params>\n</methodCall>\n`;
    return new Promise((resolve) => {
      this.pending = resolve;
      this.socket.write(
        `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nContent-Type: text/xml\r\nUser-Agent: Python-xmlrpc/3.11\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

const daemons: Daemon[] = [];
const clients = new Map<string, XmlRpcClient>();

beforeAll(async () => {
  const supd = startDaemon(SUPD, PROGRAMS);
  daemons.push(supd);
  await waitRunning(supd);
  clients.set('supd', await XmlRpcClient.open(supd.socket));
  if (hasSupervisord) {
    const sd = startDaemon(['supervisord'], PROGRAMS);
    daemons.push(sd);
    await waitRunning(sd);
    clients.set('supervisord', await XmlRpcClient.open(sd.socket));
  }
  // Sanity: both answer with 100 processes.
  for (const [name, client] of clients) {
    const all = await client.call('supervisor.getAllProcessInfo');
    const count = (all.match(/<name>pid<\/name>/g) ?? []).length;
    if (count !== PROGRAMS) throw new Error(`${name}: getAllProcessInfo returned ${count} processes`);
  }
}, 300_000);

// A tight loop without the bench harness around each call: calls/s and p50, as the issue quotes them.
async function measure(
  client: XmlRpcClient,
  method: string,
  ms: number,
): Promise<{ rate: number; p50: number }> {
  const times: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t = performance.now();
    await client.call(method);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  return { rate: (times.length / total) * 1000, p50: times[times.length >> 1] ?? Number.NaN };
}

afterAll(async () => {
  for (const method of ['supervisor.getAllProcessInfo', 'supervisor.getState']) {
    const rates = new Map<string, number>();
    for (const [name, client] of clients) {
      const { rate, p50 } = await measure(client, method, 3000);
      rates.set(name, rate);
      console.log(`[figure] ${name} ${method}: ${rate.toFixed(0)} calls/s, p50 ${p50.toFixed(3)} ms`);
    }
    const theirs = rates.get('supervisord');
    if (theirs)
      console.log(`[figure] ${method}: supd/supervisord = ${(rates.get('supd')! / theirs).toFixed(1)}×`);
  }
  for (const client of clients.values()) client.close();
  await Promise.all(daemons.map(stopDaemon));
});

for (const method of ['supervisor.getAllProcessInfo', 'supervisor.getState']) {
  describe(`XML-RPC ${method}, ${PROGRAMS} programs, one client, sequential`, () => {
    for (const name of hasSupervisord ? ['supd', 'supervisord'] : ['supd']) {
      bench(
        name,
        async () => {
          await clients.get(name)!.call(method);
        },
        { time: 3000 },
      );
    }
  });
}
