// The dialect's value types for callers outside a config file (supd's command line overrides
// the same keys: -m 022, -y 50MB, -e debug …).
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

// A converter's value, or its ValueProblem as a result.
function toResult<T>(convert: () => T): ConvertResult<T> {
  try {
    return { ok: true, value: convert() };
  } catch (e) {
    if (!(e instanceof ValueProblem)) throw e;
    return { ok: false, message: e.message, supervisorMessage: e.supervisorMessage };
  }
}

/**
 * Convert `text` as a config value of `type` would be.
 * @example convertValue('byteSize', '50MB') // { ok: true, value: 52428800 }
 */
export function convertValue<K extends ValueType>(
  type: K,
  text: string,
): ConvertResult<ReturnType<(typeof CONVERTERS)[K]>> {
  return toResult(() => CONVERTERS[type](text) as ReturnType<(typeof CONVERTERS)[K]>);
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
  const ctx = {
    host,
    cwd: options.cwd,
    expandUser: (path: string) => expandUser(path, options.env ?? process.env, host),
  };
  return toResult(() =>
    type === 'existingDirPath' ? existingDirPath(ctx, text) : existingDirectory(ctx, text),
  );
}
