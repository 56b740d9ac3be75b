// Issue 5's targets, measured against the built supd (and Debian's supervisord in the same run
// where it is installed): native getState / getAllProcessInfo calls per second with 100 programs,
// RSS with 100 and 1,000 programs, and idle CPU.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type RpcClient } from '@supctl/rpc';
import { afterAll, beforeAll, bench, describe } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/supd.js');
const HZ = 100; // clock ticks per second on Linux

interface Daemon {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly socket: string;
}

function start(command: string[], programs: number): Daemon {
  const dir = mkdtempSync(join(tmpdir(), 'supd-bench-'));
  let conf = `[supervisord]\nlogfile=%(here)s/sd.log\npidfile=%(here)s/sd.pid\nchildlogdir=%(here)s\nminfds=4096\n[unix_http_server]\nfile=%(here)s/s.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
  for (let i = 0; i < programs; i++)
    conf += `[program:p${i}]\ncommand=sleep 3600\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n`;
  writeFileSync(join(dir, 'sd.conf'), conf);
  const child = spawn(command[0]!, [...command.slice(1), '-n', '-s', '-c', join(dir, 'sd.conf')], {
    cwd: dir,
    stdio: 'ignore',
  });
  return { child, dir, socket: join(dir, 's.sock') };
}

async function waitRunning(d: Daemon, programs: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const log = (() => {
      try {
        return readFileSync(join(d.dir, 'sd.log'), 'utf8');
      } catch {
        return '';
      }
    })();
    if ((log.match(/entered RUNNING state/g) ?? []).length >= programs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not all ${programs} programs RUNNING in time`);
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function idleCpuPercent(pid: number, seconds: number): Promise<number> {
  const before = cpuTicks(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return ((cpuTicks(pid) - before) / HZ / seconds) * 100;
}

async function stop(d: Daemon): Promise<void> {
  const exited = new Promise((r) => d.child.on('exit', r));
  d.child.kill('SIGTERM');
  await exited;
  rmSync(d.dir, { recursive: true, force: true });
}

const hasSupervisord = spawnSync('supervisord', ['-v'], { stdio: 'ignore' }).status === 0;
const figures: string[] = [];
let supd100: Daemon;
let client: RpcClient;

beforeAll(async () => {
  supd100 = start([process.execPath, BIN], 100);
  await waitRunning(supd100, 100);
  client = await connect(`unix://${supd100.socket}`);
  figures.push(`supd RSS with 100 programs: ${rssMiB(supd100.child.pid!).toFixed(1)} MiB`);
  figures.push(
    `supd idle CPU with 100 programs (10 s): ${(await idleCpuPercent(supd100.child.pid!, 10)).toFixed(3)}% of a core`,
  );
  if (hasSupervisord) {
    const sd = start(['supervisord'], 100);
    await waitRunning(sd, 100);
    figures.push(`supervisord RSS with 100 programs: ${rssMiB(sd.child.pid!).toFixed(1)} MiB`);
    figures.push(
      `supervisord idle CPU with 100 programs (10 s): ${(await idleCpuPercent(sd.child.pid!, 10)).toFixed(3)}% of a core`,
    );
    await stop(sd);
  }
  const big = start([process.execPath, BIN], 1000);
  await waitRunning(big, 1000);
  figures.push(`supd RSS with 1,000 programs: ${rssMiB(big.child.pid!).toFixed(1)} MiB`);
  await stop(big);
}, 300_000);

afterAll(async () => {
  await client?.close();
  await stop(supd100);
  for (const f of figures) console.log(`[figure] ${f}`);
});

describe('native protocol over the unix socket, one client, sequential, 100 programs running', () => {
  bench(
    'supervisor.getState',
    async () => {
      await client.call('supervisor.getState');
    },
    { time: 3000 },
  );
  bench(
    'supervisor.getAllProcessInfo (100 processes)',
    async () => {
      await client.call('supervisor.getAllProcessInfo');
    },
    { time: 3000 },
  );
});
