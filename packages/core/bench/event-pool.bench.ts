// Event-listener pool figures for issue 4 (run: `cd /work/main && npx vitest bench --run --project
// @supctl/core bench/event-pool.bench.ts`): state changes through a pool of one real listener
// process (the `listen-events` fixture in bench mode), nothing lost, delivery latency.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { EventListenerPoolConfig } from '@supctl/config';
import type { SupervisorEvent } from '@supctl/events';
import { fixtureCommand, makeTempDir, shellQuote, waitFor } from '@supctl/test-utils';
import { bench, describe } from 'vitest';
import { Supervisor } from '../src/index.ts';
import { makeConfig, makeGroupConfig, makeProcessConfig } from '../test/make-config.ts';

const PY_LISTENER = fileURLToPath(new URL('../test/fixtures/childutils-listener.py', import.meta.url));
const HAVE_CHILDUTILS = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import supervisor.childutils'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// The listener programs: our node fixture, and a childutils listener as superlance writes them.
const LISTENERS = {
  node: (out: string) => fixtureCommand('listen-events', out, 'bench'),
  ...(HAVE_CHILDUTILS
    ? {
        'python childutils': (out: string) =>
          ['/usr/bin/python3', PY_LISTENER, out, 'bench'].map(shellQuote).join(' '),
      }
    : {}),
} as Record<string, (out: string) => string>;

const wallNow = (): number => performance.timeOrigin + performance.now();

function figure(what: string, value: string): void {
  process.stdout.write(`[figure] ${what}: ${value}\n`);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function listenerPool(dir: string, command: string, bufferSize: number): EventListenerPoolConfig {
  const listener = makeProcessConfig({
    name: 'bench',
    kind: 'eventlistener',
    command,
    startSecs: 0,
    stdout: { logfile: { kind: 'none' } },
    stderr: { logfile: { kind: 'file', path: join(dir, 'bench-stderr.log') } },
  });
  return {
    ...makeGroupConfig([listener], { name: 'bench', priority: -1 }),
    kind: 'eventlistener',
    events: ['PROCESS_STATE'],
    bufferSize,
    resultHandler: 'supervisor.dispatchers:default_handler',
  };
}

const opts = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };

