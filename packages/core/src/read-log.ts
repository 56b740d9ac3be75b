import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { SupervisorError } from './errors.ts';

/**
 * Reads part of a log as `readProcessStdoutLog` does: offset ≥ 0 with length 0 reads to EOF,
 * length > 0 reads up to that many bytes; a negative offset with length 0 reads the last
 * `-offset` bytes. Throws BAD_ARGUMENTS for other combinations, NO_FILE when there is no file,
 * FAILED on an I/O error.
 * @example
 * readLog('/tmp/web.log', -1024, 0); // the last KiB, as text
 */
export function readLog(path: string | null, offset: number, length: number): string {
  if (path === null || !existsSync(path)) throw new SupervisorError('NO_FILE', path ?? 'None');
  if (offset < 0 ? length !== 0 : length < 0) throw new SupervisorError('BAD_ARGUMENTS');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new SupervisorError('FAILED', (error as Error).message);
  }
  try {
    const size = fstatSync(fd).size;
    const start = offset < 0 ? Math.max(0, size + offset) : offset;
    const end = offset < 0 || length === 0 ? size : Math.min(size, offset + length);
    return readRange(fd, start, end).toString('utf8');
  } catch (error) {
    throw new SupervisorError('FAILED', (error as Error).message);
  } finally {
    closeSync(fd);
  }
}

/** The result of {@link tailLog}: text, the offset to ask for next (the file size), overflow. */
export interface TailResult {
  readonly text: string;
  readonly offset: number;
  readonly overflow: boolean;
}

/**
 * Supervisor's `tailFile`: returns at most `length` bytes ending at the file's end when the file
 * has grown past `offset + length` (overflow), else the bytes from (about) `offset`. A missing
 * file gives `{ text: '', offset: 0 or the given offset, overflow: false }`.
 * @example
 * tailLog('/tmp/web.log', 0, 5); // { text: 'FGHI\n', offset: 20, overflow: true } for a 20-byte file
 */
export function tailLog(path: string | null, offset: number, length: number): TailResult {
  if (path === null) return { text: '', offset: 0, overflow: false };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { text: '', offset, overflow: false };
  }
  try {
    const size = fstatSync(fd).size;
    let overflow = false;
    if (size > offset + length) {
      overflow = true;
      offset = size - 1;
    }
    if (offset + length > size) {
      if (offset > size - 1) length = 0;
      offset = size - length;
    }
    if (offset < 0) offset = 0;
    if (length < 0) length = 0;
    const text = length === 0 ? '' : readRange(fd, offset, Math.min(size, offset + length)).toString('utf8');
    return { text, offset: size, overflow };
  } catch {
    return { text: '', offset, overflow: false };
  } finally {
    closeSync(fd);
  }
}

function readRange(fd: number, start: number, end: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, end - start));
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, start + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}
