// Capture mode (`*_capture_maxbytes > 0`): output between the BEGIN and END tokens becomes a
// PROCESS_COMMUNICATION event instead of log data. A port of supervisord's
// OutputDispatcher.record_output, quirks included.

/** Start of captured data. */
export const CAPTURE_BEGIN_TOKEN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
/** End of captured data. */
export const CAPTURE_END_TOKEN = Buffer.from('<!--XSUPERVISOR:END-->');

/** Where a {@link CaptureParser} sends what it separates. */
export interface CaptureSinks {
  /** Bytes for the normal log. */
  readonly log: (data: Buffer) => void;
  /** The captured bytes, at each END token. */
  readonly communicate: (data: Buffer) => void;
  /**
   * Each piece of output as it goes into the capture buffer. supervisord still treats it as
   * output (PROCESS_LOG events, the main log's debug copy), only not for the log file.
   */
  readonly captured?: (data: Buffer) => void;
}

/**
 * Splits one pipe's output into log data and captured messages. As in supervisord, pending
 * bytes are only processed once there are more of them than the token being looked for (so a
 * short trailing fragment is held, and lost at EOF), and the capture buffer keeps at most
 * `maxBytes`, dropping as many bytes from its front as a write adds.
 */
export class CaptureParser {
  readonly #maxBytes: number;
  readonly #sinks: CaptureSinks;
  #pending: Buffer = Buffer.alloc(0);
  #capturing = false;
  #captured: Buffer = Buffer.alloc(0);

  constructor(maxBytes: number, sinks: CaptureSinks) {
    this.#maxBytes = maxBytes;
    this.#sinks = sinks;
  }

  feed(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    for (;;) {
      const token = this.#capturing ? CAPTURE_END_TOKEN : CAPTURE_BEGIN_TOKEN;
      if (this.#pending.length <= token.length) return;
      const data = this.#pending;
      this.#pending = Buffer.alloc(0);
      const at = data.indexOf(token);
      if (at === -1) {
        const keep = prefixAtEnd(data, token);
        this.#pending = data.subarray(data.length - keep);
        this.#write(data.subarray(0, data.length - keep));
        return;
      }
      this.#write(data.subarray(0, at));
      this.#toggle();
      const after = data.subarray(at + token.length);
      this.#pending = after;
      if (after.length === 0) return;
    }
  }

  #write(data: Buffer): void {
    if (data.length === 0) return;
    if (!this.#capturing) {
      this.#sinks.log(data);
      return;
    }
    this.#sinks.captured?.(data);
    let buf = this.#captured;
    if (buf.length + data.length > this.#maxBytes) buf = buf.subarray(data.length);
    this.#captured = Buffer.concat([buf, data]);
  }

  #toggle(): void {
    this.#capturing = !this.#capturing;
    if (!this.#capturing) {
      const data = this.#captured;
      this.#captured = Buffer.alloc(0);
      this.#sinks.communicate(data);
    }
  }
}

// Length of the longest proper prefix of `token` that `data` ends with (supervisord's
// find_prefix_at_end).
function prefixAtEnd(data: Buffer, token: Buffer): number {
  for (let n = Math.min(token.length - 1, data.length); n > 0; n--) {
    if (data.subarray(data.length - n).equals(token.subarray(0, n))) return n;
  }
  return 0;
}
