// supervisor.http.tail_f_producer: the last `head` bytes of a file, then whatever is appended,
// polled; a new inode (rotation) is reopened and read from 0, a shrink reports the truncation.
import { type FileHandle, open, stat } from 'node:fs/promises';

/** Options of {@link followFile}. */
export interface FollowOptions {
  /** How many bytes before the end to start with. @default 1024 */
  readonly head?: number;
  /** Pause between checks when nothing new arrived. @default 100 */
  readonly pollMs?: number;
  /** Stops following. */
  readonly signal: AbortSignal;
  /** Receives each piece; following waits for it (back-pressure). */
  readonly write: (data: Buffer | string) => Promise<void>;
}

const TRUNCATED = '==> File truncated <==\n';
const READ_SIZE = 65_536;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Follows `path` until `signal` aborts; rejects when the file cannot be opened at the start.
 *
 * @example
 * await followFile('/var/log/app.log', { signal, write: async (d) => void process.stdout.write(d) });
 */
export async function followFile(path: string, options: FollowOptions): Promise<void> {
  const { head = 1024, pollMs = 100, signal, write } = options;
  let file: FileHandle = await open(path, 'r');
  try {
    let inode = (await file.stat()).ino;
    const size = (await file.stat()).size;
    let position = size >= head ? size - head : 0;
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    while (!signal.aborted) {
      try {
        const current = await stat(path);
        if (current.ino !== inode) {
          await file.close();
          file = await open(path, 'r');
          inode = (await file.stat()).ino;
          position = 0;
        }
      } catch {
        // unlinked: keep reading the open file
      }
      const newSize = (await file.stat()).size;
      if (newSize < position) {
        position = 0;
        await write(TRUNCATED);
      } else if (newSize > position) {
        const { bytesRead } = await file.read(buffer, 0, Math.min(READ_SIZE, newSize - position), position);
        if (bytesRead === 0) {
          await sleep(pollMs, signal);
          continue;
        }
        position += bytesRead;
        await write(Buffer.from(buffer.subarray(0, bytesRead)));
      } else {
        await sleep(pollMs, signal);
      }
    }
  } finally {
    await file.close().catch(() => {});
  }
}
