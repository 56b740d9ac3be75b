import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  EventEnvelopeParser,
  EventProtocolError,
  formatEventEnvelope,
  parseEventPayload,
  type ReceivedEnvelope,
  type SupervisorEvent,
} from '../src/index.ts';
import { eventArb, splitAt } from './fixtures/arbitraries.ts';
import { catchError } from './fixtures/catch-error.ts';

const utf8 = new TextEncoder();

const SAMPLE: SupervisorEvent[] = [
  { type: 'PROCESS_GROUP_ADDED', groupName: 'probe' },
  { type: 'SUPERVISOR_STATE_CHANGE_RUNNING' },
  {
    type: 'PROCESS_LOG_STDOUT',
    processName: 'utf',
    groupName: 'utf',
    pid: 9316,
    data: 'héllo wörld €\r\nsecond\n',
  },
  { type: 'REMOTE_COMMUNICATION', commType: 'emoji', data: '😀 ver:3.0 len:5\n' },
  { type: 'TICK_5', when: 1795497550 },
  {
    type: 'PROCESS_STATE_EXITED',
    processName: 'c',
    groupName: 'c',
    fromState: 'RUNNING',
    expected: false,
    pid: 1,
  },
  { type: 'SUPERVISOR_STATE_CHANGE_STOPPING' },
];

function envelopesOf(events: readonly SupervisorEvent[]): string[] {
  return events.map((event, serial) =>
    formatEventEnvelope({ server: 'supervisor', serial, pool: 'dump', poolSerial: serial, event }),
  );
}

function eventsOf(received: readonly ReceivedEnvelope[]): SupervisorEvent[] {
  return received.map(({ header, payload }) => parseEventPayload(header.eventName, payload));
}

function feed(chunks: readonly (string | Uint8Array)[]): ReceivedEnvelope[] {
  const parser = new EventEnvelopeParser();
  const received = chunks.flatMap((chunk) => parser.push(chunk));
  return [...received, ...parser.end()];
}

describe('EventEnvelopeParser', () => {
  test('reads a stream of envelopes in one chunk', () => {
    const received = feed([utf8.encode(envelopesOf(SAMPLE).join(''))]);
    expect(eventsOf(received)).toEqual(SAMPLE);
    expect(received.map(({ header }) => header.serial)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(received[2]?.header.len).toBe(76);
  });

  test('every truncated prefix yields exactly the envelopes it contains, and no error', () => {
    const envelopes = envelopesOf(SAMPLE).map((envelope) => utf8.encode(envelope));
    const stream = utf8.encode(envelopesOf(SAMPLE).join(''));
    const ends: number[] = [];
    for (const envelope of envelopes) ends.push((ends.at(-1) ?? 0) + envelope.length);
    for (let length = 0; length <= stream.length; length++) {
      const parser = new EventEnvelopeParser();
      const received = parser.push(stream.subarray(0, length));
      const complete = ends.filter((end) => end <= length).length;
      expect(eventsOf(received), `prefix of ${length} bytes`).toEqual(SAMPLE.slice(0, complete));
      // The rest of the stream completes the others.
      expect(eventsOf(parser.push(stream.subarray(length)))).toEqual(SAMPLE.slice(complete));
    }
  });

  test('any byte split gives the same envelopes', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (events, cuts) => {
          const stream = utf8.encode(envelopesOf(events).join(''));
          expect(eventsOf(feed(splitAt(stream, cuts)))).toEqual(events);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('any string split, even between surrogates, gives the same envelopes', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (events, cuts) => {
          const stream = envelopesOf(events).join('');
          expect(eventsOf(feed(splitAt(stream, cuts)))).toEqual(events);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a payload may hold a newline and look like a header', () => {
    const [envelope] = envelopesOf([
      { type: 'REMOTE_COMMUNICATION', commType: 't', data: '\nver:3.0 len:0\n' },
    ]);
    expect(feed([envelope!])).toHaveLength(1);
  });

  test('end() fails inside an envelope', () => {
    const parser = new EventEnvelopeParser();
    parser.push('ver:3.0 server:s serial:4 pool:p poolserial:0 eventname:TICK_5 len:15\nwhen:');
    expect(catchError(() => parser.end())).toMatchObject({
      name: 'EventProtocolError',
      message: 'event stream ended inside the payload of serial 4',
      input: 'when:',
    });
    expect(parser.end()).toEqual([]);
    parser.push('ver:3.0 server:s');
    expect(catchError(() => parser.end())).toMatchObject({
      message: 'event stream ended inside a header line',
      input: 'ver:3.0 server:s',
    });
  });

  test('a bad header is thrown after the envelopes before it, then skipped', () => {
    const [first, second] = envelopesOf(SAMPLE.slice(0, 2));
    const parser = new EventEnvelopeParser();
    expect(eventsOf(parser.push(`${first}garbage\n${second}`))).toEqual(SAMPLE.slice(0, 1));
    const error = catchError(() => parser.push(''));
    expect(error).toBeInstanceOf(EventProtocolError);
    expect(error).toMatchObject({
      message: "token 'garbage' has no ':' (expected key:value)",
      input: 'garbage',
    });
    expect(eventsOf(parser.push(''))).toEqual(SAMPLE.slice(1, 2));
  });

  test('a bad header at the start of a chunk is thrown at once', () => {
    const parser = new EventEnvelopeParser();
    expect(catchError(() => parser.push('ver:3.0 len:1\n'))).toMatchObject({
      message: 'event header has no server',
    });
    expect(parser.end()).toEqual([]);
  });
});
