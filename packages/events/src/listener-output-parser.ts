import { pythonBytesRepr } from './decode-data.ts';
import type { EventListenerStateName } from './listener-states.ts';

/** What a result handler decides about a listener's result body. */
export type ResultVerdict = 'processed' | 'rejected';

/**
 * Decides whether a listener's result accepts the event. Throwing counts as Supervisor's "event
 * caused an error": the listener goes UNKNOWN and the event is rejected.
 */
export type ResultHandler = (result: Uint8Array) => ResultVerdict;

/**
 * Supervisor's `supervisor.dispatchers:default_handler`: the event was processed if the result is
 * exactly `OK`, and is rejected (and redelivered) for anything else, `FAIL` included.
 *
 * @example
 * defaultResultHandler(new TextEncoder().encode('OK')); // 'processed'
 * defaultResultHandler(new TextEncoder().encode('ok')); // 'rejected'
 */
export function defaultResultHandler(result: Uint8Array): ResultVerdict {
  return result.length === 2 && result[0] === 0x4f && result[1] === 0x4b ? 'processed' : 'rejected';
}

/**
 * Why a listener entered UNKNOWN:
 * - `not-ready`: its first 6 bytes after a spawn or a result were not `READY\n`;
 * - `output-while-ready`: it wrote anything while READY (before it was sent an event);
 * - `bad-result-line`: its result line did not end in an integer (`int(line[7:])` failed);
 * - `handler-error`: the result handler threw.
 */
export type ListenerViolation = 'not-ready' | 'output-while-ready' | 'bad-result-line' | 'handler-error';

/**
 * One listener state change found in its stdout. Every output is a state change (`from` → `to`);
 * supervisord logs each at debug as `<proc>: <from> -> <to>`, and each entry into UNKNOWN also at
 * warn as `<proc>: has entered the UNKNOWN state and will no longer receive events, this usually
 * indicates the process violated the eventlistener protocol` ({@link LISTENER_UNKNOWN_WARNING}).
 *
 * - `ready`: the listener may be sent one event.
 * - `processed`: the result was accepted (supervisord logs debug `<proc>: event was processed`).
 * - `rejected`: the result was not `OK`; put the event back at the head of the pool's buffer
 *   (warn `<proc>: event was rejected`).
 * - `unknown`: a protocol violation; no more events until the process restarts. When
 *   `eventRejected` is true the event it was handling must be re-queued too. `warning`, when set,
 *   is the extra warn line supervisord logs first (`<proc>: bad result line: '…'` or
 *   `<proc>: event caused an error`). `data` holds the offending bytes.
 */
export type ListenerOutput =
  | { readonly type: 'ready'; readonly from: 'ACKNOWLEDGED'; readonly to: 'READY' }
  | {
      readonly type: 'processed' | 'rejected';
      readonly from: 'BUSY';
      readonly to: 'ACKNOWLEDGED';
      readonly result: Uint8Array;
    }
  | {
      readonly type: 'unknown';
      readonly from: 'ACKNOWLEDGED' | 'READY' | 'BUSY';
      readonly to: 'UNKNOWN';
      readonly reason: ListenerViolation;
      readonly eventRejected: boolean;
      readonly data: Uint8Array;
      readonly warning?: string;
      readonly error?: unknown;
    };

/** The warn line (after `<proc>: `) that supervisord logs whenever a listener enters UNKNOWN. */
export const LISTENER_UNKNOWN_WARNING =
  'has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol';

/** Options for {@link ListenerOutputParser}. */
export interface ListenerOutputParserOptions {
  /**
   * Judges each result body.
   * @default defaultResultHandler
   */
  readonly resultHandler?: ResultHandler;
}

const READY_TOKEN = Uint8Array.of(0x52, 0x45, 0x41, 0x44, 0x59, 0x0a); // READY\n
const RESULT_TOKEN_LENGTH = 7; // 'RESULT ', never checked
const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Supervisor's reading of an event listener's stdout (`PEventListenerDispatcher`), byte for byte,
 * for any chunking of the stream. It tracks the listener state: ACKNOWLEDGED after a spawn, READY
 * after `READY\n`, BUSY once you call {@link ListenerOutputParser.markBusy} (after writing it an
 * event), ACKNOWLEDGED after `RESULT <n>\n` and `n` bytes, and UNKNOWN for good on a violation.
 *
 * Faithful quirks: only the part of the result line after its first 7 bytes is read, as Python's
 * `int()` (whitespace around it, a sign and `_` between digits are fine, so `FOOBAR 2\n` and
 * `RESULT 2\r\n` work); the result line must end in `\n`; the result length counts bytes; a result
 * of length 0 is only judged when the next byte arrives; bytes in UNKNOWN are dropped. One
 * deliberate difference: a negative length is a bad result line (supervisord never finishes
 * reading it and eventually closes the channel).
 *
 * @example
 * const parser = new ListenerOutputParser();
 * parser.push(new TextEncoder().encode('READY\n')); // [{ type: 'ready', … }]
 * parser.markBusy(); // we wrote an event to the listener
 * parser.push(new TextEncoder().encode('RESULT 2\nOKREADY\n'));
 * // [{ type: 'processed', … }, { type: 'ready', … }]
 */
export class ListenerOutputParser {
  #state: EventListenerStateName = 'ACKNOWLEDGED';
  #buffer: Uint8Array = EMPTY;
  #resultLength: number | undefined;
  #result: Uint8Array = EMPTY;
  readonly #resultHandler: ResultHandler;

  constructor(options: ListenerOutputParserOptions = {}) {
    this.#resultHandler = options.resultHandler ?? defaultResultHandler;
  }

