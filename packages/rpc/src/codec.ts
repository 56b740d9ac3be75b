import { Packr } from 'msgpackr';
import { FRAME_HEADER_BYTES, RpcProtocolError } from './protocol.ts';

// Plain MessagePack both ways: no records or shared structures, no msgpackr-only types, maps as
// objects (small maps as fixmaps), 64-bit ints as numbers; `undefined` goes out as nil so any MessagePack peer can read us.
const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
  mapsAsObjects: true,
  variableMapSize: true,
  encodeUndefinedAsNil: true,
  useFloat32: 0,
  int64AsType: 'number',
  copyBuffers: true,
});

/**
 * One frame: a 4-byte big-endian length, then `value` as MessagePack.
 *
 * @example
 * socket.write(encodeFrame({ id: 1, method: 'supervisor.getState', params: [] }));
 */
export function encodeFrame(value: object): Buffer {
  const body = packr.pack(value);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** A map decoded from MessagePack (not an array, buffer, nil or msgpackr's 0xC1 marker). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Decodes one frame body; a body that is not exactly one MessagePack object is MALFORMED_FRAME. */
export function decodeFrameBody(body: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = packr.unpack(body);
  } catch (error) {
    throw new RpcProtocolError(
      'MALFORMED_FRAME',
      `malformed MessagePack frame: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!isPlainObject(value)) {
    throw new RpcProtocolError('MALFORMED_FRAME', 'malformed frame: expected a MessagePack map');
  }
  return value as Record<string, unknown>;
}

/**
 * Splits a byte stream into frames, keeping an incomplete tail between chunks. A length above
 * `maxFrameBytes` throws FRAME_TOO_LARGE before any of the body is buffered.
 *
 * @example
 * const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
 * socket.on('data', (chunk) => { for (const frame of decoder.push(chunk)) handle(frame); });
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;

  constructor(options: { maxFrameBytes: number }) {
    this.maxFrameBytes = options.maxFrameBytes;
  }

  /** Bytes held back, waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Adds a chunk and returns every frame it completes, decoded. */
  push(chunk: Uint8Array): Record<string, unknown>[] {
    return this.pushRaw(chunk).map(decodeFrameBody);
  }

  /** Adds a chunk and returns the bodies of every frame it completes. */
  pushRaw(chunk: Uint8Array): Buffer[] {
    const frames: Buffer[] = [];
    this.feed(chunk, (body) => frames.push(body));
    return frames;
  }

  /**
   * Adds a chunk and hands each completed frame body to `onFrame`, in order; a bad length throws
   * after the frames before it were handed over.
   */
  feed(chunk: Uint8Array, onFrame: (body: Buffer) => void): void {
    if (chunk.length === 0) return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    this.#chunks.push(bytes);
    this.#buffered += bytes.length;
    for (;;) {
      if (this.#buffered < FRAME_HEADER_BYTES) break;
      const head = this.#peekHeader();
      if (head > this.maxFrameBytes) {
        throw new RpcProtocolError(
          'FRAME_TOO_LARGE',
          `frame of ${head} bytes exceeds the limit of ${this.maxFrameBytes} bytes`,
        );
      }
      const total = FRAME_HEADER_BYTES + head;
      if (this.#buffered < total) break;
      // Join only when the frame is complete, so a large frame in many chunks is copied once.
      const joined =
        this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
      const rest = joined.subarray(total);
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#buffered = rest.length;
      onFrame(joined.subarray(FRAME_HEADER_BYTES, total));
    }
  }

  #peekHeader(): number {
    const first = this.#chunks[0]!;
    if (first.length >= FRAME_HEADER_BYTES) return first.readUInt32BE(0);
    return Buffer.concat(this.#chunks, this.#buffered).readUInt32BE(0);
  }
}
