import type { LogLevelName } from '@supctl/config';

/**
 * Where core writes supervisord's main-log messages (`spawned: 'web' with pid 123`, …). supd
 * implements it over its log file; tests collect lines.
 * @example
 * const lines: string[] = [];
 * const logger: MainLogger = { log: (level, message) => lines.push(`${level} ${message}`) };
 */
export interface MainLogger {
  log(level: LogLevelName, message: string): void;
  /**
   * Whether a message at `level` would be written. Core asks before building costly messages
   * (the DEBG line per chunk of child output); absent means only what costs nothing is logged
   * below info.
   */
  enabled?(level: LogLevelName): boolean;
}

/** The level names supervisord prints, by config name. */
export const MAIN_LOG_LABELS = {
  critical: 'CRIT',
  error: 'ERRO',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBG',
  trace: 'TRAC',
  blather: 'BLAT',
} as const satisfies Record<LogLevelName, string>;

/** A logger that drops everything. */
export const SILENT_LOGGER: MainLogger = { log() {} };

/**
 * One main-log line as supervisord writes it: local time with milliseconds after a comma.
 * @example
 * formatMainLogLine(new Date(2026, 10, 24, 5, 9, 17, 343), 'info', "spawned: 'w' with pid 6975");
 * // "2026-11-24 05:09:17,343 INFO spawned: 'w' with pid 6975\n"
 */
export function formatMainLogLine(date: Date, level: LogLevelName, message: string): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const stamp =
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())},${p(date.getMilliseconds(), 3)}`;
  return `${stamp} ${MAIN_LOG_LABELS[level]} ${message}\n`;
}
