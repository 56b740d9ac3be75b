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
