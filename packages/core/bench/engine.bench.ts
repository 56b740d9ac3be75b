// supctl's engine against Debian's supervisord 4.2.5, in the same run, on the same configs and
// the same child programs (run: `cd /work/main && npx vitest bench --run --project @supctl/core`).
// Each scenario prints its figures as it goes and the side-by-side table is printed at the end.
// Without /usr/bin/supervisord only our column is measured. Every process either engine
// reported spawning is killed by pid when its scenario ends.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from '@supctl/config';
import { makeTempDir } from '@supctl/test-utils';
import { afterAll, bench, describe } from 'vitest';
import { formatMainLogLine, RotatingFile, Supervisor } from '../src/index.ts';
import { baseIni, hasSupervisord, MainLogWatcher, programIni, SupervisordRun } from './supervisord-run.ts';
import { prepareWriter, type Writer } from './writer.ts';

const HAVE_SUPERVISORD = hasSupervisord();
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const rows: { scenario: string; theirs: string; ours: string; target: string }[] = [];

function say(text: string): void {
  process.stdout.write(`[figure] ${text}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** Our engine on `ini`, logging the main log as supd would (info and up, to a file). */
async function startOurs(
  dir: string,
  ini: string,
): Promise<{ supervisor: Supervisor; log: MainLogWatcher; close(): Promise<void> }> {
  const path = join(dir, 'supervisord.conf');
  const mainLog = new RotatingFile({ path: join(dir, 'supd.log') });
  const supervisor = new Supervisor(parse(ini, { path }), {
    logger: {
      log: (level, message) => {
        if (level !== 'debug' && level !== 'trace' && level !== 'blather') {
          mainLog.write(Buffer.from(formatMainLogLine(new Date(), level, message)));
        }
      },
    },
  });
  const log = new MainLogWatcher(join(dir, 'supd.log'));
  await supervisor.start();
  return {
    supervisor,
    log,
    async close() {
      await supervisor.close();
      mainLog.close();
      log.close();
      for (const pid of log.pids) {
        try {
          process.kill(pid, 0);
          throw new Error(`our child ${pid} survived close()`);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
      }
    },
  };
}

async function waitForSize(path: string, size: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    let now = -1;
    try {
      now = statSync(path).size;
    } catch {}
    if (now >= size) return;
    if (performance.now() > deadline)
      throw new Error(`${path}: ${now} of ${size} bytes after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

afterAll(() => {
  const width = [52, 30, 30];
  const line = (a: string, b: string, c: string, d: string): string =>
    `${a.padEnd(width[0]!)} ${b.padEnd(width[1]!)} ${c.padEnd(width[2]!)} ${d}\n`;
  let out = `\n${HAVE_SUPERVISORD ? 'supervisord 4.2.5 and supctl measured in the same run' : `${'/usr/bin/supervisord'} not found: ours only`}\n`;
  out += line('scenario', 'supervisord 4.2.5', 'supctl (ours)', 'target');
  for (const r of rows) out += line(r.scenario, r.theirs, r.ours, r.target);
  process.stdout.write(out);
});

function sleepersIni(dir: string, n: number, autostart: boolean): string {
  let ini = baseIni(dir);
  for (let i = 0; i < n; i++) {
    ini += programIni(`p${String(i).padStart(4, '0')}`, {
      command: '/bin/sleep 1000',
      autostart,
      startsecs: 0,
      stdout_logfile: 'NONE',
      stderr_logfile: 'NONE',
    });
  }
  return ini;
}

describe('start all, stop all', () => {
  for (const n of [100, 1000]) {
    bench(
      `${n} programs (startsecs=0) from start all to all RUNNING${n === 100 ? ', then stop all' : ''}`,
      async () => {
        await using dir = makeTempDir('supb-');
        const ini = sleepersIni(dir.path, n, false);
        const start = { ours: 0, theirs: Number.NaN };
        const stop = { ours: 0, theirs: Number.NaN };
        {
          const ours = await startOurs(dir.path, ini);
          try {
            const t0 = performance.now();
            await ours.supervisor.startAll({ wait: true });
            start.ours = performance.now() - t0;
            if (n === 100) {
              const t1 = performance.now();
              await ours.supervisor.stopAll({ wait: true });
              stop.ours = performance.now() - t1;
            }
          } finally {
            await ours.close();
          }
        }
        if (HAVE_SUPERVISORD) {
          await using theirs = await SupervisordRun.start(dir.path, ini);
          const t0 = performance.now();
          await theirs.rpc('supervisor.startAllProcesses', false);
          await theirs.log.waitFor(() => theirs.log.count('success') >= n, 120_000);
          start.theirs = performance.now() - t0;
          if (n === 100) {
            const t1 = performance.now();
            await theirs.rpc('supervisor.stopAllProcesses', false);
            await theirs.log.waitFor(() => theirs.log.count('stopped') >= n, 60_000);
            stop.theirs = performance.now() - t1;
          }
        }
        say(`start all ${n}: ours ${ms(start.ours)}, supervisord ${ms(start.theirs)}`);
        rows.push({
          scenario: `${n} programs, start all → all RUNNING`,
          theirs: HAVE_SUPERVISORD ? ms(start.theirs) : 'n/a',
          ours: ms(start.ours),
          target: n === 1000 ? '< 1000 ms' : '',
        });
        if (n === 100) {
          say(`stop all 100: ours ${ms(stop.ours)}, supervisord ${ms(stop.theirs)}`);
          rows.push({
            scenario: 'stop all, 100 programs that exit on SIGTERM',
            theirs: HAVE_SUPERVISORD ? ms(stop.theirs) : 'n/a',
            ours: ms(stop.ours),
            target: '< 100 ms',
          });
        }
      },
      once,
    );
  }
});

describe('restart after SIGKILL', () => {
  const rounds = 30;
  const ini = (dir: string): string =>
    baseIni(dir) + programIni('victim', { command: '/bin/sleep 1000', startsecs: 0, autorestart: true });
  bench(
    `SIGKILL of a RUNNING child (autorestart=true, startsecs=0) to the new child RUNNING, ${rounds} rounds`,
    async () => {
      await using dir = makeTempDir('supb-');
      const times = { ours: [] as number[], theirs: [] as number[] };
      {
        const ours = await startOurs(dir.path, ini(dir.path));
        try {
          const p = ours.supervisor.getProcess('victim');
          await p.waitForState((s) => s === 'RUNNING');
          for (let i = 0; i < rounds; i++) {
            const old = p.pid;
            const running = new Promise<void>((resolve) => {
              const off = ours.supervisor.subscribe((e) => {
                if (e.type === 'PROCESS_STATE_RUNNING' && e.pid !== old) {
                  off();
                  resolve();
                }
              });
            });
            const t0 = performance.now();
            process.kill(old, 'SIGKILL');
            await running;
            times.ours.push(performance.now() - t0);
          }
        } finally {
          await ours.close();
        }
      }
      if (HAVE_SUPERVISORD) {
        await using theirs = await SupervisordRun.start(dir.path, ini(dir.path));
        await theirs.log.waitFor(() => theirs.log.count('success') === 1, 30_000);
        for (let i = 0; i < rounds; i++) {
          const pid = theirs.log.pids.at(-1)!;
          const target = theirs.log.count('success') + 1;
          const t0 = performance.now();
          process.kill(pid, 'SIGKILL');
          await theirs.log.waitFor(() => theirs.log.count('success') >= target, 30_000);
          times.theirs.push(performance.now() - t0);
        }
      }
      say(
        `SIGKILL → RUNNING medians: ours ${ms(median(times.ours))}, supervisord ${times.theirs.length ? ms(median(times.theirs)) : 'n/a'}`,
      );
      rows.push({
        scenario: 'SIGKILL → new child RUNNING (median of 30)',
        theirs: HAVE_SUPERVISORD ? ms(median(times.theirs)) : 'n/a',
        ours: ms(median(times.ours)),
        target: '< 3 ms',
      });
    },
    once,
  );
});

describe('log throughput', () => {
  const total = 200 * 1024 * 1024;
  for (const chunk of [100, 65_536]) {
    bench(
      `200 MiB of child stdout in ${chunk}-byte write(2)s to the log file, no byte lost`,
      async () => {
        await using dir = makeTempDir('supb-');
        const writer: Writer = prepareWriter(dir.path);
        const ini = (logPath: string): string =>
          baseIni(dir.path) +
          programIni('flood', {
            command: writer.command(total, chunk),
            autostart: false,
            startsecs: 0,
            autorestart: false,
            stdout_logfile: logPath,
            stdout_logfile_maxbytes: 0,
            stderr_logfile: 'NONE',
          });
        const result = { ours: [] as number[], theirs: [] as number[], lost: { ours: 0, theirs: 0 } };
        const reps = chunk === 100 ? 2 : 4;
        for (let rep = 0; rep < reps; rep++) {
          {
            const logPath = join(dir.path, 'ours.log');
            const ours = await startOurs(dir.path, ini(logPath));
            try {
              const p = ours.supervisor.getProcess('flood');
              const t0 = performance.now();
              await p.start();
              await waitForSize(logPath, total, 60_000);
              result.ours.push(performance.now() - t0);
              await p.waitForState((s) => s === 'EXITED');
              result.lost.ours = Math.max(result.lost.ours, total - statSync(logPath).size);
            } finally {
              await ours.close();
            }
            rmSync(logPath);
          }
          if (HAVE_SUPERVISORD) {
            const logPath = join(dir.path, 'theirs.log');
            await using theirs = await SupervisordRun.start(dir.path, ini(logPath));
            const t0 = performance.now();
            await theirs.rpc('supervisor.startProcess', 'flood', false);
            await waitForSize(logPath, total, 60_000);
            result.theirs.push(performance.now() - t0);
            await theirs.log.waitFor(() => theirs.log.count('exited') === 1, 30_000);
            result.lost.theirs = Math.max(result.lost.theirs, total - statSync(logPath).size);
            rmSync(logPath);
          }
        }
        const rate = (t: readonly number[]): string =>
          t.length === 0 ? 'n/a' : `${((total / 1048576 / Math.min(...t)) * 1000).toFixed(0)} MiB/s`;
        say(
          `log ${chunk} B writes (${writer.kind} writer): ours ${result.ours.map(ms).join(', ')}; supervisord ${result.theirs.map(ms).join(', ')}`,
        );
        rows.push({
          scenario: `200 MiB stdout → log, ${chunk}-byte writes (best of ${reps})`,
          theirs: HAVE_SUPERVISORD ? `${rate(result.theirs)}, lost ${result.lost.theirs} B` : 'n/a',
          ours: `${rate(result.ours)}, lost ${result.lost.ours} B`,
          target: '≥ supervisord, 0 lost',
        });
      },
      once,
    );
  }
});

describe('memory', () => {
  bench(
    'heap per managed process with 1,000 processes (ours only)',
    async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      await using dir = makeTempDir('supb-');
      const ini = sleepersIni(dir.path, 1000, false);
      const config = parse(ini, { path: join(dir.path, 'supervisord.conf') });
      gc();
      const before = process.memoryUsage().heapUsed;
      await using supervisor = new Supervisor(config);
      await supervisor.start();
      gc();
      const stopped = (process.memoryUsage().heapUsed - before) / 1000;
      await supervisor.startAll({ wait: true });
      gc();
      const running = (process.memoryUsage().heapUsed - before) / 1000;
      const rss = Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]) * 4096;
      say(
        `heap per process: stopped ${stopped.toFixed(0)} B, running ${running.toFixed(0)} B; rss ${(rss / 1048576).toFixed(0)} MiB`,
      );
      rows.push({
        scenario: 'heap per managed process, 1,000 STOPPED',
        theirs: '',
        ours: `${stopped.toFixed(0)} B`,
        target: '',
      });
      rows.push({
        scenario: 'heap per managed process, 1,000 RUNNING',
        theirs: '',
        ours: `${running.toFixed(0)} B`,
        target: '< 10 KB',
      });
    },
    once,
  );
});
