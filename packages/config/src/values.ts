// Converters for each value type of Supervisor's dialect. Each returns the typed value or
// throws a ValueProblem carrying supctl's wording and supervisord's.
import { ValueProblem } from './errors.ts';
import { pyInt, pyIntError, pyRepr, pyStrip } from './python.ts';
import { isValidSignalNumber, lookupSignal, signalName } from './signals.ts';
import { type AutoRestart, LOG_LEVELS, type LogLevelName } from './types.ts';

const TRUTHY = ['yes', 'true', 'on', '1'];
const FALSY = ['no', 'false', 'off', '0'];

export function toBoolean(value: string): boolean {
  const v = value.toLowerCase();
  if (TRUTHY.includes(v)) return true;
  if (FALSY.includes(v)) return false;
  throw new ValueProblem(
    `invalid value ${pyRepr(value)} (expected true or false)`,
    `not a valid boolean value: ${pyRepr(value)}`,
  );
}

export function toInteger(value: string): number {
  const n = pyInt(value);
  if (n === undefined) {
    throw new ValueProblem(`invalid value ${pyRepr(value)} (expected an integer)`, pyIntError(value));
  }
  return n;
}

const SIZE_SUFFIXES: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function toByteSize(value: string): number {
  const v = value.toLowerCase();
  let digits = v;
  let multiplier = 1;
  const suffix = SIZE_SUFFIXES[v.slice(-2)];
  if (suffix !== undefined) {
    digits = v.slice(0, -2);
    multiplier = suffix;
  }
  const n = pyInt(digits);
  if (n === undefined) {
    throw new ValueProblem(
      `invalid value ${pyRepr(value)} (expected a byte size such as 1024, 64KB, 50MB or 1GB)`,
      pyIntError(digits),
    );
  }
  return n * multiplier;
}

export function toOctal(
  value: string,
  supervisorMessage = `${value} can not be converted to an octal type`,
): number {
  const n = pyInt(value, 8);
  if (n === undefined) {
    throw new ValueProblem(
      `invalid value ${pyRepr(value)} (expected an octal number such as 022)`,
      supervisorMessage,
    );
  }
  return n;
}

/** A signal as config accepts it; returns the name without SIG (`TERM`). */
export function toSignal(value: string): string {
  let num = pyInt(value);
  if (num === undefined) {
    num = lookupSignal(pyStrip(value));
    if (num === undefined) {
      throw new ValueProblem(
        `unknown signal ${pyRepr(value)} (expected a name such as TERM, INT, QUIT, HUP, KILL, USR1, USR2, or a number)`,
        `value ${pyRepr(value)} is not a valid signal name`,
      );
    }
  }
  if (!isValidSignalNumber(num)) {
    throw new ValueProblem(
      `invalid signal number ${pyRepr(value)} (expected 1-64)`,
      `value ${pyRepr(value)} is not a valid signal number`,
    );
  }
  return signalName(num);
}

export function toExitCodes(value: string): number[] {
  if (value === '') return [];
  const codes = value.split(',').map((part) => pyInt(part));
  if (codes.some((c) => c === undefined || c < 0 || c > 255)) {
    throw new ValueProblem(
      `invalid value ${pyRepr(value)} (expected exit codes 0-255 separated by commas, such as 0,2)`,
      `not a valid list of exit codes: ${pyRepr(value)}`,
    );
  }
  return codes as number[];
}

export function toAutoRestart(value: string): AutoRestart {
  const v = value.toLowerCase();
  if (TRUTHY.includes(v)) return true;
  if (FALSY.includes(v)) return false;
  if (v === 'unexpected') return 'unexpected';
  throw new ValueProblem(
    `invalid value ${pyRepr(value)} (expected true, false or unexpected)`,
    `invalid 'autorestart' value ${pyRepr(v)}`,
  );
}

export function toLogLevel(value: string): LogLevelName {
  const v = value.toLowerCase();
  if (Object.hasOwn(LOG_LEVELS, v)) return v as LogLevelName;
  throw new ValueProblem(
    `invalid value ${pyRepr(value)} (expected one of ${Object.keys(LOG_LEVELS).join(', ')})`,
    `bad logging level name ${pyRepr(value)}`,
  );
}

/** Comma-separated list, each item stripped; empty text is an empty list. */
export function toListOfStrings(value: string): string[] {
  if (value === '') return [];
  return value.split(',').map((s) => pyStrip(s));
}

/** Program, group and process names may not contain a space, `:` or `/`. */
export function toProcessOrGroupName(name: string): string {
  const s = pyStrip(name);
  for (const ch of [' ', ':', '/']) {
    if (s.includes(ch)) {
      throw new ValueProblem(
        `invalid name ${pyRepr(name)}: names may not contain ${pyRepr(ch)} (nor space, ':' or '/')`,
        `Invalid name: ${pyRepr(name)} because of character: ${pyRepr(ch)}`,
      );
    }
  }
  return s;
}

function toPortNumber(value: string): number {
  const port = toInteger(value);
  if (port < 1) {
    throw new ValueProblem(`port ${port} is below 1`, `${port} is below lower bound (1)`);
  }
  if (port > 65535) {
    throw new ValueProblem(`port ${port} is above 65535`, `${port} is above upper bound (65535)`);
  }
  return port;
}

/** `[inet_http_server] port=`: `host:port`, `*:port`, `:port` or `port`. */
export function toInetAddress(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  if (colon >= 0) {
    const portText = value.slice(colon + 1);
    if (portText === '') {
      throw new ValueProblem(
        `no port number in ${pyRepr(value)} (expected host:port)`,
        `no port number specified in ''`,
      );
    }
    const host = value.slice(0, colon).toLowerCase();
    return { host: host === '*' ? '' : host, port: toPortNumber(portText) };
  }
  try {
    return { host: '', port: toPortNumber(value) };
  } catch {
    throw new ValueProblem(
      `invalid port ${pyRepr(value)} (expected host:port or a port number 1-65535)`,
      `not a valid port number: ${pyRepr(value)} `,
    );
  }
}
