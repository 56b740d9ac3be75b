import { type EventHeader, parseEventHeader } from './envelope.ts';
import { EventProtocolError } from './protocol-error.ts';

/** One event as a listener reads it from its stdin: the parsed header and the payload text. */
export interface ReceivedEnvelope {
  readonly header: EventHeader;
  readonly payload: string;
}

/**
 * The listener side of the wire: splits what supervisord writes to a listener's stdin into
 * envelopes, for any chunking. Bytes are decoded as UTF-8 across chunk boundaries and `len` is
 * counted in code points, as supervisord writes it. Feed it either bytes or strings, not both.
 *
 * A malformed header line throws {@link EventProtocolError}; the envelopes completed earlier in the
 * same chunk are returned first, and the error is thrown by the next `push` or by `end`. The bad
 * line is dropped once the error has been thrown.
 *
 * @example
 * const parser = new EventEnvelopeParser();
 * parser.push('ver:3.0 server:supervisor serial:15 pool:p poolserial:0 eventname:TICK_5 len:15\nwhen:');
 * // []
 * parser.push('1795497550');
 * // [{ header: { …, eventName: 'TICK_5', len: 15 }, payload: 'when:1795497550' }]
 */
export class EventEnvelopeParser {
  #text = '';
  #header: EventHeader | undefined;
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  /** Feeds a chunk and returns every envelope it completes, in order. */
  push(chunk: Uint8Array | string): ReceivedEnvelope[] {
    this.#text += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    const envelopes: ReceivedEnvelope[] = [];
    for (;;) {
      if (this.#header === undefined) {
        const newline = this.#text.indexOf('\n');
        if (newline === -1) break;
        let header: EventHeader;
        try {
          header = parseEventHeader(this.#text.slice(0, newline));
        } catch (error) {
          // Hand back what came before the bad line; the next call reports it.
          if (envelopes.length > 0) return envelopes;
          this.#text = this.#text.slice(newline + 1);
          throw error;
        }
        this.#header = header;
        this.#text = this.#text.slice(newline + 1);
      }
      const end = codePointEnd(this.#text, this.#header.len);
      if (end === -1) break;
      envelopes.push({ header: this.#header, payload: this.#text.slice(0, end) });
      this.#text = this.#text.slice(end);
      this.#header = undefined;
    }
    return envelopes;
  }

  /**
   * Declares the end of the stream and returns the envelopes still pending. Throws
   * {@link EventProtocolError} if the stream stopped inside an envelope (like `push`, only once the
   * envelopes before the problem have been returned).
   */
  end(): ReceivedEnvelope[] {
    const envelopes = this.push(this.#decoder.decode());
    if (envelopes.length > 0 || (this.#text === '' && this.#header === undefined)) return envelopes;
    const partial = this.#text;
    const where =
      this.#header === undefined ? 'a header line' : `the payload of serial ${this.#header.serial}`;
    this.#text = '';
    this.#header = undefined;
    throw new EventProtocolError(`event stream ended inside ${where}`, partial);
  }
}

// Index just past the first `count` code points of `text`, or -1 if it does not hold that many yet.
// A high surrogate at the very end may still be joined by a low one, so it is not counted yet.
function codePointEnd(text: string, count: number): number {
  let index = 0;
  for (let seen = 0; seen < count; seen++) {
    if (index >= text.length) return -1;
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (index + 1 >= text.length) return -1;
      const next = text.charCodeAt(index + 1);
      index += next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    } else {
      index += 1;
    }
  }
  return index;
}
