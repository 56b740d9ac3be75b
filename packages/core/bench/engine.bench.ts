// Engine figures for the table (run: `cd /work/main && npx vitest bench --run --project @supctl/core`).
// Each bench is one scenario with real children; `iterations` is small because every run
// spawns hundreds of processes.
import { readdirSync, statSync } from 'node:fs';
import { fixtureCommand, makeTempDir, waitFor } from '@supctl/test-utils';
import { bench, describe } from 'vitest';
import { Supervisor } from '../src/index.ts';
import { makeConfig, makeGroupConfig, makeProcessConfig } from '../test/make-config.ts';

// Every scenario prints its own timing (the bench harness also times setup and teardown).
function report(what: string, ms: number): void {
  process.stdout.write(`[figure] ${what}: ${ms.toFixed(1)} ms\n`);
}

const opts = { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 };

function sleepers(n: number, dir: string) {
  const groups = Array.from({ length: n }, (_, i) =>
    makeGroupConfig([
      makeProcessConfig({
        name: `p${String(i).padStart(4, '0')}`,
        command: 'sleep 1000',
        startSecs: 0,
        autostart: false,
        stdout: { logfile: { kind: 'none' } },
        stderr: { logfile: { kind: 'none' } },
      }),
    ]),
  );
  return makeConfig({ childlogdir: dir }, groups);
}

describe('start all', () => {
  for (const n of [100, 1000]) {
    bench(
      `${n} programs (startsecs=0) from startAll to all RUNNING`,
      async () => {
        await using dir = makeTempDir();
        await using supervisor = new Supervisor(sleepers(n, dir.path));
        await supervisor.start();
        const t0 = performance.now();
        await supervisor.startAll({ wait: true });
        report(`startAll → all RUNNING, ${n} programs`, performance.now() - t0);
        const t1 = performance.now();
        await supervisor.shutdown();
        report(`shutdown (reverse priority, one group at a time), ${n} groups`, performance.now() - t1);
      },
      { iterations: n === 1000 ? 3 : 5, warmupIterations: 1, time: 0, warmupTime: 0 },
    );
  }
});

describe('stop all', () => {
  bench(
    'stop all of 100 programs that exit on SIGTERM (see stdout)',
    async () => {
      await using dir = makeTempDir();
      await using supervisor = new Supervisor(sleepers(100, dir.path));
      await supervisor.start();
      await supervisor.startAll({ wait: true });
      const t0 = performance.now();
      await supervisor.stopAll({ wait: true });
      report('stopAll, 100 programs', performance.now() - t0);
    },
    opts,
  );
});

describe('restart after SIGKILL', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let supervisor: Supervisor;
  bench(
    'SIGKILL of a RUNNING child (autorestart=true, startsecs=0) to the new child RUNNING',
    async () => {
      const p = supervisor.getProcess('victim');
      const old = p.pid;
      const running = new Promise<void>((resolve) => {
        const off = supervisor.subscribe((e) => {
          if (e.type === 'PROCESS_STATE_RUNNING' && e.pid !== old) {
            off();
            resolve();
          }
        });
      });
      const t0 = performance.now();
      process.kill(old, 'SIGKILL');
      await running;
      report('SIGKILL → new child RUNNING', performance.now() - t0);
    },
    {
      iterations: 50,
      warmupIterations: 3,
      time: 0,
      warmupTime: 0,
      setup: async () => {
        dir = makeTempDir();
        supervisor = new Supervisor(
          makeConfig({ childlogdir: dir.path }, [
            makeGroupConfig([
              makeProcessConfig({ name: 'victim', command: 'sleep 1000', startSecs: 0, autorestart: true }),
            ]),
          ]),
        );
        await supervisor.start();
        await supervisor.getProcess('victim').waitForState((s) => s === 'RUNNING');
      },
      teardown: async () => {
        await supervisor.close();
        await dir.close();
      },
    },
  );
});

describe('log throughput', () => {
  const total = 200 * 1024 * 1024;
  for (const line of [100, 65_536]) {
    bench(
      `200 MB of child stdout in ${line}-byte writes to the log file, no byte lost`,
      async () => {
        await using dir = makeTempDir();
        await using supervisor = new Supervisor(
          makeConfig({ childlogdir: dir.path }, [
            makeGroupConfig([
              makeProcessConfig({
                name: 'flood',
                command: fixtureCommand('write-bytes', total, line),
                startSecs: 0,
                autorestart: false,
                autostart: false,
                stdout: { logfileMaxBytes: 0 },
              }),
            ]),
          ]),
        );
        await supervisor.start();
        const p = supervisor.getProcess('flood');
        const t0 = performance.now();
        await p.start();
        await p.waitForState((s) => s === 'EXITED');
        await waitFor(() => statSync(p.stdout.path!).size === total, { timeoutMs: 30_000, intervalMs: 1 });
        const ms = performance.now() - t0;
        report(`200 MB in ${line}-byte writes (${((total / 1048576 / ms) * 1000).toFixed(0)} MiB/s)`, ms);
        if (readdirSync(dir.path).length !== 2) throw new Error('unexpected files');
      },
      { iterations: 2, warmupIterations: 0, time: 0, warmupTime: 0 },
    );
  }
});

// Heap per managed process: printed, not timed.
describe('memory', () => {
  bench(
    'heap per managed process with 1,000 processes (see stdout)',
    async () => {
      await using dir = makeTempDir();
      globalThis.gc?.();
      const before = process.memoryUsage().heapUsed;
      await using supervisor = new Supervisor(sleepers(1000, dir.path));
      await supervisor.start();
      globalThis.gc?.();
      const after = process.memoryUsage().heapUsed;
      process.stdout.write(`heap per stopped process: ${((after - before) / 1000).toFixed(0)} B\n`);
      await supervisor.startAll({ wait: true });
      globalThis.gc?.();
      const running = process.memoryUsage().heapUsed;
      process.stdout.write(`heap per running process: ${((running - before) / 1000).toFixed(0)} B\n`);
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
