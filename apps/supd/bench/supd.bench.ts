// Issue 5's targets, measured against the built supd (and Debian's supervisord in the same run
// where it is installed): native getState / getAllProcessInfo calls per second with 100 programs,
// RSS with 100 and 1,000 programs, and idle CPU.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type RpcClient } from '@supctl/rpc';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { type Daemon, hasSupervisord, SUPD, startDaemon, stopDaemon, waitRunning } from './daemons.ts';

const HZ = 100; // clock ticks per second on Linux

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

// RSS split into what is the process's own (anonymous: heaps, stacks) and what is pages of files
// it maps (the node binary or the Python interpreter and its libraries), which the kernel shares
// with every other process mapping the same files and can drop and read again under pressure.
function rssParts(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
  const mib = (n: number) => (n / 1024).toFixed(1);
  return `${mib(kb('VmRSS'))} MiB (anonymous ${mib(kb('RssAnon'))}, file-backed ${mib(kb('RssFile') + kb('RssShmem'))})`;
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

async function nodeFloor(dir: string, programs: number): Promise<string> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', NODE_FLOOR, dir, String(programs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const rss = rssParts(child.pid!);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return rss;
}

// Sequential round trips wait, each time, for the other side's CPU to wake. On a VM that wake-up
// (an interrupt between virtual CPUs) dominates: so the same calls again with the client and supd
// on one CPU, and the raw floor both ways: two bare Node processes echoing one byte.
const CALLS_CLIENT = `
import { connect } from '@supctl/rpc';
const client = await connect('unix://' + process.argv[1]);
const out = [];
for (const [method, calls] of [['supervisor.getState', 40000], ['supervisor.getAllProcessInfo', 8000]]) {
  for (let i = 0; i < 2000; i++) await client.call(method);
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await client.call(method);
  out.push(Math.round(calls / (Number(process.hrtime.bigint() - start) / 1e9)));
}
await client.close();
process.stdout.write(out.join(' '));
`;
const ECHO_SERVER = `
import { createServer } from 'node:net';
createServer((s) => s.on('data', (d) => s.write(d))).listen(process.argv[1], () => process.stdout.write('ready'));
`;
const ECHO_CLIENT = `
import { connect } from 'node:net';
const s = connect(process.argv[1]);
await new Promise((r) => s.once('connect', r));
const rounds = 40000;
let n = 0;
const start = process.hrtime.bigint();
await new Promise((done) => { s.on('data', () => (++n === rounds ? done() : s.write('x'))); s.write('x'); });
process.stdout.write(String(Math.round(rounds / (Number(process.hrtime.bigint() - start) / 1e9))));
s.destroy();
`;

/** Runs `script` in a new node (optionally on CPU 0) with `arg`; resolves to what it printed. */
function runNode(script: string, arg: string, cpu0: boolean): Promise<string> {
  const argv = [process.execPath, '--input-type=module', '-e', script, arg];
  const child = spawn(cpu0 ? 'taskset' : argv[0]!, cpu0 ? ['-c', '0', ...argv] : argv.slice(1), {
    cwd: import.meta.dirname, // resolves @supctl/rpc from supd's node_modules
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`node -e exited ${code}`)))),
  );
}

/** Runs `fn` with process `pid` held on CPU 0, then gives it back its own CPUs. */
async function onCpu0<T>(pid: number, fn: () => Promise<T>): Promise<T> {
  const mask = /affinity list: (\S+)/.exec(
    spawnSync('taskset', ['-pc', String(pid)], { encoding: 'utf8' }).stdout,
  )?.[1];
  spawnSync('taskset', ['-pc', '0', String(pid)], { stdio: 'ignore' });
  try {
    return await fn();
  } finally {
    if (mask) spawnSync('taskset', ['-pc', mask, String(pid)], { stdio: 'ignore' });
  }
}

