// Issue 5's targets, measured against the built supd (and Debian's supervisord in the same run
// where it is installed): native getState / getAllProcessInfo calls per second with 100 programs,
// RSS with 100 and 1,000 programs, and idle CPU.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type RpcClient } from '@supctl/rpc';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { type Daemon, hasSupervisord, SUPD, startDaemon, stopDaemon, waitRunning } from './daemons.ts';

const HZ = 100; // clock ticks per second on Linux

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

// What Node alone takes for the same job: a unix-socket listener and N `sleep` children with
// their output piped, under supd's V8 settings. The floor under supd's RSS on this machine.
const NODE_FLOOR = `
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setFlagsFromString } from 'node:v8';
for (const flag of ['--semi-space-growth-factor=1', '--no-opt', '--no-sparkplug']) setFlagsFromString(flag);
const server = createServer().listen(process.argv[1] + '/floor.sock');
const children = Array.from({ length: Number(process.argv[2]) }, () => spawn('sleep', ['3600'], { stdio: ['ignore', 'pipe', 'pipe'] }));
for (const child of children) for (const pipe of [child.stdout, child.stderr]) pipe.on('data', () => {});
process.once('SIGTERM', () => { for (const child of children) child.kill(); server.close(); });
let spawned = 0;
for (const child of children) child.once('spawn', () => ++spawned === children.length && process.stdout.write('ready'));
`;

async function nodeFloorMiB(dir: string, programs: number): Promise<number> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', NODE_FLOOR, dir, String(programs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const rss = rssMiB(child.pid!);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return rss;
}

const figures: string[] = [];
let supd100: Daemon;
let client: RpcClient;

beforeAll(async () => {
  supd100 = startDaemon(SUPD, 100);
  await waitRunning(supd100);
  client = await connect(`unix://${supd100.socket}`);
  figures.push(`supd RSS with 100 programs: ${rssMiB(supd100.child.pid!).toFixed(1)} MiB`);
  // Two windows: the first 10 s after all are RUNNING (start-up garbage collected, hot code
  // compiled), then the next 10 s (steady idle: what "no polling" is about).
  // V8's memory reducer runs once, some 8 s after start: RSS again once at rest.
  figures.push(
    `supd idle CPU with 100 programs: ${(await idleCpuPercent(supd100.child.pid!, 10)).toFixed(3)}% of a core in the first 10 s, ${(await idleCpuPercent(supd100.child.pid!, 10)).toFixed(3)}% in the next 10 s`,
  );
  figures.push(
    `supd RSS with 100 programs, after 20 s at rest: ${rssMiB(supd100.child.pid!).toFixed(1)} MiB`,
  );
  if (hasSupervisord) {
    const sd = startDaemon(['supervisord'], 100);
    await waitRunning(sd);
    figures.push(`supervisord RSS with 100 programs: ${rssMiB(sd.child.pid!).toFixed(1)} MiB`);
    figures.push(
      `supervisord idle CPU with 100 programs: ${(await idleCpuPercent(sd.child.pid!, 10)).toFixed(3)}% of a core in the first 10 s, ${(await idleCpuPercent(sd.child.pid!, 10)).toFixed(3)}% in the next 10 s`,
    );
    figures.push(
      `supervisord RSS with 100 programs, after 20 s at rest: ${rssMiB(sd.child.pid!).toFixed(1)} MiB`,
    );
    await stopDaemon(sd);
  }
  for (const programs of [100, 1000]) {
    const floor = await nodeFloorMiB(supd100.dir, programs);
    figures.push(`node alone, a unix listener and ${programs} piped sleeps: ${floor.toFixed(1)} MiB`);
  }
  const big = startDaemon(SUPD, 1000);
  await waitRunning(big);
  figures.push(`supd RSS with 1,000 programs: ${rssMiB(big.child.pid!).toFixed(1)} MiB`);
  await new Promise((r) => setTimeout(r, 15_000)); // past the memory reducer
  figures.push(`supd RSS with 1,000 programs, after 15 s at rest: ${rssMiB(big.child.pid!).toFixed(1)} MiB`);
  await stopDaemon(big);
}, 300_000);

afterAll(async () => {
  // The calls above compiled the hot paths: what that adds.
  figures.push(
    `supd RSS with 100 programs after the call benchmarks: ${rssMiB(supd100.child.pid!).toFixed(1)} MiB`,
  );
  await client?.close();
  await stopDaemon(supd100);
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