  /** The listener state as supervisord would record it. */
  get state(): EventListenerStateName {
    return this.#state;
  }

  /**
   * Records that an event was written to the listener: READY → BUSY. Throws if the listener is not
   * READY, since supervisord only sends events to READY listeners.
   */
  markBusy(): void {
    if (this.#state !== 'READY') {
      throw new Error(`Cannot send an event to a listener in state ${this.#state} (expected READY)`);
    }
    this.#state = 'BUSY';
  }

  /** Starts over for a newly spawned listener process: ACKNOWLEDGED, with nothing buffered. */
  reset(): void {
    this.#state = 'ACKNOWLEDGED';
    this.#buffer = EMPTY;
    this.#resultLength = undefined;
    this.#result = EMPTY;
  }

  /**
   * Feeds bytes read from the listener's stdout (a string is encoded as UTF-8) and returns the
   * state changes they cause, in order. An empty chunk changes nothing.
   */
  push(chunk: Uint8Array | string): ListenerOutput[] {
    const bytes = typeof chunk === 'string' ? utf8.encode(chunk) : chunk;
    if (bytes.length === 0) return [];
    this.#buffer = concat(this.#buffer, bytes);
    const outputs: ListenerOutput[] = [];
    // One pass of supervisord's handle_listener_state_change per iteration; it recurses while
    // bytes remain, and stops when it needs more.
    while (this.#buffer.length > 0) {
      const step = this.#step();
      if (step === 'wait') break;
      if (step !== undefined) outputs.push(step);
    }
    return outputs;
  }

  #step(): ListenerOutput | 'wait' | undefined {
    const buffer = this.#buffer;
    switch (this.#state) {
      case 'UNKNOWN':
        this.#buffer = EMPTY;
        return undefined;
      case 'ACKNOWLEDGED':
        if (buffer.length < READY_TOKEN.length) return 'wait';
        if (startsWith(buffer, READY_TOKEN)) {
          this.#buffer = buffer.subarray(READY_TOKEN.length);
          this.#state = 'READY';
          return { type: 'ready', from: 'ACKNOWLEDGED', to: 'READY' };
        }
        return this.#enterUnknown('ACKNOWLEDGED', 'not-ready', buffer, false);
      case 'READY':
        return this.#enterUnknown('READY', 'output-while-ready', buffer, false);
      case 'BUSY':
        return this.#resultLength === undefined ? this.#readResultLine(buffer) : this.#readResult(buffer);
    }
  }

  #readResultLine(buffer: Uint8Array): ListenerOutput | 'wait' | undefined {
    const newline = buffer.indexOf(0x0a);
    if (newline === -1) return 'wait';
    const line = buffer.subarray(0, newline);
    this.#buffer = buffer.subarray(newline + 1);
    const length = parsePythonInt(line.subarray(RESULT_TOKEN_LENGTH));
    if (length === undefined || length < 0) {
      return this.#enterUnknown(
        'BUSY',
        'bad-result-line',
        line,
        true,
        `bad result line: '${lineText(line)}'`,
      );
    }
    this.#resultLength = length;
    // supervisord does not look at the body in this pass: with nothing left (and for a length of 0)
    // the result is only judged when more bytes arrive.
    return undefined;
  }

  #readResult(buffer: Uint8Array): ListenerOutput | undefined {
    const length = this.#resultLength ?? 0;
    const needed = length - this.#result.length;
    if (needed > 0) {
      this.#result = concat(this.#result, buffer.subarray(0, needed));
      this.#buffer = buffer.subarray(needed);
    }
    if (this.#result.length < length) return undefined;
    const result = this.#result;
    this.#result = EMPTY;
    this.#resultLength = undefined;
    let verdict: ResultVerdict;
    try {
      verdict = this.#resultHandler(result);
    } catch (error) {
      return this.#enterUnknown('BUSY', 'handler-error', result, true, 'event caused an error', error);
    }
    this.#state = 'ACKNOWLEDGED';
    return { type: verdict, from: 'BUSY', to: 'ACKNOWLEDGED', result };
  }

  #enterUnknown(
    from: 'ACKNOWLEDGED' | 'READY' | 'BUSY',
    reason: ListenerViolation,
    data: Uint8Array,
    eventRejected: boolean,
    warning?: string,
    error?: unknown,
  ): ListenerOutput {
    this.#state = 'UNKNOWN';
    this.#buffer = EMPTY;
    this.#resultLength = undefined;
    this.#result = EMPTY;
    return {
      type: 'unknown',
      from,
      to: 'UNKNOWN',
      reason,
      eventRejected,
      data: data.slice(),
      ...(warning === undefined ? {} : { warning }),
      ...(reason === 'handler-error' ? { error } : {}),
    };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

// Python's int() of a bytes object in base 10: ASCII only, optional surrounding whitespace
// (space, \t, \n, \v, \f, \r), an optional sign, digits with single underscores between them.
const PY_INT = /^[ \t\n\v\f\r]*([+-]?)([0-9](?:_?[0-9])*)[ \t\n\v\f\r]*$/;

function parsePythonInt(bytes: Uint8Array): number | undefined {
  let text = '';
  for (const byte of bytes) {
    if (byte >= 0x80) return undefined;
    text += String.fromCharCode(byte);
  }
  const match = PY_INT.exec(text);
  if (match === null) return undefined;
  const value = Number(match[2]!.replaceAll('_', ''));
  return match[1] === '-' && value !== 0 ? -value : value;
}

// How supervisord renders a bad result line in its warning.
function lineText(line: Uint8Array): string {
  try {
    return strictUtf8.decode(line);
  } catch {
    return `Undecodable: ${pythonBytesRepr(line)}`;
  }
}
