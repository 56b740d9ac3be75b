// supctl.tail against a real supd: the offsets it reports, how it decodes and splits the log.

import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type LogChunk, type RpcStream } from '@supctl/rpc';
import { makeTempDir, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { BASE_CONF, runE2e, startSupd, waitForLog } from './helpers.ts';

// `cat` echoes what the test sends to its stdin, so the test decides when the log grows.
function writeConfig(dir: string, programs: string): string {
  const file = join(dir, 'sd.conf');
  writeFileSync(file, `${BASE_CONF}${programs}`);
  return file;
}

// supd on `programs` in `dir`, once each of `names` is RUNNING; disposing stops it.
async function supdWith(dir: string, programs: string, names: readonly string[]) {
  const supd = startSupd(['-n', '-c', writeConfig(dir, programs)], dir);
  try {
    for (const name of names) {
      await waitForLog(join(dir, 'sd.log'), new RegExp(`success: ${name} entered RUNNING state`));
    }
  } catch (error) {
    await supd[Symbol.asyncDispose]();
    throw error;
  }
  return { url: `unix://${join(dir, 's.sock')}`, [Symbol.asyncDispose]: () => supd[Symbol.asyncDispose]() };
}

// Collects a stream's items in the background; `text()` is everything received so far.
function collect(stream: RpcStream<LogChunk>) {
  const chunks: LogChunk[] = [];
  const done = (async () => {
    for await (const chunk of stream) chunks.push(chunk);
  })();
  return { chunks, done, text: () => chunks.map((c) => c.data).join('') };
}

async function all(stream: RpcStream<LogChunk>): Promise<LogChunk[]> {
  const chunks: LogChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe.runIf(runE2e)('supctl.tail', () => {
  test('no log file is NO_FILE, as readProcessStdoutLog says it: None without one, the path when it is gone', async () => {
    await using dir = makeTempDir();
    await using supd = await supdWith(
      dir.path,
      '[program:quiet]\ncommand=sleep 300\nstartsecs=0\nstdout_logfile=NONE\n[program:gone]\ncommand=sleep 300\nstartsecs=0\nstdout_logfile=%(here)s/gone.log\n',
      ['quiet', 'gone'],
    );
    await using client = await connect(supd.url);
    const gone = join(dir.path, 'gone.log');
    rmSync(gone);
    const failure = async (name: string) => {
      try {
        await all(client.tail(name, { follow: false }));
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await failure('quiet')).toBe('NO_FILE: None');
    expect(await failure('gone')).toBe(`NO_FILE: ${gone}`);
  });

  test('a followed tail’s offset is the current file’s size after the chunk, across rotation and clear', async () => {
    await using dir = makeTempDir();
    await using supd = await supdWith(
      dir.path,
      '[program:cat]\ncommand=cat\nstartsecs=0\nstdout_logfile=%(here)s/cat.log\nstdout_logfile_maxbytes=2000\nstdout_logfile_backups=2\n',
      ['cat'],
    );
    await using client = await connect(supd.url);
    const logfile = join(dir.path, 'cat.log');
    await using tail = client.tail('cat', { offset: -100 });
    const seen = collect(tail);
    let sent = '';
    // 50-byte lines: the 40th brings the file to 2000 bytes and rotates it, the 60th stops at 1000.
    const offsets: number[] = [];
    for (let i = 1; i <= 60; i++) {
      const line = `line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}\n`;
      sent += line;
      await client.call('supervisor.sendProcessStdin', 'cat', line);
      await waitFor(() => seen.text() === sent, { what: `line ${i} in the tail` });
      const offset = seen.chunks.at(-1)!.offset;
      expect(offset).toBe(statSync(logfile).size);
      offsets.push(offset);
    }
    expect(offsets[38]).toBe(1950);
    expect(offsets[39]).toBe(0);
    expect(offsets[59]).toBe(1000);
    expect(statSync(`${logfile}.1`).size).toBe(2000);

    // After a clear the file starts again at 0, and so does the offset.
    expect(await client.call('supervisor.clearProcessLogs', 'cat')).toBe(true);
    sent += 'after clear\n';
    await client.call('supervisor.sendProcessStdin', 'cat', 'after clear\n');
    await waitFor(() => seen.text() === sent, { what: 'the line after the clear' });
    expect(seen.chunks.at(-1)!.offset).toBe(12);
    expect(statSync(logfile).size).toBe(12);

    // Resuming from the last offset finds nothing missed and nothing repeated.
    const rest: LogChunk[] = [];
    for await (const chunk of client.tail('cat', { offset: 12, follow: false })) rest.push(chunk);
    expect(rest).toEqual([]);
    await client.call('supervisor.sendProcessStdin', 'cat', 'more\n');
    await waitFor(() => statSync(logfile).size === 17, { what: 'more in the log' });
    for await (const chunk of client.tail('cat', { offset: 12, follow: false })) rest.push(chunk);
    expect(rest).toEqual([{ data: 'more\n', offset: 17 }]);
  });

  test('chunks never split a character, and their offsets count the bytes whose text was sent', async () => {
    await using dir = makeTempDir();
    // Writes 'é€😀\n' (2, 3 and 4 bytes, then 1) one byte per write, every 30 ms.
    const script = join(dir.path, 'bytes.mjs');
    writeFileSync(
      script,
      "const b = Buffer.from('é€😀\\n'); let i = 0;\nsetInterval(() => process.stdout.write(b.subarray(i % b.length, (i++ % b.length) + 1)), 30);\n",
    );
    await using supd = await supdWith(
      dir.path,
      `[program:bytes]\ncommand=${process.execPath} ${script}\nstartsecs=0\nstdout_logfile=%(here)s/bytes.log\n`,
      ['bytes'],
    );
    await using client = await connect(supd.url);
    const logfile = join(dir.path, 'bytes.log');
    await using tail = client.tail('bytes', { offset: -1 });
    const seen = collect(tail);
    await waitFor(() => seen.text().split('\n').length > 4, { timeoutMs: 10_000, what: 'four lines' });
    await tail.cancel();
    await seen.done;
    const log = readFileSync(logfile);
    expect(log.toString('utf8')).not.toContain('\uFFFD');
    let previous: number | undefined;
    for (const chunk of seen.chunks) {
      expect(chunk.data).not.toContain('\uFFFD');
      const start = chunk.offset - Buffer.byteLength(chunk.data);
      if (previous !== undefined) expect(start).toBe(previous);
      expect(log.subarray(start, chunk.offset).toString('utf8')).toBe(chunk.data);
      previous = chunk.offset;
    }

    // A first read that starts or ends inside a character takes whole characters only: it
    // starts at the character's first byte, and a character not yet complete waits.
    const size = log.length;
    for (let back = 1; back <= 10; back++) {
      const [first, ...more] = await all(client.tail('bytes', { offset: size - back, follow: false }));
      expect(more).toEqual([]);
      if (first === undefined) continue;
      expect(first.data).not.toContain('\uFFFD');
      const start = first.offset - Buffer.byteLength(first.data);
      expect(start).toBeLessThanOrEqual(size - back);
      expect(readFileSync(logfile).subarray(start, first.offset).toString('utf8')).toBe(first.data);
    }
  });

  test('a client with a small frame limit gets the log in chunks that fit', async () => {
    await using dir = makeTempDir();
    await using supd = await supdWith(
      dir.path,
      `[program:cat]\ncommand=cat\nstartsecs=0\nstdout_logfile=%(here)s/cat.log\n[program:big]\ncommand=sh -c 'head -c 6000000 /dev/zero; exec sleep 300'\nstartsecs=0\nstdout_logfile=%(here)s/big.log\n`,
      ['cat'],
    );
    await using client = await connect(supd.url);
    const logfile = join(dir.path, 'cat.log');
    // 2000 bytes of 1- to 4-byte characters, so chunk edges fall inside characters.
    const text = 'é€😀\n'.repeat(200);
    await client.call('supervisor.sendProcessStdin', 'cat', text);
    await waitFor(() => statSync(logfile).size === 2000, { what: 'the log at 2000 bytes' });

    await using small = await connect(supd.url, { maxFrameBytes: 600 });
    const chunks = await all(small.tail('cat', { offset: 0, follow: false }));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.data).join('')).toBe(text);
    let previous = 0;
    for (const chunk of chunks) {
      expect(chunk.offset - Buffer.byteLength(chunk.data)).toBe(previous);
      previous = chunk.offset;
    }
    expect(previous).toBe(2000);

    // Followed output is split the same way: 3000 bytes that cat writes at once.
    await using followed = small.tail('cat', { offset: 2000 });
    const seen = collect(followed);
    const more = `${'x'.repeat(2999)}\n`;
    await client.call('supervisor.sendProcessStdin', 'cat', more);
    await waitFor(() => seen.text() === more, { what: '3000 more bytes in the tail' });
    expect(seen.chunks.length).toBeGreaterThan(1);
    expect(seen.chunks.at(-1)!.offset).toBe(5000);

    // A first read of thousands of chunks loses none (they are read as the client takes them).
    const big = join(dir.path, 'big.log');
    await waitFor(() => statSync(big).size === 6_000_000, { what: 'big.log at 6 MB' });
    let bytes = 0;
    let last = 0;
    for await (const chunk of small.tail('big', { offset: 0, follow: false })) {
      bytes += chunk.data.length;
      last = chunk.offset;
    }
    expect([bytes, last]).toEqual([6_000_000, 6_000_000]);
  });
});
