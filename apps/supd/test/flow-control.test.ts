// A client that stops reading its streams: the client pauses them (rpc flow control), and supd
// holds a bounded amount of what they produce meanwhile, dropping the oldest, while the program's
// log file keeps every byte.

import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type LogChunk } from '@supctl/rpc';
import { makeTempDir, waitFor } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { BASE_CONF, runE2e, startSupd, waitForLog } from './helpers.ts';

const MIB = 1024 * 1024;
const WRITTEN = 64 * MIB;

test.runIf(runE2e)(
  'a paused subscription and a paused tail cost supd bounded memory; the newest output still arrives',
  async () => {
    await using dir = makeTempDir();
    // 64 MiB of 1,000-byte lines once told to (a line on stdin), then END.
    const noisy = `sh -c 'read go; head -c ${WRITTEN} /dev/zero | tr "\\\\0" x | fold -w 999; echo END; exec sleep 300'`;
    const conf = join(dir.path, 'sd.conf');
    writeFileSync(
      conf,
      `${BASE_CONF}[program:noisy]\ncommand=${noisy}\nstartsecs=0\nstdout_events_enabled=true\nstdout_logfile=%(here)s/noisy.log\nstdout_logfile_maxbytes=0\n`,
    );
    await using _supd = startSupd(['-n', '-c', conf], dir.path);
    await waitForLog(join(dir.path, 'sd.log'), /success: noisy entered RUNNING state/);
    await using client = await connect(`unix://${join(dir.path, 's.sock')}`);

    const events = client.subscribe(
      { types: ['PROCESS_LOG_STDOUT'], processes: ['noisy'] },
      { highWaterMark: 1 },
    );
    const tail = client.tail('noisy', { offset: 0, highWaterMark: 1 });
    // The same events read as they come, counting any this reader too was told it missed.
    const emitted = (async () => {
      let count = 0;
      for await (const event of client.subscribe({ types: ['PROCESS_LOG_STDOUT'], processes: ['noisy'] })) {
        if (event.type === 'EVENTS_DROPPED') {
          count += event.dropped;
          continue;
        }
        count++;
        if (event.data.endsWith('END\n')) return count;
      }
      throw new Error('the subscription ended before END');
    })();
    emitted.catch(() => {}); // awaited below; a failure before that is not unhandled
    await client.call('supervisor.sendProcessStdin', 'noisy', 'go\n');
    const logfile = join(dir.path, 'noisy.log');
    const expectedSize = WRITTEN + WRITTEN / 999 + 'END\n'.length;
    await waitFor(() => statSync(logfile).size >= Math.floor(expectedSize), {
      timeoutMs: 60_000,
      what: 'the program to write its 64 MiB',
    });
    // Every call still answered while both streams wait.
    expect((await client.call('supervisor.getProcessInfo', 'noisy')).statename).toBe('RUNNING');

    // Read until END: what arrives is far less than was written (the oldest were dropped while
    // paused), and ends with the newest output. Where events were dropped the stream says how many:
    // what each reader got plus what it was told it missed is what was emitted, so the paused
    // reader's sum equals that of the reader alongside (which may miss a few itself).
    let eventBytes = 0;
    let lastEvent = '';
    let received = 0;
    const drops: number[] = [];
    for await (const event of events) {
      if (event.type === 'EVENTS_DROPPED') {
        drops.push(event.dropped);
        continue;
      }
      received++;
      eventBytes += event.data.length;
      lastEvent = event.data;
      if (lastEvent.endsWith('END\n')) break;
    }
    expect(drops.length).toBeGreaterThan(0);
    expect(received + drops.reduce((a, b) => a + b, 0)).toBe(await emitted);
    let tailBytes = 0;
    let gaps = 0;
    let previous = 0;
    let lastChunk: LogChunk | undefined;
    for await (const chunk of tail) {
      tailBytes += chunk.data.length;
      if (chunk.offset - Buffer.byteLength(chunk.data) !== previous) gaps++;
      previous = chunk.offset;
      lastChunk = chunk;
      if (chunk.data.endsWith('END\n')) break;
    }
    expect(eventBytes).toBeLessThan(16 * MIB);
    expect(tailBytes).toBeLessThan(32 * MIB);
    // The tail's offsets show where output was skipped; the file has all of it.
    expect(gaps).toBeGreaterThan(0);
    expect(lastChunk!.offset).toBe(statSync(logfile).size);
    expect(statSync(logfile).size).toBe(Math.floor(expectedSize));
  },
);
