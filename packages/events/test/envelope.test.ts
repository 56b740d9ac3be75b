import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  countCodePoints,
  EventProtocolError,
  formatEventEnvelope,
  formatEventHeader,
  parseEventHeader,
  parseEventPayload,
} from '../src/index.ts';
import { eventArb } from './fixtures/arbitraries.ts';
import { catchError } from './fixtures/catch-error.ts';

// The envelopes of spec rpc-and-events.md 4.6, as supervisord 4.2.5 wrote them.
const CAPTURE = readFileSync(new URL('./fixtures/capture-4.2.5.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('ver:'))
  .map((line) => line.replaceAll('\\n', '\n'));

describe('countCodePoints', () => {
  test.each([
    ['', 0],
    ['abc', 3],
    ['é', 1],
    ['€', 1],
    ['😀', 1],
    ['a😀b', 3],
    ['\ud83d', 1], // lone high surrogate
    ['\ude00', 1], // lone low surrogate
    ['\ude00\ud83d', 2], // reversed pair
    ['héllo wörld €\r\nsecond\n', 22],
  ])('%j has %i code points', (text, count) => {
    expect(countCodePoints(text)).toBe(count);
    expect(countCodePoints(text)).toBe([...text].length);
  });

  test('equals the length of the string as code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => countCodePoints(text) === [...text].length),
    );
  });
});

describe('formatEventHeader', () => {
  test('writes the tokens in Supervisor order', () => {
    expect(
      formatEventHeader({
        server: 'supervisor',
        serial: 15,
        pool: 'dump',
        poolSerial: 15,
        eventName: 'TICK_5',
        payload: 'when:1795497550',
      }),
    ).toBe('ver:3.0 server:supervisor serial:15 pool:dump poolserial:15 eventname:TICK_5 len:15\n');
  });

  // Trap 1: len counts code points. The spec's verified PROCESS_LOG payload is 76 characters, 80 bytes.
  test('len counts code points, not bytes or UTF-16 units', () => {
    const payload = 'processname:utf groupname:utf pid:9316 channel:stdout\nhéllo wörld €\r\nsecond\n';
    expect(new TextEncoder().encode(payload)).toHaveLength(80);
    const header = formatEventHeader({
      ver: '3.0',
      server: 'supervisor',
      serial: 3,
      pool: 'p',
      poolSerial: 0,
      eventName: 'PROCESS_LOG_STDOUT',
      payload,
    });
    expect(header).toBe(
      'ver:3.0 server:supervisor serial:3 pool:p poolserial:0 eventname:PROCESS_LOG_STDOUT len:76\n',
    );
    const emoji = formatEventHeader({
      server: 's',
      serial: 0,
      pool: 'p',
      poolSerial: 0,
      eventName: 'REMOTE_COMMUNICATION',
      payload: 'type:t\n😀😀',
    });
    expect(emoji.endsWith(' len:9\n')).toBe(true);
  });

  test('REMOTE_COMMUNICATION with non-ASCII data (verified len:21)', () => {
    const envelope = formatEventEnvelope({
      server: 'supervisor',
      serial: 0,
      pool: 'p',
      poolSerial: 0,
      event: { type: 'REMOTE_COMMUNICATION', commType: 'mytype', data: 'my data ü' },
    });
    expect(envelope).toBe(
      'ver:3.0 server:supervisor serial:0 pool:p poolserial:0 eventname:REMOTE_COMMUNICATION len:21\ntype:mytype\nmy data ü',
    );
  });
});

describe('formatEventEnvelope reproduces the 4.2.5 capture', () => {
  test('the fixture holds every captured envelope', () => {
    expect(CAPTURE).toHaveLength(21);
  });

  test.each(CAPTURE.map((envelope) => [envelope.slice(0, envelope.indexOf(' len:')), envelope]))(
    '%s',
    (_name, envelope) => {
      const newline = envelope.indexOf('\n');
      const header = parseEventHeader(envelope.slice(0, newline + 1));
      const payload = envelope.slice(newline + 1);
      expect(countCodePoints(payload)).toBe(header.len);
      const event = parseEventPayload(header.eventName, payload);
      const { serial, pool, poolSerial, server } = header;
      expect(formatEventEnvelope({ server, serial, pool, poolSerial, event })).toBe(envelope);
    },
  );
});

describe('parseEventHeader', () => {
  test('reads a header line, with or without its newline', () => {
    const line =
      'ver:3.0 server:supervisor serial:19 pool:failer poolserial:0 eventname:PROCESS_STATE_RUNNING len:58';
    const expected = {
      ver: '3.0',
      server: 'supervisor',
      serial: 19,
      pool: 'failer',
      poolSerial: 0,
      eventName: 'PROCESS_STATE_RUNNING',
      len: 58,
    };
    expect(parseEventHeader(line)).toEqual(expected);
    expect(parseEventHeader(`${line}\n`)).toEqual(expected);
  });

  test('round-trips formatEventHeader', () => {
    fc.assert(
      fc.property(
        eventArb,
        fc.nat(),
        fc.nat(),
        fc.stringMatching(/^[a-z0-9_.-]{1,8}$/),
        fc.stringMatching(/^[a-z0-9_.-]{1,8}$/),
        (event, serial, poolSerial, server, pool) => {
          const envelope = formatEventEnvelope({ server, serial, pool, poolSerial, event });
          const newline = envelope.indexOf('\n');
          const header = parseEventHeader(envelope.slice(0, newline));
          expect(header).toEqual({
            ver: '3.0',
            server,
            serial,
            pool,
            poolSerial,
            eventName: event.type,
            len: header.len,
          });
          expect(countCodePoints(envelope.slice(newline + 1))).toBe(header.len);
        },
      ),
    );
  });

  test.each([
    ['', 'event header has no ver'],
    ['hello', "token 'hello' has no ':' (expected key:value)"],
    ['ver:3.0 server:s serial:1 pool:p poolserial:1 eventname:TICK_5', 'event header has no len'],
    ['ver:3.0 server:s serial:1 pool:p eventname:TICK_5 len:1', 'event header has no poolserial'],
    [
      'ver:3.0 server:s serial:x pool:p poolserial:1 eventname:TICK_5 len:1',
      'event header has serial:x (expected a non-negative integer)',
    ],
    [
      'ver:3.0 server:s serial:1 pool:p poolserial:1 eventname:TICK_5 len:-1',
      'event header has len:-1 (expected a non-negative integer)',
    ],
  ])('%j is rejected', (line, message) => {
    const error = catchError(() => parseEventHeader(line));
    expect(error).toBeInstanceOf(EventProtocolError);
    expect(error).toMatchObject({ message, input: line });
  });
});
