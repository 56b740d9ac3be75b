// Every constant of the native wire, in one place. See README.md "Wire format".

/**
 * The first bytes a native client sends: 0xC1 (a byte MessagePack never uses and no HTTP method
 * starts with), then `supctl`. One byte of protocol version follows.
 */
export const NATIVE_MAGIC: Uint8Array = Uint8Array.from([0xc1, 0x73, 0x75, 0x70, 0x63, 0x74, 0x6c]);

/** The native protocol version this package speaks. Bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** Magic plus the version byte. */
export const PREAMBLE_LENGTH = NATIVE_MAGIC.length + 1;

/** Each frame is a 4-byte big-endian length, then one MessagePack object of that many bytes. */
export const FRAME_HEADER_BYTES = 4;

/** What a server accepts from a client by default (requests are small). @default 8 MiB */
export const DEFAULT_SERVER_MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** What a client accepts from a server by default (whole log files can come back). @default 64 MiB */
export const DEFAULT_CLIENT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** The absolute upper bound of a frame (the length header is 32 bits). */
export const MAX_FRAME_BYTES_LIMIT = 0xffff_ffff;

/**
 * How often a client pings. The client gives up on a server silent for more than 2 intervals, the
 * server on a client silent for more than 3; each checks once per interval. @default 15000
 */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** How long a server waits for the preamble and hello. @default 10000 */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** The shortest heartbeat interval a server keeps to, whatever a client asks. @default 1000 */
export const DEFAULT_MIN_HEARTBEAT_MS = 1000;

/** Control methods of the native protocol (never part of the API contract). */
export const CONTROL = {
  /** Request, id 0, first frame: `{protocol, client, username?, password?, maxFrameBytes, heartbeatMs, records?}`. */
  hello: 'supctl.hello',
  /** Request → `true`; a heartbeat. */
  ping: 'supctl.ping',
  /** Notification `{stream}`: stop a stream; its final response follows. */
  cancel: 'supctl.cancel',
  /**
   * Notification `{stream}`: the client holds enough of this stream's items; the server sends no
   * more until `resume` (a few already on their way may still arrive). Flow control per stream:
   * other calls and streams on the connection go on.
   */
  pause: 'supctl.pause',
  /** Notification `{stream}`: send a paused stream's items again. */
  resume: 'supctl.resume',
  /** Push `{stream, value}`: one item of a stream. */
  item: 'supctl.item',
  /** Push `{code, name, message}`: a connection-level error; the server closes after it. */
  error: 'supctl.error',
} as const;

/**
 * Transport errors (not API faults). Negative codes, in JSON-RPC's reserved range, so they never
 * collide with Supervisor's fault numbers.
 */
export const PROTOCOL_ERRORS = {
  MALFORMED_FRAME: -32700,
  INVALID_REQUEST: -32600,
  UNAUTHORIZED: -32001,
  VERSION_MISMATCH: -32002,
  FRAME_TOO_LARGE: -32003,
  HANDSHAKE_TIMEOUT: -32004,
  HEARTBEAT_TIMEOUT: -32005,
  CONNECTION_LOST: -32006,
  CLOSED: -32007,
  SERVER_CLOSING: -32008,
  TOO_MANY_STREAMS: -32009,
} as const;

/** A transport error name: `'UNAUTHORIZED' | 'VERSION_MISMATCH' | …`. */
export type ProtocolErrorName = keyof typeof PROTOCOL_ERRORS;

/**
 * Which protocol a connection speaks, judged from its first bytes: `'native'` when they begin with
 * {@link NATIVE_MAGIC}'s first byte, `'unknown'` when nothing has arrived yet, else `'http'`. One
 * byte suffices, so a server can route a connection on its first chunk.
 *
 * @example
 * socket.once('data', (chunk) =>
 *   sniffProtocol(chunk) === 'native' ? rpc.handleConnection(socket, chunk) : http.handle(socket, chunk));
 */
export function sniffProtocol(firstBytes: Uint8Array): 'native' | 'http' | 'unknown' {
  if (firstBytes.length === 0) return 'unknown';
  return firstBytes[0] === NATIVE_MAGIC[0] ? 'native' : 'http';
}

/**
 * Whether a connection's first bytes are a native handshake (see {@link sniffProtocol}).
 *
 * @example
 * isNativeHandshake(Buffer.from('GET / HTTP/1.1\r\n')); // false
 */
export function isNativeHandshake(firstBytes: Uint8Array): boolean {
  return sniffProtocol(firstBytes) === 'native';
}

/** The 8 bytes a peer sends first: magic and version. */
export function encodePreamble(version: number = PROTOCOL_VERSION): Buffer {
  const preamble = Buffer.alloc(PREAMBLE_LENGTH);
  preamble.set(NATIVE_MAGIC, 0);
  preamble[NATIVE_MAGIC.length] = version;
  return preamble;
}

/** The version in a complete preamble, or `undefined` if the magic is wrong. */
export function parsePreamble(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < NATIVE_MAGIC.length; i++) if (bytes[i] !== NATIVE_MAGIC[i]) return undefined;
  return bytes[NATIVE_MAGIC.length];
}

/**
 * A transport failure: bad credentials, a version mismatch, a malformed or oversized frame, a lost
 * connection. `code` is the name, `number` the wire code.
 *
 * @example
 * if (error instanceof RpcProtocolError && error.code === 'UNAUTHORIZED') console.log('Server requires authentication');
 */
export class RpcProtocolError extends Error {
  override readonly name = 'RpcProtocolError';
  readonly code: ProtocolErrorName;
  readonly number: number;

  constructor(code: ProtocolErrorName, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.number = PROTOCOL_ERRORS[code];
  }

  /** The error envelope body. */
  toWire(): { code: number; name: string; message: string } {
    return { code: this.number, name: this.code, message: this.message };
  }
}

/** The name for a transport error code, or `undefined`. */
export function protocolErrorName(code: number): ProtocolErrorName | undefined {
  for (const [name, value] of Object.entries(PROTOCOL_ERRORS))
    if (value === code) return name as ProtocolErrorName;
  return undefined;
}
