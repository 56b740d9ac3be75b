// minfds / minprocs: supervisord raises RLIMIT_NOFILE / RLIMIT_NPROC at first start, and refuses
// to start when it cannot. Node has no setrlimit, so supd asks util-linux's `prlimit`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

type Limit = 'nofile' | 'nproc';
const PROC_NAMES: Record<Limit, string> = { nofile: 'Max open files', nproc: 'Max processes' };

function current(limit: Limit): { soft: number; hard: number } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(PROC_NAMES[limit]));
    const [soft, hard] = line!.slice(PROC_NAMES[limit].length).trim().split(/\s+/);
    const num = (v: string | undefined) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
    return { soft: num(soft), hard: num(hard) };
  } catch {
    return undefined;
  }
}

/** Raise the soft limit to `minimum` if needed; returns the message for a refusal, or null. */
export function ensureLimit(limit: Limit, minimum: number): string | null {
  const now = current(limit);
  if (!now || now.soft >= minimum) return null;
  const hard = Math.max(now.hard, minimum);
  const value = `${minimum}:${hard === Number.POSITIVE_INFINITY ? 'unlimited' : hard}`;
  const r = spawnSync('prlimit', ['--pid', String(process.pid), `--${limit}=${value}`], { stdio: 'ignore' });
  const after = current(limit);
  if (r.status === 0 && after && after.soft >= minimum) return null;
  return limit === 'nofile'
    ? `The minimum number of file descriptors required to run this process is ${minimum} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${now.soft} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.`
    : `The minimum number of available processes required to run this program is ${minimum} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${now.soft} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.`;
}

/**
 * Node raises its soft open-files limit to the hard limit when it starts; supervisord keeps the
 * limit it was started with (raised to `minfds`), and its children inherit it. Given the soft
 * limit supd was started with, lowers the soft limit back to that, or to `minfds` if higher.
 * Returns the soft limit now in force, or undefined when it could not be read.
 */
export function restoreOpenFilesLimit(startSoft: number, minfds: number): number | undefined {
  const now = current('nofile');
  if (!now) return undefined;
  const target = Math.min(now.hard, Math.max(startSoft, minfds));
  if (target >= now.soft) return now.soft;
  spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:`], { stdio: 'ignore' });
  return current('nofile')?.soft;
}

/** The soft limit as the shell's `ulimit -Sn` prints it (`1024`, `unlimited`), or undefined. */
export function parseUlimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === 'unlimited') return Number.POSITIVE_INFINITY;
  return /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}
