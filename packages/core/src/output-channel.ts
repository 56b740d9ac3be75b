import type { ChannelConfig } from '@supctl/config';
import { createAutoLogFile } from './auto-log-name.ts';
import { writeSyslog } from './native-spawn.ts';
import { RotatingFile, type RotatingFileOptions } from './rotating-file.ts';

/** A listener for raw child output; it must not throw or block. */
export type OutputListener = (chunk: Buffer) => void;

/** Where a channel writes: AUTO needs childlogdir and identifier to name its file. */
export interface OutputChannelOptions {
  readonly processName: string;
  readonly channel: 'stdout' | 'stderr';
  readonly config: ChannelConfig;
  readonly childlogdir: string;
  readonly identifier: string;
  /** Remove `ESC[…<letter>` sequences before logging (`[supervisord] strip_ansi`). @default false */
  readonly stripAnsi?: boolean;
  /**
   * Told when writing the log file starts to fail (a full disk); the output is lost until it
   * works again, and the daemon carries on (supervisord prints the error and carries on too).
   * Without it such errors are thrown.
   */
  readonly onWriteError?: (error: NodeJS.ErrnoException, path: string) => void;
}

// Supervisor's stripEscapes: ESC [ then anything up to a letter.
const ANSI = /\x1b\[[^A-Za-z]*[A-Za-z]/g;

/** `chunk` without its ANSI escape sequences (`[supervisord] strip_ansi`). */
export function stripAnsiEscapes(chunk: Buffer): Buffer {
  return Buffer.from(chunk.toString('latin1').replace(ANSI, ''), 'latin1');
}

const NEWLINE = 0x0a;

/**
 * `*_syslog=true`: each line of `chunk` to the system log as `<processName> <line>`, as
 * supervisord sends them: the chunk's trailing newlines dropped, then split at `\n` only (a `\r`
 * stays), blank lines inside included, an unfinished last line as it is; a chunk of newlines
 * alone is one blank line.
 */
function syslogLines(prefix: Buffer, chunk: Buffer): void {
  let end = chunk.length;
  while (end > 0 && chunk[end - 1] === NEWLINE) end--;
  for (let start = 0; ; ) {
    const newline = chunk.indexOf(NEWLINE, start);
    const stop = newline < 0 || newline > end ? end : newline;
    writeSyslog(Buffer.concat([prefix, chunk.subarray(start, stop)]));
    if (stop >= end) return;
    start = stop + 1;
  }
}

/**
 * One output channel of a process: its log file (AUTO names are created at construction, as
 * supervisord creates them when the group is added; the file is opened by the first spawn, see
 * {@link OutputChannel.ensureOpen}) and live listeners (tails, events). The
 * file write is synchronous, so logging never waits on a listener and never loses a byte.
 */
export class OutputChannel {
  readonly channel: 'stdout' | 'stderr';
  /** The resolved log path, or null for NONE. */
  readonly path: string | null;
  #file: RotatingFile | null = null;
  readonly #rotation: Omit<RotatingFileOptions, 'path'>;
  // Made on first use (a tail or a subscription): a Set costs some 150 bytes per channel.
  #listeners: Set<OutputListener> | null = null;
  readonly #stripAnsi: boolean;
  // `<processName> ` under `*_syslog=true`, else null.
  readonly #syslogPrefix: Buffer | null;

  constructor(options: OutputChannelOptions) {
    this.channel = options.channel;
    const target = options.config.logfile;
    this.path =
      target.kind === 'none'
        ? null
        : target.kind === 'file'
          ? target.path
          : createAutoLogFile({
              childlogdir: options.childlogdir,
              processName: options.processName,
              channel: options.channel,
              identifier: options.identifier,
            });
    const { onWriteError } = options;
    const path = this.path;
    this.#rotation = {
      maxBytes: options.config.logfileMaxBytes,
      backups: options.config.logfileBackups,
      onError: onWriteError && path !== null ? (error) => onWriteError(error, path) : undefined,
    };
    // Opened by the first spawn (ensureOpen), as supervisord opens a process's logs when it
    // spawns: until then an explicit path does not exist (`tail` answers NO_FILE), and a path the
    // daemon's user may not write fails that spawn, not the daemon. (An AUTO file exists from now
    // on, empty, as supervisord's.)
    this.#stripAnsi = options.stripAnsi ?? false;
    this.#syslogPrefix = options.config.syslog ? Buffer.from(`${options.processName} `) : null;
  }

  /**
   * Opens the log file unless it is open: a spawn calls it first. Returns why it cannot be
   * (`EACCES`, …), or null once it is open (or there is none): a spawn without its log fails, as
   * supervisord's "unknown error making dispatchers".
   */
  ensureOpen(): string | null {
    if (this.#file !== null || this.path === null) return null;
    try {
      this.#file = new RotatingFile({ path: this.path, ...this.#rotation });
      return null;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }

  /** Logs one chunk of child output, then hands it to the listeners. */
  write(chunk: Buffer): void {
    if (this.#stripAnsi) chunk = stripAnsiEscapes(chunk);
    this.#file?.write(chunk);
    if (this.#syslogPrefix !== null) syslogLines(this.#syslogPrefix, chunk);
    if (this.#listeners !== null) for (const listener of this.#listeners) listener(chunk);
  }

  /**
   * As {@link write}, but a small chunk's file write joins the others of this event-loop turn
   * (one writev at the end of the turn, same order, same rotation points); listeners get the
   * chunk now. `chunk` may be lent: it is copied where kept. Returns the bytes as logged (without
   * ANSI sequences under `stripAnsi`), for the main log's debug copy and PROCESS_LOG events, which
   * supervisord strips too; lent like `chunk`.
   */
  append(chunk: Buffer): Buffer {
    if (this.#stripAnsi) chunk = stripAnsiEscapes(chunk);
    this.#file?.append(chunk);
    if (this.#syslogPrefix !== null) syslogLines(this.#syslogPrefix, chunk);
    if (this.#listeners === null || this.#listeners.size === 0) return chunk;
    const owned = Buffer.from(chunk);
    for (const listener of this.#listeners) listener(owned);
    return chunk;
  }

  /** Writes what {@link append} queued now (before a state change others may act on). */
  flush(): void {
    this.#file?.flush();
  }

  /**
   * Bytes in the current log file once what is queued is written (this writes it, rotating if
   * due), as this writer knows it, without asking the file system; `null` without a log file.
   */
  get size(): number | null {
    return this.#file?.size ?? null;
  }

  /** Adds a listener; returns the function that removes it. */
  listen(listener: OutputListener): () => void {
    if (this.#listeners === null) this.#listeners = new Set();
    const listeners = this.#listeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return (this.#listeners?.size ?? 0) > 0;
  }

  clear(): void {
    this.#file?.clear();
  }

  reopen(): void {
    this.#file?.reopen();
  }

  close(): void {
    this.#file?.close();
  }
}
