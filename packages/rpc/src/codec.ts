import { Packr, RESERVE_START_SPACE } from 'msgpackr';
import { FRAME_HEADER_BYTES, RpcProtocolError } from './protocol.ts';

// Plain MessagePack by default, both ways: no records or shared structures, no msgpackr-only
// types, maps as objects (small maps as fixmaps), 64-bit ints as numbers; `undefined` goes out as
// nil so any MessagePack peer can read us. Records only for a peer that asks (recordsPackr).
const options = {
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
  mapsAsObjects: true,
  variableMapSize: true,
  encodeUndefinedAsNil: true,
  useFloat32: 0,
  int64AsType: 'number',
  copyBuffers: true,
} as const;
const packr = new Packr({ ...options, useRecords: false });
// For a peer that said it reads msgpackr records (see `encodeResultFrame`): each frame defines its
// record shapes inline, so every frame still decodes on its own (no structures shared across frames).
const recordsPackr = new Packr({ ...options, useRecords: true });

/**
 * One frame: a 4-byte big-endian length, then `value` as MessagePack.
 *
 * @example
 * socket.write(encodeFrame({ id: 1, method: 'supervisor.getState', params: [] }));
 */
export function encodeFrame(value: object): Buffer {
  return frameWith(packr, value);
}

function frameWith(packer: Packr, value: object): Buffer {
  // msgpackr leaves room for the header in its own buffer, so the body is never copied. The slice
  // stays valid: msgpackr only ever writes past what it has already handed out.
  const frame = packer.pack(value, RESERVE_START_SPACE | FRAME_HEADER_BYTES);
  frame.writeUInt32BE(frame.length - FRAME_HEADER_BYTES, 0);
  return frame;
}

// Results registered with cacheEncoding, with each encoding once a response has made it.
interface Encodings {
  plain?: Buffer;
  records?: Buffer;
}
const encodings = new WeakMap<object, Encodings>();

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}

/**
 * Freezes `value` deeply and lets the native server encode it once: while a handler keeps
 * returning this same object, each response reuses its bytes. For a large result that stays the
 * same across many calls (supd's `getAllProcessInfo` within one second). Returns `value`.
 *
 * @example
 * let rows = cacheEncoding(buildRows());
 * const api = { 'supervisor.getAllProcessInfo': () => (changed() ? (rows = cacheEncoding(buildRows())) : rows) };
 */
export function cacheEncoding<T extends object>(value: T): T {
  deepFreeze(value);
  if (!encodings.has(value)) encodings.set(value, {});
  return value;
}

/**
 * The response frame `{id, result}`; a result registered with {@link cacheEncoding} is encoded
 * only the first time. With `records` (the peer said in its hello that it reads msgpackr records),
 * an array result is written with records: a list of same-shaped structs (`getAllProcessInfo`)
 * then names its keys once instead of in every row, which makes it about 45% smaller and three
 * times faster to decode. Anything else stays plain MessagePack.
 */
export function encodeResultFrame(id: number, result: unknown, records = false): Buffer {
  const withRecords = records && Array.isArray(result);
  const cached = typeof result === 'object' && result !== null ? encodings.get(result) : undefined;
  if (cached === undefined && !withRecords) return frameWith(packr, { id, result });
  let body: Uint8Array;
  if (cached === undefined) {
    body = recordsPackr.pack(result);
  } else {
    const key = withRecords ? 'records' : 'plain';
    body = cached[key] ??= Buffer.from((withRecords ? recordsPackr : packr).pack(result));
  }
  // A plain `{id, result: nil}` with the nil replaced by the result's bytes (which define their
  // own records, if any): the map the plain path writes, whichever way the result was encoded.
  const head = packr.pack({ id, result: null });
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + head.length - 1 + body.length);
  frame.writeUInt32BE(frame.length - FRAME_HEADER_BYTES, 0);
  frame.set(head.subarray(0, head.length - 1), FRAME_HEADER_BYTES);
  frame.set(body, FRAME_HEADER_BYTES + head.length - 1);
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
 * `maxFrameBytes` throws FRAME_TOO_LARGE before any of the body is buffered. The decoder copies
 * whatever it keeps, so a caller may reuse the chunk's memory once `feed` returns (a socket's
 * `onread` buffer); frames handed to `onFrame` are valid only during that call.
 *
 * @example
 * const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
 * socket.on('data', (chunk) => { for (const frame of decoder.push(chunk)) handle(frame); });
 */
export class FrameDecoder {
  /** The largest frame body accepted; it may be raised between chunks (after a handshake). */
  maxFrameBytes: number;
  // Copies of the bytes of an incomplete frame, and their total.
  #parts: Buffer[] = [];
  #held = 0;
  // Header plus body length of the incomplete frame, once its header is in; else 0.
  #need = 0;

  constructor(options: { maxFrameBytes: number }) {
    this.maxFrameBytes = options.maxFrameBytes;
  }

  /** Bytes held back, waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.#held;
  }

  /** Adds a chunk and returns every frame it completes, decoded. */
  push(chunk: Uint8Array): Record<string, unknown>[] {
    const frames: Record<string, unknown>[] = [];
    this.feed(chunk, (body) => frames.push(decodeFrameBody(body)));
    return frames;
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
    let bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.#held > 0) {
      const total = this.#held + bytes.length;
      // Still short of the header or of the frame: keep a copy; join only once, when complete.
      if (total < (this.#need === 0 ? FRAME_HEADER_BYTES : this.#need)) {
        this.#keep(bytes);
        return;
      }
      this.#parts.push(bytes);
      bytes = Buffer.concat(this.#parts, total);
      this.#parts = [];
      this.#held = 0;
    }
    this.#need = 0;
    let offset = 0;
    while (bytes.length - offset >= FRAME_HEADER_BYTES) {
      const length = bytes.readUInt32BE(offset);
      if (length > this.maxFrameBytes) {
        throw new RpcProtocolError(
          'FRAME_TOO_LARGE',
          `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes`,
        );
      }
      const end = offset + FRAME_HEADER_BYTES + length;
      if (end > bytes.length) {
        this.#need = FRAME_HEADER_BYTES + length;
        break;
      }
      onFrame(bytes.subarray(offset + FRAME_HEADER_BYTES, end));
      offset = end;
    }
    if (offset < bytes.length) this.#keep(bytes.subarray(offset));
  }

  #keep(bytes: Buffer): void {
    this.#parts.push(Buffer.from(bytes));
    this.#held += bytes.length;
  }
}
