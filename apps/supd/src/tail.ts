// supctl.tail: a process log from an offset, then (following) what the process writes next.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { ManagedProcess } from '@supctl/core';
import { createPushStream, Fault, type LogChunk, type StreamContext, type TailOptions } from '@supctl/rpc';

// How many bytes at the end of `bytes` start a UTF-8 character that is not complete yet (0-3).
// Invalid bytes are not held: they decode to U+FFFD, as anyone reading the file sees them.
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if (b >> 6 === 0b10) continue; // a continuation byte: its lead is further back
    const length = b >> 5 === 0b110 ? 2 : b >> 4 === 0b1110 ? 3 : b >> 3 === 0b11110 ? 4 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * Decodes a byte stream as UTF-8 without splitting a character: the start of one whose rest has
 * not come yet is held for the next `write`. `held` says how many bytes that is, so offsets can
 * count only the bytes whose text went out.
 */
class Utf8Splitter {
  #held: Buffer = Buffer.alloc(0);

  get held(): number {
    return this.#held.length;
  }

  write(chunk: Buffer): string {
    const bytes = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk]);
    const end = bytes.length - incompleteTail(bytes);
    this.#held = Buffer.from(bytes.subarray(end));
    return bytes.toString('utf8', 0, end);
  }
}

function readBytes(path: string, start: number, end: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, end - start));
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < buffer.length) {
      const n = readSync(fd, buffer, done, buffer.length - done, start + done);
      if (n === 0) return buffer.subarray(0, done);
      done += n;
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
}

// The first byte of the character that holds `offset`: back over continuation bytes to their
// lead (at most 3), or `offset` itself when there is none (stray bytes).
function characterStart(path: string, offset: number): number {
  if (offset === 0) return 0;
  const from = Math.max(0, offset - 3);
  const bytes = readBytes(path, from, offset + 1);
  let at = offset - from; // the byte at `offset`, if the file has it
  if (at >= bytes.length || bytes[at]! >> 6 !== 0b10) return offset;
  while (at > 0 && bytes[at]! >> 6 === 0b10) at--;
  return bytes[at]! >> 6 === 0b11 ? from + at : offset;
}

/**
 * The stream behind `supctl.tail`. Each chunk's offset is where it ends in the log file as it is
 * now: after a rotation or a clear that is a position in the new file, so resuming from it
 * neither skips nor repeats output. Chunks hold whole characters; a character's first bytes wait
 * for the rest, and the offset counts only bytes whose text was sent.
 */
export function tailProcessLog(
  p: ManagedProcess,
  options: TailOptions,
  ctx: StreamContext,
): AsyncIterable<LogChunk> {
  const channel = options.channel === 'stderr' ? 'stderr' : 'stdout';
  const i = p.info();
  const path = channel === 'stdout' ? i.stdoutLogfile : i.stderrLogfile;
  if (path === null || !existsSync(path)) throw new Fault('NO_FILE', path ?? 'None');
  const out = channel === 'stdout' ? p.stdout : (p.stderr ?? p.stdout);
  let stop = () => {};
  const queue = createPushStream<LogChunk>({ signal: ctx.signal, onEnd: () => stop() });
  const text = new Utf8Splitter();
  const push = (bytes: Buffer, end: number) => {
    const data = text.write(bytes);
    if (data) queue.push({ data, offset: Math.max(0, end - text.held) });
  };
  // Output of this event-loop turn may still wait for its (batched) write, though its listeners
  // have run: write it now, or it would be in neither the first read nor the followed chunks.
  out.flush();
  // Read the file, then listen: both happen in this one synchronous step, so no output can
  // fall between them.
  let size = statSync(path).size;
  const requested = options.offset ?? -1600;
  const start = characterStart(
    path,
    requested < 0 ? Math.max(0, size + requested) : Math.min(requested, size),
  );
  // Exactly the bytes up to the size seen now; later output arrives through the listener.
  if (size > start) push(readBytes(path, start, size), size);
  if (options.follow === false) {
    queue.end();
    return queue;
  }
  stop = out.listen((chunk) => {
    // The channel writes a chunk before it calls listeners, but small ones wait for the end of
    // the turn: write it now (rotating the file if due), so the file's size is where it ends.
    out.flush();
    size = statSync(path, { throwIfNoEntry: false })?.size ?? size + chunk.length;
    push(chunk, size);
  });
  return queue;
}
