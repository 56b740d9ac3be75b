import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';

/** Options of a {@link RotatingFile}. */
export interface RotatingFileOptions {
  readonly path: string;
  /** Rotate once the file reaches this size after a write; 0 = never. @default 0 */
  readonly maxBytes?: number;
  /** Backups kept (`.1` newest … `.N`); 0 = truncate instead of rotating. @default 0 */
  readonly backups?: number;
}

/**
 * A log file opened for append that rotates like Supervisor's handlers: after each write, if the
 * size is ≥ maxBytes, `.N-1`→`.N` … base→`.1` and a fresh base file is opened (or, with no
 * backups, the file is truncated). Writes are synchronous so that no byte is lost or reordered,
 * and a write is never split across files (maxBytes is a soft limit).
 * @example
 * const log = new RotatingFile({ path: '/tmp/a.log', maxBytes: 1024, backups: 2 });
 * log.write(Buffer.from('hello\n'));
 * log.close();
 */
export class RotatingFile {
  readonly path: string;
  readonly maxBytes: number;
  readonly backups: number;
  #fd: number | null;
  #size = 0;

  constructor(options: RotatingFileOptions) {
    this.path = options.path;
    this.maxBytes = options.maxBytes ?? 0;
    this.backups = options.backups ?? 0;
    this.#fd = this.#open();
  }

  /** Bytes in the current base file, as far as this writer knows. */
  get size(): number {
    return this.#size;
  }

  /** Appends `chunk` completely, then rotates if due. */
  write(chunk: Uint8Array): void {
    if (this.#fd === null) this.#fd = this.#open();
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.#fd, chunk, offset, chunk.length - offset);
    this.#size += chunk.length;
    if (this.maxBytes > 0 && this.#size >= this.maxBytes) this.rotate();
  }

  /** Rotates now (Supervisor's doRollover). */
  rotate(): void {
    if (this.backups <= 0) {
      if (this.#fd !== null) ftruncateSync(this.#fd, 0);
      this.#size = 0;
      return;
    }
    this.#closeFd();
    for (let i = this.backups - 1; i > 0; i--) {
      const from = `${this.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
    }
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.1`);
    this.#fd = this.#open();
  }

  /** Closes and opens the path again (after an external logrotate moved it). */
  reopen(): void {
    this.#closeFd();
    this.#fd = this.#open();
  }

  /** Removes the base file and starts a new empty one (Supervisor's `clear`). */
  clear(): void {
    this.#closeFd();
    rmSync(this.path, { force: true });
    this.#fd = this.#open();
  }

  close(): void {
    this.#closeFd();
  }

  #open(): number {
    const fd = openSync(this.path, 'a', 0o666);
    this.#size = fstatSync(fd).size;
    return fd;
  }

  #closeFd(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}