async function echoFloor(dir: string, cpu0: boolean): Promise<string> {
  const socket = join(dir, cpu0 ? 'echo-cpu0.sock' : 'echo.sock');
  const server = spawn(process.execPath, ['--input-type=module', '-e', ECHO_SERVER, socket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    server.stdout.once('data', resolve);
    server.once('exit', () => reject(new Error('the echo server exited')));
  });
  try {
    const measure = () => runNode(ECHO_CLIENT, socket, cpu0);
    return await (cpu0 ? onCpu0(server.pid!, measure) : measure());
  } finally {
    server.kill();
  }
}

const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

const figures: string[] = [];
let supd100: Daemon;
let client: RpcClient;

beforeAll(async () => {
  supd100 = startDaemon(SUPD, 100);
  await waitRunning(supd100);
  client = await connect(`unix://${supd100.socket}`);
  figures.push(`supd RSS with 100 programs: ${rssMiB(supd100.child.pid!).toFixed(1)} MiB`);
  // Three windows of 10 s from when all are RUNNING. In the first, supd's second pass returning
  // freed memory (a second after start) and, some 8 s after start, V8's memory reducer (armed
  // by the first pass) run once: 20–30 ms in all. Otherwise supd is idle: no polling, timers
  // only for what is due. RSS again once at rest.
  const windows: string[] = [];
  for (let i = 0; i < 3; i++) windows.push((await idleCpuPercent(supd100.child.pid!, 10)).toFixed(3));
  figures.push(
    `supd idle CPU with 100 programs: ${windows[0]}% of a core in the first 10 s, ${windows[1]}% in the next 10 s, ${windows[2]}% in the 10 s after`,
  );
  figures.push(`supd RSS with 100 programs, after 30 s at rest: ${rssParts(supd100.child.pid!)}`);
  if (hasSupervisord) {
    const sd = startDaemon(['supervisord'], 100);
    await waitRunning(sd);
    figures.push(`supervisord RSS with 100 programs: ${rssMiB(sd.child.pid!).toFixed(1)} MiB`);
    figures.push(
      `supervisord idle CPU with 100 programs: ${(await idleCpuPercent(sd.child.pid!, 10)).toFixed(3)}% of a core in the first 10 s, ${(await idleCpuPercent(sd.child.pid!, 10)).toFixed(3)}% in the next 10 s`,
    );
    figures.push(`supervisord RSS with 100 programs, after 20 s at rest: ${rssParts(sd.child.pid!)}`);
    await stopDaemon(sd);
  }
  for (const programs of [100, 1000]) {
    figures.push(
      `node alone, a unix listener and ${programs} piped sleeps: ${await nodeFloor(supd100.dir, programs)}`,
    );
  }
  const big = startDaemon(SUPD, 1000);
  await waitRunning(big);
  figures.push(`supd RSS with 1,000 programs: ${rssMiB(big.child.pid!).toFixed(1)} MiB`);
  await new Promise((r) => setTimeout(r, 15_000)); // past the memory reducer
  figures.push(`supd RSS with 1,000 programs, after 15 s at rest: ${rssParts(big.child.pid!)}`);
  await stopDaemon(big);
}, 300_000);

afterAll(async () => {
  // The calls above compiled the hot paths: what that adds.
  figures.push(
    `supd RSS with 100 programs after the call benchmarks: ${rssMiB(supd100.child.pid!).toFixed(1)} MiB`,
  );
  if (hasTaskset) {
    const [unpinned, pinned] = [await echoFloor(supd100.dir, false), await echoFloor(supd100.dir, true)];
    figures.push(
      `two bare Node processes echoing a byte over a unix socket: ${unpinned} round trips/s, ${pinned} on one CPU`,
    );
    const [getState, getAll] = (
      await onCpu0(supd100.child.pid!, () => runNode(CALLS_CLIENT, supd100.socket, true))
    ).split(' ');
    figures.push(
      `native calls/s with a client process and supd both on CPU 0: getState ${getState}, getAllProcessInfo (100) ${getAll}`,
    );
  }
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
