// Signal names as Supervisor accepts them (any name Python's signal module knows, with or
// without SIG, any case, or a number), mapped to this platform's numbers.
import { constants } from 'node:os';

const platform = constants.signals as Readonly<Record<string, number>>;

// Python's signal module also has SIGCLD and the real-time bounds on Linux.
const extra: Record<string, number> =
  process.platform === 'linux' ? { SIGCLD: 17, SIGRTMIN: 34, SIGRTMAX: 64 } : {};

/** Every signal name (with `SIG`) that a config may use, and its number on this platform. */
export const SIGNAL_NUMBERS: Readonly<Record<string, number>> = Object.freeze({ ...platform, ...extra });

// The name Python prints for a number (signal.Signals(n).name), without the SIG prefix.
const canonical = new Map<number, string>();
for (const [name, num] of Object.entries(SIGNAL_NUMBERS)) {
  const preferred = ['SIGIOT', 'SIGPOLL', 'SIGCLD'].includes(name);
  if (!canonical.has(num) || (!preferred && ['IOT', 'POLL', 'CLD'].includes(canonical.get(num)!))) {
    canonical.set(num, name.slice(3));
  }
}

// Python's signal module attributes that look like signal names but are handler constants.
const HANDLER_CONSTANTS: Record<string, number> = {
  SIG_DFL: 0,
  SIG_IGN: 1,
  SIG_BLOCK: 0,
  SIG_UNBLOCK: 1,
  SIG_SETMASK: 2,
};

/**
 * Whether a config may name signal `num`: the value of any SIG* name Python's signal module has
 * (so 0, from SIG_DFL, is accepted as supervisord accepts it, and real-time signals other than
 * RTMIN and RTMAX are not).
 */
export function isValidSignalNumber(num: number): boolean {
  return num === 0 || canonical.has(num);
}

/**
 * The display name of a signal number, without `SIG` (`15` → `TERM`); real-time signals
 * without a name are `RTMIN+n`.
 * @example signalName(9) // 'KILL'
 */
export function signalName(num: number): string {
  const name = canonical.get(num);
  if (name) return name;
  const rtmin = extra.SIGRTMIN;
  if (rtmin !== undefined && num > rtmin) return `RTMIN+${num - rtmin}`;
  return String(num);
}

/**
 * Look a signal name up as Supervisor does: `term`, `SIGTERM` and `15` are the same signal.
 * Returns `undefined` for an unknown name.
 * @example lookupSignal('hup') // 1
 */
export function lookupSignal(value: string): number | undefined {
  let name = value.trim().toUpperCase();
  if (!name.startsWith('SIG')) name = `SIG${name}`;
  return SIGNAL_NUMBERS[name] ?? HANDLER_CONSTANTS[name];
}
