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

/**
 * Raises the soft limit to `minimum` if needed. Returns supervisord's refusal message, or what
 * supervisord logs after raising it (`Increased RLIMIT_NOFILE limit to 2048`), or null.
 */
export function ensureLimit(limit: Limit, minimum: number): { refusal: string } | { raised: string } | null {
  const now = current(limit);
  if (!now || now.soft >= minimum) return null;
  const hard = Math.max(now.hard, minimum);
  const value = `${minimum}:${hard === Number.POSITIVE_INFINITY ? 'unlimited' : hard}`;
  const r = spawnSync('prlimit', ['--pid', String(process.pid), `--${limit}=${value}`], { stdio: 'ignore' });
  const after = current(limit);
  if (r.status === 0 && after && after.soft >= minimum) return { raised: increased(limit, minimum) };
  return { refusal: refusal(limit, minimum, now.soft) };
}

/** supervisord's line for a limit it raised. */
export function increased(limit: Limit, minimum: number): string {
  return `Increased RLIMIT_${limit.toUpperCase()} limit to ${minimum}`;
}

function refusal(limit: Limit, minimum: number, soft: number): string {
  return limit === 'nofile'
    ? `The minimum number of file descriptors required to run this process is ${minimum} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${soft} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.`
    : `The minimum number of available processes required to run this program is ${minimum} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${soft} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.`;
}

/**
 * The soft open-files limit supd's children should get: Node raises its own soft limit to the
 * hard limit at start, while supervisord keeps the one it was started with (raised to `minfds`),
 * and its children inherit that. supd keeps Node's for itself (it holds more descriptors per
 * program than supervisord) and has each child's lowered instead. Undefined when there is
 * nothing to lower or the limits cannot be read (no /proc).
 */
export function childOpenFilesLimit(startSoft: number, minfds: number): number | undefined {
  const now = current('nofile');
  if (!now) return undefined;
  const target = Math.min(now.hard, Math.max(startSoft, minfds));
  return target < now.soft ? target : undefined;
}

/** The soft limit as the shell's `ulimit -Sn` prints it (`1024`, `unlimited`), or undefined. */
export function parseUlimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === 'unlimited') return Number.POSITIVE_INFINITY;
  return /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}
