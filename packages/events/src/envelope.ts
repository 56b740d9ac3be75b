import type { SupervisorEvent } from './events.ts';
import { formatEventPayload } from './format-payload.ts';
import { EventProtocolError } from './protocol-error.ts';
import { parseTokenLine } from './token-line.ts';

/** The only envelope version Supervisor 3.x and 4.x send. */
export const EVENT_PROTOCOL_VERSION = '3.0';

/** The routing facts of one delivery, shared by the header formatter and the envelope formatter. */
export interface EventDelivery {
  /**
   * Envelope version.
   * @default '3.0'
   */
  readonly ver?: typeof EVENT_PROTOCOL_VERSION;
  /** supervisord's `identifier` (default `supervisor`). */
  readonly server: string;
  /** The global serial, given at the first pool's accept. */
  readonly serial: number;
  /** The pool (eventlistener section) name. */
  readonly pool: string;
  /** The serial of this event within the pool. */
  readonly poolSerial: number;
}

/** What {@link formatEventHeader} needs: the delivery, the concrete event name and the payload. */
export interface EventHeaderOptions extends EventDelivery {
  readonly eventName: string;
  readonly payload: string;
}

/** What {@link formatEventEnvelope} needs: the delivery and the typed event. */
export interface EventEnvelopeOptions extends EventDelivery {
  readonly event: SupervisorEvent;
}

/**
 * A parsed envelope header line. Numbers are parsed; `len` counts Unicode code points of the
 * payload that follows.
 */
export interface EventHeader {
  readonly ver: string;
  readonly server: string;
  readonly serial: number;
  readonly pool: string;
  readonly poolSerial: number;
  readonly eventName: string;
  readonly len: number;
}

/**
 * The number of Unicode code points in `text`, which is what Python's `len()` returns for a str
 * and what the envelope's `len:` counts (not UTF-8 bytes, not UTF-16 units).
 *
 * @example
 * countCodePoints('€'); // 1 (3 bytes in UTF-8)
 * countCodePoints('😀'); // 1 (2 UTF-16 units)
 */
export function countCodePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/**
 * The envelope header line supervisord writes before a payload, newline included:
 * `ver:3.0 server:<id> serial:<n> pool:<name> poolserial:<n> eventname:<NAME> len:<N>\n`, with the
 * tokens in that fixed order and `len` in code points of `payload` (trap 1 of the spec: Python
 * listeners read the payload from a text stream).
 *
 * @example
 * formatEventHeader({
 *   server: 'supervisor', serial: 15, pool: 'dump', poolSerial: 15, eventName: 'TICK_5',
 *   payload: 'when:1795497550',
 * });
 * // 'ver:3.0 server:supervisor serial:15 pool:dump poolserial:15 eventname:TICK_5 len:15\n'
 */
export function formatEventHeader(options: EventHeaderOptions): string {
  const { ver = EVENT_PROTOCOL_VERSION, server, serial, pool, poolSerial, eventName, payload } = options;
  return (
    `ver:${ver} server:${server} serial:${serial} pool:${pool} poolserial:${poolSerial} ` +
    `eventname:${eventName} len:${countCodePoints(payload)}\n`
  );
}

/**
 * The whole text supervisord writes to a listener for one event: header line, then the payload,
 * with nothing after it. Encode it as UTF-8 before writing.
 *
 * @example
 * formatEventEnvelope({
 *   server: 'supervisor', serial: 6, pool: 'dump', poolSerial: 6,
 *   event: { type: 'SUPERVISOR_STATE_CHANGE_RUNNING' },
 * });
 * // 'ver:3.0 server:supervisor serial:6 pool:dump poolserial:6 eventname:SUPERVISOR_STATE_CHANGE_RUNNING len:0\n'
 */
export function formatEventEnvelope(options: EventEnvelopeOptions): string {
  const { event, ...delivery } = options;
  const payload = formatEventPayload(event);
  return formatEventHeader({ ...delivery, eventName: event.type, payload }) + payload;
}

/**
 * Parses an envelope header line (with or without its `\n`). Token order does not matter and
 * unknown tokens are ignored, but all seven fields must be there, and `serial`, `poolserial` and
 * `len` must be non-negative integers; otherwise it throws {@link EventProtocolError}.
 *
 * @example
 * parseEventHeader('ver:3.0 server:supervisor serial:6 pool:p poolserial:0 eventname:TICK_5 len:15\n');
 * // { ver: '3.0', server: 'supervisor', serial: 6, pool: 'p', poolSerial: 0, eventName: 'TICK_5', len: 15 }
 */
export function parseEventHeader(line: string): EventHeader {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line;
  const tokens = parseTokenLine(text);
  const read = (key: string): string => {
    const value = tokens[key];
    if (value === undefined) throw new EventProtocolError(`event header has no ${key}`, line);
    return value;
  };
  const readCount = (key: string): number => {
    const value = read(key);
    if (!/^\d+$/.test(value)) {
      throw new EventProtocolError(
        `event header has ${key}:${value} (expected a non-negative integer)`,
        line,
      );
    }
    return Number(value);
  };
  return {
    ver: read('ver'),
    server: read('server'),
    serial: readCount('serial'),
    pool: read('pool'),
    poolSerial: readCount('poolserial'),
    eventName: read('eventname'),
    len: readCount('len'),
  };
}