describe.each(Object.entries(LISTENERS))('event listener pool, %s listener', (kind, listenerCommand) => {
  const rate = 10_000; // state changes per second
  const seconds = 3;
  const bufferSize = 1000;
  bench(
    `${rate} PROCESS_STATE events/s for ${seconds} s through a pool of one ${kind} listener (buffer_size=${bufferSize})`,
    async () => {
      await using dir = makeTempDir('supb-');
      const out = join(dir.path, 'received.txt');
      const errors: string[] = [];
      const sentAt = new Map<number, number>();
      const processedAt: number[] = []; // one listener, no rejection: in the order sent
      const config = makeConfig({ childlogdir: dir.path }, [
        listenerPool(dir.path, listenerCommand(out), bufferSize),
      ]);
      const supervisor = new Supervisor(config, {
        logger: {
          log(level, message) {
            if (level === 'error' || level === 'warn') errors.push(message);
            if (level !== 'debug') return;
            if (message.startsWith('event ')) {
              const serial = Number(message.slice(6, message.indexOf(' ', 6)));
              sentAt.set(serial, wallNow());
            } else if (message === 'bench: event was processed') {
              processedAt.push(wallNow());
            }
          },
        },
      });
      await supervisor.start();
      const pool = supervisor.getPool('bench');
      const listener = supervisor.getProcess('bench');
      // The listener's own STARTING and RUNNING are delivered first; wait until it has taken them.
      await waitFor(() => pool.size === 0 && pool.channel(listener)?.state === 'READY', {
        timeoutMs: 10_000,
        what: 'the listener READY with an empty buffer',
      });

      const total = rate * seconds;
      const notifiedAt: number[] = [];
      let firstSerial = -1;
      let maxBuffered = 0;
      const start = performance.now();
      // Paced: each turn of the event loop notifies as many events as are due by now.
      while (notifiedAt.length < total) {
        const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
        while (notifiedAt.length < due) {
          const i = notifiedAt.length;
          const event: SupervisorEvent = {
            type: i % 2 === 0 ? 'PROCESS_STATE_RUNNING' : 'PROCESS_STATE_STOPPING',
            processName: `p${i % 100}`,
            groupName: `p${i % 100}`,
            fromState: i % 2 === 0 ? 'STARTING' : 'RUNNING',
            pid: 10_000 + i,
          };
          notifiedAt.push(wallNow());
          supervisor.notify(event);
          if (firstSerial === -1) firstSerial = pool.buffer.at(-1)!.serial;
        }
        maxBuffered = Math.max(maxBuffered, pool.size);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const injectMs = performance.now() - start;
      const processedBefore = processedAt.length - total;
      const lastSerial = firstSerial + total - 1;
      await waitFor(() => sentAt.has(lastSerial) && pool.channel(listener)?.state === 'READY', {
        timeoutMs: 30_000,
        what: 'the last event processed',
      });
      const drainMs = performance.now() - start;
      await supervisor.close();

      const received = readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ').map(Number) as [number, number]);
      const mine = received.filter(([serial]) => serial >= firstSerial);
      const serials = mine.map(([serial]) => serial);
      const lost = total - new Set(serials).size;
      const inOrder = serials.every((s, i) => s === firstSerial + i);
      const latency = mine
        .map(([serial, at]) => at - notifiedAt[serial - firstSerial]!)
        .sort((a, b) => a - b);
      const toSend = [...sentAt]
        .filter(([serial]) => serial >= firstSerial)
        .map(([serial, at]) => at - notifiedAt[serial - firstSerial]!)
        .sort((a, b) => a - b);
      const roundTrip = processedAt
        .slice(Math.max(0, processedBefore))
        .map((at, i) => at - notifiedAt[i]!)
        .sort((a, b) => a - b);
      figure(
        'events notified',
        `${total} in ${injectMs.toFixed(0)} ms (${((total / injectMs) * 1000).toFixed(0)}/s)`,
      );
      figure('all processed after', `${drainMs.toFixed(0)} ms (${((total / drainMs) * 1000).toFixed(0)}/s)`);
      figure(
        'lost / duplicated / out of order',
        `${lost} / ${mine.length - new Set(serials).size} / ${inOrder ? 0 : 'some'}`,
      );
      figure('overflow or warn lines', String(errors.length));
      figure('max events buffered', `${maxBuffered} of ${bufferSize}`);
      figure(
        'latency notify → listener read (median / p90 / p99 / max)',
        [0.5, 0.9, 0.99, 1].map((q) => `${quantile(latency, q).toFixed(3)} ms`).join(' / '),
      );
      figure(
        'notify → RESULT back, same clock (median / p99)',
        [0.5, 0.99].map((q) => `${quantile(roundTrip, q).toFixed(3)} ms`).join(' / '),
      );
      figure(
        'latency notify → envelope written (median / p99)',
        [0.5, 0.99].map((q) => `${quantile(toSend, q).toFixed(3)} ms`).join(' / '),
      );
      figure('nothing lost', lost === 0 && inOrder && errors.length === 0 ? 'yes' : `NO (${errors[0]})`);
    },
    opts,
  );

  bench(
    `real state changes: 5 programs (sleep 0.2) exiting and restarting, through a pool of one ${kind} listener`,
    async () => {
      await using dir = makeTempDir('supb-');
      const out = join(dir.path, 'received.txt');
      const programs = Array.from({ length: 5 }, (_, i) =>
        makeGroupConfig([
          makeProcessConfig({
            name: `r${i}`,
            command: 'sleep 0.2',
            startSecs: 0,
            autorestart: true,
            stdout: { logfile: { kind: 'none' } },
            stderr: { logfile: { kind: 'none' } },
          }),
        ]),
      );
      const emittedAt = new Map<number, number>();
      const supervisor = new Supervisor(
        makeConfig({ childlogdir: dir.path }, [
          listenerPool(dir.path, listenerCommand(out), 10_000),
          ...programs,
        ]),
      );
      // The only pool takes exactly the PROCESS_STATE events, so their serials are 0, 1, 2, …
      let changes = 0;
      supervisor.subscribe((event) => {
        if (!event.type.startsWith('PROCESS_STATE_')) return;
        emittedAt.set(changes, wallNow());
        changes += 1;
      });
      const start = performance.now();
      await supervisor.start();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await supervisor.close();
      const elapsed = performance.now() - start;
      const received = readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ').map(Number) as [number, number]);
      const latency = received
        .filter(([serial]) => emittedAt.has(serial))
        .map(([serial, at]) => at - emittedAt.get(serial)!)
        .sort((a, b) => a - b);
      figure(
        'real state changes',
        `${changes} in ${elapsed.toFixed(0)} ms (${((changes / elapsed) * 1000).toFixed(0)}/s)`,
      );
      figure('delivered before shutdown', `${received.length} (serials seen ${emittedAt.size})`);
      figure(
        'latency state change → listener read (median / p90 / p99)',
        [0.5, 0.9, 0.99].map((q) => `${quantile(latency, q).toFixed(3)} ms`).join(' / '),
      );
    },
    opts,
  );
});
