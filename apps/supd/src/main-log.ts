// supd's main log: supervisord's line format and levels, a rotating file (or none for
// `syslog`), and a copy on stdout in the foreground unless silent.
import { LOG_LEVELS, type LogLevelName, type SupervisordConfig } from '@supctl/config';
import { formatMainLogLine, type MainLogger, RotatingFile } from '@supctl/core';

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
  readonly path: string | null;

  constructor(options: MainLogOptions) {
    this.#threshold = LOG_LEVELS[options.config.loglevel];
    this.#echo = options.echo;
    // TODO(syslog): logfile=syslog sends nothing to syslog yet; the foreground copy still works.
    this.path = options.path === 'syslog' ? null : options.path;
    this.#file =
      this.path === null
        ? null
        : new RotatingFile({
            path: this.path,
            maxBytes: options.config.logfileMaxBytes,
            backups: options.config.logfileBackups,
          });
  }

  enabled(level: LogLevelName): boolean {
    return LOG_LEVELS[level] >= this.#threshold;
  }

  log(level: LogLevelName, message: string): void {
    if (LOG_LEVELS[level] < this.#threshold) return;
    const line = formatMainLogLine(new Date(), level, message);
    this.#file?.write(Buffer.from(line));
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
