// The dialect's value types for callers outside a config file (supd's command line overrides
// the same keys: -m 022, -y 50MB, -e debug …).
import { ValueProblem } from './errors.ts';
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
