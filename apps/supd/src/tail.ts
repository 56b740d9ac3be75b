// supctl.tail: a process log from an offset, then (following) what the process writes next.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ManagedProcess } from '@supctl/core';
import {
  createPushStream,
  Fault,
  type LogChunk,
  type PushStream,
  type StreamContext,
  type TailOptions,
} from '@supctl/rpc';

// The most log bytes one tail chunk carries: 64 KiB, or less for a client whose frame limit is
// smaller. A character cut at the edge moves to the next chunk, so a chunk's text can be 3 bytes
// more, and a byte that is not UTF-8 becomes U+FFFD (3 bytes): a third of the limit, less room
// for the frame around the text, always fits.
const MAX_CHUNK_BYTES = 64 * 1024;
const FRAME_ROOM = 128;

function chunkBytes(ctx: StreamContext): number {
  if (ctx.maxFrameBytes === undefined) return MAX_CHUNK_BYTES;
  return Math.max(16, Math.min(MAX_CHUNK_BYTES, Math.floor((ctx.maxFrameBytes - FRAME_ROOM) / 3)));
}

// The first read takes the file this much at a time, as the client asks for more.
const READ_BYTES = 64 * 1024;

// Followed output held for a client that is slow or has paused the stream; past it the oldest is
// dropped, and the chunks' offsets show the gap (the log file itself has every byte).
const FOLLOW_BUFFER_BYTES = 16 * 1024 * 1024;

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

function readBytes(fd: number, start: number, end: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, end - start));
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, start + done);
    if (n === 0) return buffer.subarray(0, done); // truncated meanwhile
    done += n;
  }
  return buffer;
}

// The first byte of the character that holds `offset`: back over continuation bytes to their
// lead (at most 3), or `offset` itself when there is none (stray bytes).
function characterStart(fd: number, offset: number): number {
  if (offset === 0) return 0;
  const from = Math.max(0, offset - 3);
  const bytes = readBytes(fd, from, offset + 1);
  let at = offset - from; // the byte at `offset`, if the file has it
  if (at >= bytes.length || bytes[at]! >> 6 !== 0b10) return offset;
  while (at > 0 && bytes[at]! >> 6 === 0b10) at--;
  return bytes[at]! >> 6 === 0b11 ? from + at : offset;
}

// Followed output as the channel wrote it, and where it ends in the file as it is then.
interface Segment {
  readonly bytes: Buffer;
  readonly end: number;
}

// Splits `bytes` (ending at `end` in the file) into chunks of at most `size` bytes.
function* pieces(text: Utf8Splitter, bytes: Buffer, end: number, size: number): Generator<LogChunk> {
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    const data = text.write(piece);
    const after = end - (bytes.length - at - piece.length);
    if (data) yield { data, offset: Math.max(0, after - text.held) };
  }
}

// An open log file that can be closed more than once.
class LogFile {
  #fd: number | null;

  constructor(path: string) {
    this.#fd = openSync(path, 'r');
  }

  get fd(): number | null {
    return this.#fd;
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}

// The first read, pulled from `file` as the client takes it, then the followed segments.
async function* chunks(
  file: LogFile,
  first: { start: number; end: number },
  live: PushStream<Segment>,
  size: number,
): AsyncGenerator<LogChunk> {
  const text = new Utf8Splitter();
  try {
    for (let at = first.start; at < first.end && file.fd !== null; ) {
      const bytes = readBytes(file.fd, at, Math.min(first.end, at + READ_BYTES));
      if (bytes.length === 0) break;
      at += bytes.length;
      yield* pieces(text, bytes, at, size);
    }
    file.close();
    for await (const segment of live) yield* pieces(text, segment.bytes, segment.end, size);
  } finally {
    file.close();
    live.end();
  }
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
  if (path === null) throw new Fault('NO_FILE', 'None');
  const out = channel === 'stdout' ? p.stdout : (p.stderr ?? p.stdout);
  // Output of this event-loop turn may still wait for its (batched) write, though its listeners
  // have run: write it now, or it would be in neither the first read nor the followed chunks.
  out.flush();
  // Open the file and listen in this one synchronous step, so no output falls between the first
  // read (up to the size seen now, from this descriptor, which a rotation does not move) and the
  // followed segments. The segments are queued as written and split as the client takes them.
  let file: LogFile;
  try {
    file = new LogFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Fault('NO_FILE', path);
    throw new Fault('FAILED', (error as Error).message);
  }
  let size: number;
  let start: number;
  try {
    size = fstatSync(file.fd!).size;
    const requested = options.offset ?? -1600;
    start = characterStart(
      file.fd!,
      requested < 0 ? Math.max(0, size + requested) : Math.min(requested, size),
    );
  } catch (error) {
    file.close();
    throw new Fault('FAILED', (error as Error).message);
  }
  // A stream cancelled before its first read never runs the generator's `finally`.
  ctx.signal.addEventListener('abort', () => file.close(), { once: true });
  let stop = () => {};
  const live = createPushStream<Segment>({
    signal: ctx.signal,
    highWaterMark: FOLLOW_BUFFER_BYTES,
    sizeOf: (segment) => segment.bytes.length,
    onEnd: () => stop(),
  });
  const first = { start, end: size };
  if (options.follow === false) live.end();
  else {
    stop = out.listen((chunk) => {
      // The channel writes a chunk before it calls listeners, but small ones wait for the end of
      // the turn: `size` writes it now (rotating the file if due) and gives where it ends.
      // Listeners get their own copy of a chunk (OutputChannel.append), so it can be kept.
      size = out.size ?? size + chunk.length;
      live.push({ bytes: chunk, end: size });
    });
  }
  return chunks(file, first, live, chunkBytes(ctx));
}
