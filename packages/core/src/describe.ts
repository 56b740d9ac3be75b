// The `description` strings of getProcessInfo / `status`, as Supervisor formats them.

import { signalName } from '@supctl/config';
import type { ProcessStateName } from '@supctl/events';

/**
 * Formats whole seconds like Python's `str(timedelta)`; negative values are clamped to 0.
 * @example
 * formatUptime(62); // '0:01:02'
 * formatUptime(86_405); // '1 day, 0:00:05'
 */
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86_400);
  const rest = total % 86_400;
  const hms = `${Math.floor(rest / 3600)}:${pad(Math.floor(rest / 60) % 60)}:${pad(rest % 60)}`;
  return days === 0 ? hms : `${days} day${days === 1 ? '' : 's'}, ${hms}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * `strftime('%b %d %I:%M %p')` in local time and the C locale.
 * @example
 * formatStopTime(new Date(2026, 10, 24, 5, 9)); // 'Nov 24 05:09 AM'
 */
export function formatStopTime(date: Date): string {
  const hour = date.getHours();
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${MONTHS[date.getMonth()]} ${pad(date.getDate())} ${pad(hour12)}:${pad(date.getMinutes())} ${hour < 12 ? 'AM' : 'PM'}`;
}

/**
 * A signal as supervisord names it in its messages (its `signame`): `SIGUSR1`, or `signal 35`
 * for a number Python's signal module has no name for.
 * @example
 * signame(10); // 'SIGUSR1'
 */
export function signame(num: number): string {
  const name = signalName(num);
  return /^[A-Z]+\d?$/.test(name) ? `SIG${name}` : `signal ${num}`;
}

/**
 * How a child ended, in supervisord's words: `exit status 3`, `terminated by SIGTERM` or
 * `terminated by SIGSEGV (core dumped)`.
 * @example
 * describeExit(null, 'SIGKILL'); // 'terminated by SIGKILL'
 */
export function describeExit(
  code: number | null,
  signal: NodeJS.Signals | number | null,
  coreDumped = false,
): string {
  if (signal !== null) {
    const name = typeof signal === 'number' ? signame(signal) : signal;
    return `terminated by ${name}${coreDumped ? ' (core dumped)' : ''}`;
  }
  return `exit status ${code ?? 0}`;
}

/** The facts {@link describeProcess} needs (a subset of the process info). */
export interface DescribeInput {
  readonly name: string;
  readonly state: ProcessStateName;
  readonly pid: number;
  /** Epoch ms of the last spawn attempt; 0 = never. */
  readonly startMs: number;
  /** Epoch ms of the last exit or stop; 0 = never. */
  readonly stopMs: number;
  readonly spawnerr: string;
  readonly nowMs: number;
}

/**
 * The `description` column of `status` (spec 5.11).
 * @example
 * describeProcess({ name: 'web', state: 'RUNNING', pid: 42, startMs: 0, stopMs: 0, spawnerr: '', nowMs: 5000 });
 * // 'pid 42, uptime 0:00:05'
 */
export function describeProcess(input: DescribeInput): string {
  switch (input.state) {
    case 'RUNNING':
      return `pid ${input.pid}, uptime ${formatUptime(Math.floor(input.nowMs / 1000) - Math.floor(input.startMs / 1000))}`;
    case 'BACKOFF':
    case 'FATAL':
      return input.spawnerr || `unknown error (try "tail ${input.name}")`;
    case 'STOPPED':
    case 'EXITED':
      return input.startMs === 0 ? 'Not started' : formatStopTime(new Date(input.stopMs));
    default:
      return '';
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
