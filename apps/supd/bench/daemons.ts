// Daemons for the benches: the built supd or Debian's supervisord on the same config of N
// `sleep` programs, with a unix socket in a temp dir.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SUPD = [process.execPath, resolve(import.meta.dirname, '../bin/supd.cjs')];
export const hasSupervisord = spawnSync('supervisord', ['-v'], { stdio: 'ignore' }).status === 0;

export interface Daemon {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly socket: string;
  readonly programs: number;
}

/** Starts `command` (supd or supervisord) in the foreground on a config of `programs` sleepers. */
export function startDaemon(command: readonly string[], programs: number): Daemon {
  const dir = mkdtempSync(join(tmpdir(), 'supd-bench-'));
  let conf = `[supervisord]\nlogfile=%(here)s/sd.log\npidfile=%(here)s/sd.pid\nchildlogdir=%(here)s\nminfds=4096\n[unix_http_server]\nfile=%(here)s/s.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
  for (let i = 0; i < programs; i++) {
    conf += `[program:p${i}]\ncommand=sleep 3600\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n`;
  }
  writeFileSync(join(dir, 'sd.conf'), conf);
  const child = spawn(command[0]!, [...command.slice(1), '-n', '-s', '-c', join(dir, 'sd.conf')], {
    cwd: dir,
    stdio: 'ignore',
  });
  return { child, dir, socket: join(dir, 's.sock'), programs };
}

/** Resolves once the main log shows every program RUNNING. */
export async function waitRunning(d: Daemon): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    let log = '';
    try {
      log = readFileSync(join(d.dir, 'sd.log'), 'utf8');
    } catch {
      // not written yet
    }
    if ((log.match(/entered RUNNING state/g) ?? []).length >= d.programs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not all ${d.programs} programs RUNNING in time`);
}

/** TERM (the daemon stops its children), wait, and remove the temp dir. */
export async function stopDaemon(d: Daemon): Promise<void> {
  if (d.child.exitCode === null && d.child.signalCode === null) {
    const exited = new Promise((r) => d.child.once('exit', r));
    d.child.kill('SIGTERM');
    await exited;
  }
  rmSync(d.dir, { recursive: true, force: true });
}
