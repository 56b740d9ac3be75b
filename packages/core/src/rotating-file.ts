import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
  writevSync,
} from 'node:fs';

// Chunks this large are written as they come; smaller ones are copied (from Node's buffer
// pool, cheaply) and joined into one writev per event-loop turn.
const DIRECT_WRITE_BYTES = 8 * 1024;

/** Options of a {@link RotatingFile}. */
export interface RotatingFileOptions {
  readonly path: string;
  /** Rotate once the file reaches this size after a write; 0 = never. @default 0 */
  readonly maxBytes?: number;
  /** Backups kept (`.1` newest … `.N`); 0 = truncate instead of rotating. @default 0 */
  readonly backups?: number;
  /**
   * Where errors of writing, rotating and reopening go (a full disk: ENOSPC), instead of being
   * thrown: once each time writing starts to fail, not for every write that fails after. What
   * could not be written is lost; the next write tries again. Without it they are thrown.
   */
  readonly onError?: (error: NodeJS.ErrnoException) => void;
}

/**
 * A log file opened for append that rotates like Supervisor's handlers: after each write, if the
 * size is ≥ maxBytes, `.N-1`→`.N` … base→`.1` and a fresh base file is opened (or, with no
 * backups, the file is truncated). Writes are synchronous so that no byte is lost or reordered,
 * and a write is never split across files (maxBytes is a soft limit). {@link append} batches the
 * chunks of one event-loop turn into one writev(2), with the same rotation points.
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
  #pending: Uint8Array[] = [];
  #flushScheduled = false;
  readonly #onError: ((error: NodeJS.ErrnoException) => void) | undefined;
  // The code of the failure being reported (ENOSPC, …) until a write succeeds again.
  #failing: string | null = null;

  constructor(options: RotatingFileOptions) {
    this.path = options.path;
    this.maxBytes = options.maxBytes ?? 0;
    this.backups = options.backups ?? 0;
    this.#onError = options.onError;
    this.#fd = this.#open();
  }

  // Runs `action` (one public operation, which calls only private ones), handing what it throws
  // to onError if given: once per failure, that is until an operation completes without one.
  #guard(action: () => void): void {
    if (this.#onError === undefined) {
      action();
      return;
    }
    try {
      action();
      this.#failing = null;
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const code = e.code ?? e.message;
      if (this.#failing !== code) this.#onError(e);
      this.#failing = code;
    }
  }

  /** Bytes in the current base file, as far as this writer knows (after flushing). */
  get size(): number {
    this.flush();
    return this.#size;
  }

  /** Appends `chunk` completely, then rotates if due. */
  write(chunk: Uint8Array): void {
    this.flush();
    this.#guard(() => {
      this.#writeAll([chunk], chunk.length);
      if (this.maxBytes > 0 && this.#size >= this.maxBytes) this.#rotate();
    });
  }

  /**
   * Queues a copy of a small `chunk` to be written at the end of this event-loop turn
   * (setImmediate), together with the other chunks of the turn in one writev(2); a large one is
   * written at once (after what is queued), which spares the copy. Rotation is checked after
   * each chunk, as with {@link write}; every other method flushes first, so order is kept.
   * `chunk` may be reused by the caller once this returns.
   */
  append(chunk: Uint8Array): void {
    if (chunk.length >= DIRECT_WRITE_BYTES) {
      this.write(chunk);
      return;
    }
    this.#pending.push(Buffer.from(chunk));
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.flush();
    });
  }

  /** Writes the chunks queued by {@link append} now. */
  flush(): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    this.#guard(() => this.#flushChunks(pending));
  }

  #flushChunks(pending: Uint8Array[]): void {
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < pending.length; i++) {
      bytes += pending[i]!.length;
      if (this.maxBytes > 0 && this.#size + bytes >= this.maxBytes) {
        this.#writeAll(pending.slice(start, i + 1), bytes);
        this.#rotate();
        start = i + 1;
        bytes = 0;
      }
    }
    if (start < pending.length) this.#writeAll(start === 0 ? pending : pending.slice(start), bytes);
  }

  /** Rotates now (Supervisor's doRollover). */
  rotate(): void {
    this.flush();
    this.#guard(() => this.#rotate());
  }

  #rotate(): void {
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
    this.flush();
    this.#guard(() => {
      this.#closeFd();
      this.#fd = this.#open();
    });
  }

  /**
   * Removes the base file and starts a new empty one (Supervisor's `clear`). Unlike writes, its
   * failure is thrown even with `onError`: the caller (an RPC) reports it.
   */
  clear(): void {
    this.flush();
    this.#closeFd();
    rmSync(this.path, { force: true });
    this.#fd = this.#open();
  }

  close(): void {
    this.flush();
    this.#closeFd();
  }

  // Writes `chunks` (`bytes` in all) completely; writev may stop short (IOV_MAX, a full disk).
  #writeAll(chunks: Uint8Array[], bytes: number): void {
    if (this.#fd === null) this.#fd = this.#open();
    let written = chunks.length === 1 ? 0 : writevSync(this.#fd, chunks.slice(0, 1024));
    let skipped = 0;
    for (const chunk of chunks) {
      if (written >= skipped + chunk.length) {
        skipped += chunk.length;
        continue;
      }
      let offset = Math.max(0, written - skipped);
      while (offset < chunk.length) offset += writeSync(this.#fd, chunk, offset, chunk.length - offset);
      skipped += chunk.length;
      written = skipped;
    }
    this.#size += bytes;
  }

  #open(): number {
    const fd = openSync(this.path, 'a', 0o666);
    this.#size = fstatSync(fd).size;
    return fd;
  }

  // The descriptor is forgotten before close: Linux releases it even when close reports an error
  // (NFS: EIO, EDQUOT), and the number may soon belong to something else.
  #closeFd(): void {
    const fd = this.#fd;
    this.#fd = null;
    if (fd !== null) closeSync(fd);
  }
}
