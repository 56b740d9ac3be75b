// supd's main log: supervisord's line format and levels, a rotating file (or, for `syslog`, the
// system log), and a copy on stdout in the foreground unless silent.
import { LOG_LEVELS, type LogLevelName, type SupervisordConfig } from '@supctl/config';
import { formatMainLogLine, type MainLogger, RotatingFile, writeSyslog } from '@supctl/core';

export interface MainLogOptions {
  readonly config: SupervisordConfig;
  /** Absolute path of the log file, or 'syslog'. */
  readonly path: string;
  /** Where the foreground copy goes (stdout), or null. */
  readonly echo: ((line: string) => void) | null;
}

export class MainLog implements MainLogger {
  readonly #threshold: number;
  readonly #file: RotatingFile | null;
  readonly #echo: ((line: string) => void) | null;
  readonly #syslog: boolean;
  readonly path: string | null;

  constructor(options: MainLogOptions) {
    this.#threshold = LOG_LEVELS[options.config.loglevel];
    this.#echo = options.echo;
    // `logfile=syslog`: each line, as it would be written to a file, goes to the system log
    // (supervisord sends them all as user.info, with their own level in the text).
    this.#syslog = options.path === 'syslog';
    this.path = this.#syslog ? null : options.path;
    this.#file =
      this.path === null
        ? null
        : new RotatingFile({
            path: this.path,
            maxBytes: options.config.logfileMaxBytes,
            backups: options.config.logfileBackups,
            // A full disk: lines are lost until it has room, and supd carries on (supervisord
            // prints the error on stderr and carries on too).
            onError: (error) =>
              process.stderr.write(`supd: could not write the main log ${this.path}: ${error.message}\n`),
          });
  }

  enabled(level: LogLevelName): boolean {
    return LOG_LEVELS[level] >= this.#threshold;
  }

  log(level: LogLevelName, message: string): void {
    if (LOG_LEVELS[level] < this.#threshold) return;
    const now = new Date();
    const line = formatMainLogLine(now, level, message);
    if (this.#syslog) {
      // supervisord sends a message of several lines as that many (trailing newlines dropped),
      // each with date and level.
      for (const piece of message.replace(/\n+$/, '').split('\n')) {
        writeSyslog(Buffer.from(formatMainLogLine(now, level, piece)));
      }
    } else this.#file?.write(Buffer.from(line));
    this.#echo?.(line);
  }

  /** SIGUSR2 and `clearLog`: reopen the file (after an external logrotate). */
  reopen(): void {
    this.#file?.reopen();
  }

  close(): void {
    this.#file?.close();
  }
}
