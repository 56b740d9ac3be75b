// The dialect's value types for callers outside a config file (supd's command line overrides
// the same keys: -m 022, -y 50MB, -e debug …).
import { isAbsolute } from 'node:path';
import { ValueProblem } from './errors.ts';
import { createSystemHostChecks, type HostChecks } from './host.ts';
import { existingDirectory, existingDirPath, expandUser } from './paths.ts';
import { toBoolean, toByteSize, toInteger, toLogLevel, toOctal, toSignal } from './values.ts';

const CONVERTERS = {
  boolean: toBoolean,
  integer: toInteger,
  byteSize: toByteSize,
  octal: toOctal,
  logLevel: toLogLevel,
  signal: toSignal,
} as const;

/** A value type of Supervisor's dialect. */
export type ValueType = keyof typeof CONVERTERS;

/** The converted value, or both wordings of what is wrong. */
export type ConvertResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string; readonly supervisorMessage: string };

/**
 * Convert `text` as a config value of `type` would be.
 * @example convertValue('byteSize', '50MB') // { ok: true, value: 52428800 }
 */
export function convertValue<K extends ValueType>(
  type: K,
  text: string,
): ConvertResult<ReturnType<(typeof CONVERTERS)[K]>> {
  try {
    return { ok: true, value: CONVERTERS[type](text) as ReturnType<(typeof CONVERTERS)[K]> };
  } catch (e) {
    if (!(e instanceof ValueProblem)) throw e;
    return { ok: false, message: e.message, supervisorMessage: e.supervisorMessage };
  }
}

/** Supervisor's checks of a path given outside a config file (supervisord's `-l -j -q -d`). */
export type PathType = 'existingDirPath' | 'existingDirectory';

/**
 * Checks `text` as a path option of `type` would be: `~` expanded, the directory (of the file)
 * must exist, relative paths from `cwd`. The value is the expanded path, as written otherwise.
 * @example convertPath('existingDirPath', '/nonexist/x.log', { cwd: '/' }).ok // false
 */
export function convertPath(
  type: PathType,
  text: string,
  options: { cwd: string; env?: Readonly<Record<string, string | undefined>>; host?: HostChecks },
): ConvertResult<string> {
  const host = options.host ?? createSystemHostChecks();
  const fromCwd: HostChecks = {
    ...host,
    isDirectory: (path) => host.isDirectory(isAbsolute(path) ? path : `${options.cwd}/${path}`),
  };
  const ctx = {
    host: fromCwd,
    expandUser: (path: string) => expandUser(path, options.env ?? process.env, host),
  };
  try {
    const value = type === 'existingDirPath' ? existingDirPath(ctx, text) : existingDirectory(ctx, text);
    return { ok: true, value };
  } catch (e) {
    if (!(e instanceof ValueProblem)) throw e;
    return { ok: false, message: e.message, supervisorMessage: e.supervisorMessage };
  }
}
