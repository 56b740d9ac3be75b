import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  defaultResultHandler,
  type EventListenerStateName,
  formatListenerResult,
  LISTENER_READY,
  type ListenerOutput,
  ListenerOutputParser,
  type ResultHandler,
} from '../src/index.ts';
import { splitAt } from './fixtures/arbitraries.ts';
import { catchError } from './fixtures/catch-error.ts';

const utf8 = new TextEncoder();
const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

// `BUSY` stands for "supervisord wrote an event": parser.markBusy().
const BUSY = Symbol('busy');
type Step = string | Uint8Array | typeof BUSY;

// A chunking-independent summary of one output.
function summary(output: ListenerOutput): string {
  switch (output.type) {
    case 'ready':
      return 'ready';
    case 'processed':
    case 'rejected':
      return `${output.type}:${latin1(output.result)}`;
    case 'unknown':
      return [
        `unknown:${output.from}:${output.reason}`,
        output.eventRejected ? ' (event rejected)' : '',
        output.warning === undefined ? '' : ` warn ${output.warning}`,
      ].join('');
  }
}

function run(
  steps: readonly Step[],
  handler?: ResultHandler,
): { outputs: string[]; state: EventListenerStateName } {
  const parser = new ListenerOutputParser(handler === undefined ? {} : { resultHandler: handler });
  const outputs: string[] = [];
  for (const step of steps) {
    if (step === BUSY) parser.markBusy();
    else outputs.push(...parser.push(step).map(summary));
  }
  return { outputs, state: parser.state };
}

describe('ListenerOutputParser', () => {
  // spec rpc-and-events.md 4.2; "verified" rows were observed against supervisord 4.2.5.
  test.each<[string, Step[], string[], EventListenerStateName]>([
    ['READY after spawn', ['READY\n'], ['ready'], 'READY'],
    ['READY split in two reads', ['REA', 'DY\n'], ['ready'], 'READY'],
    ['READY split byte by byte', [...'READY\n'], ['ready'], 'READY'],
    ['fewer than 6 bytes: wait', ['READ'], [], 'ACKNOWLEDGED'],
    ['5 bytes of garbage: still waiting for a 6th', ['hello'], [], 'ACKNOWLEDGED'],
    [
      'garbage instead of READY (verified hello\\n)',
      ['hello\n'],
      ['unknown:ACKNOWLEDGED:not-ready'],
      'UNKNOWN',
    ],
    ['garbage decided only at the 6th byte', ['hello', '!'], ['unknown:ACKNOWLEDGED:not-ready'], 'UNKNOWN'],
    ['READY with CRLF', ['READY\r\n'], ['unknown:ACKNOWLEDGED:not-ready'], 'UNKNOWN'],
    ['lowercase ready', ['ready\n'], ['unknown:ACKNOWLEDGED:not-ready'], 'UNKNOWN'],
    ['a byte while READY', ['READY\nx'], ['ready', 'unknown:READY:output-while-ready'], 'UNKNOWN'],
    ['READY twice', ['READY\nREADY\n'], ['ready', 'unknown:READY:output-while-ready'], 'UNKNOWN'],
    ['a later byte while READY', ['READY\n', '\n'], ['ready', 'unknown:READY:output-while-ready'], 'UNKNOWN'],
    ['RESULT 2 OK', ['READY\n', BUSY, 'RESULT 2\nOK'], ['ready', 'processed:OK'], 'ACKNOWLEDGED'],
    [
      'RESULT then READY in one write',
      ['READY\n', BUSY, 'RESULT 2\nOKREADY\n'],
      ['ready', 'processed:OK', 'ready'],
      'READY',
    ],
    [
      'RESULT OK, READY, READY (verified READY -> UNKNOWN)',
      ['READY\n', BUSY, 'RESULT 2\nOKREADY\nREADY\n'],
      ['ready', 'processed:OK', 'ready', 'unknown:READY:output-while-ready'],
      'UNKNOWN',
    ],
    [
      'RESULT 4 FAIL (verified)',
      ['READY\n', BUSY, 'RESULT 4\nFAIL'],
      ['ready', 'rejected:FAIL'],
      'ACKNOWLEDGED',
    ],
    ['lowercase ok is rejected', ['READY\n', BUSY, 'RESULT 2\nok'], ['ready', 'rejected:ok'], 'ACKNOWLEDGED'],
    [
      'OK plus newline is rejected',
      ['READY\n', BUSY, 'RESULT 3\nOK\n'],
      ['ready', 'rejected:OK\n'],
      'ACKNOWLEDGED',
    ],
    [
      'first 7 bytes unchecked (verified FOOBAR 2)',
      ['READY\n', BUSY, 'FOOBAR 2\nOK'],
      ['ready', 'processed:OK'],
      'ACKNOWLEDGED',
    ],
    [
      'spaces around the length (verified)',
      ['READY\n', BUSY, 'RESULT  2 \nOK'],
      ['ready', 'processed:OK'],
      'ACKNOWLEDGED',
    ],
    ['CR before the newline', ['READY\n', BUSY, 'RESULT 2\r\nOK'], ['ready', 'processed:OK'], 'ACKNOWLEDGED'],
    ['a plus sign', ['READY\n', BUSY, 'RESULT +2\nOK'], ['ready', 'processed:OK'], 'ACKNOWLEDGED'],
    [
      'an underscore between digits',
      ['READY\n', BUSY, 'RESULT 0_2\nOK'],
      ['ready', 'processed:OK'],
      'ACKNOWLEDGED',
    ],
    ['leading zeros', ['READY\n', BUSY, 'RESULT 002\nOK'], ['ready', 'processed:OK'], 'ACKNOWLEDGED'],
    [
      'a long result line prefix',
      ['READY\n', BUSY, 'RESULT:2\nOK'],
      ['ready', 'processed:OK'],
      'ACKNOWLEDGED',
    ],
    [
      'result line split',
      ['READY\n', BUSY, 'RES', 'ULT 2', '\nO', 'K'],
      ['ready', 'processed:OK'],
      'ACKNOWLEDGED',
    ],
    ['no newline yet: wait', ['READY\n', BUSY, 'RESULT 2'], ['ready'], 'BUSY'],
    ['body incomplete: wait', ['READY\n', BUSY, 'RESULT 2\nO'], ['ready'], 'BUSY'],
    ['length counts bytes', ['READY\n', BUSY, 'RESULT 2\né'], ['ready', 'rejected:Ã©'], 'ACKNOWLEDGED'],
    ['empty result: judged only when more bytes come', ['READY\n', BUSY, 'RESULT 0\n'], ['ready'], 'BUSY'],
    [
      'empty result then READY',
      ['READY\n', BUSY, 'RESULT 0\n', 'READY\n'],
      ['ready', 'rejected:', 'ready'],
      'READY',
    ],
    [
      'empty result and READY in one write',
      ['READY\n', BUSY, 'RESULT 0\nREADY\n'],
      ['ready', 'rejected:', 'ready'],
      'READY',
    ],
    [
      'garbage after a result',
      ['READY\n', BUSY, 'RESULT 2\nOKhello\n'],
      ['ready', 'processed:OK', 'unknown:ACKNOWLEDGED:not-ready'],
      'UNKNOWN',
    ],
    [
      'partial READY after a result',
      ['READY\n', BUSY, 'RESULT 4\nFAILREAD', 'Y\n'],
      ['ready', 'rejected:FAIL', 'ready'],
      'READY',
    ],
    [
      'non-numeric length',
      ['READY\n', BUSY, 'RESULT x\nOK'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'RESULT x'"],
      'UNKNOWN',
    ],
    [
      'no length',
      ['READY\n', BUSY, 'RESULT \n'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'RESULT '"],
      'UNKNOWN',
    ],
    [
      'a short line',
      ['READY\n', BUSY, 'OK\n'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'OK'"],
      'UNKNOWN',
    ],
    [
      'READY while BUSY (childutils wait() without ok())',
      ['READY\n', BUSY, 'READY\n'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'READY'"],
      'UNKNOWN',
    ],
    [
      'double underscore',
      ['READY\n', BUSY, 'RESULT 1__0\n'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'RESULT 1__0'"],
      'UNKNOWN',
    ],
    [
      'hex length',
      ['READY\n', BUSY, 'RESULT 0x2\n'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'RESULT 0x2'"],
      'UNKNOWN',
    ],
    [
      'non-ASCII digit',
      ['READY\n', BUSY, 'RESULT ٢\n'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'RESULT ٢'"],
      'UNKNOWN',
    ],
    [
      'a NUL after the length',
      ['READY\n', BUSY, 'RESULT 2\0\n'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'RESULT 2\0'"],
      'UNKNOWN',
    ],
    [
      'undecodable result line',
      ['READY\n', BUSY, Uint8Array.of(...utf8.encode('RESULT '), 0xff, 0x0a)],
      [
        'ready',
        "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'Undecodable: b'RESULT \\xff''",
      ],
      'UNKNOWN',
    ],
    [
      'negative length (deliberate difference: supervisord never finishes reading it)',
      ['READY\n', BUSY, 'RESULT -1\nOK'],
      ['ready', "unknown:BUSY:bad-result-line (event rejected) warn bad result line: 'RESULT -1'"],
      'UNKNOWN',
    ],
    ['-0 is 0', ['READY\n', BUSY, 'RESULT -0\nREADY\n'], ['ready', 'rejected:', 'ready'], 'READY'],
    [
      'bytes after UNKNOWN are dropped',
      ['hello\n', 'READY\n', 'RESULT 2\nOK'],
      ['unknown:ACKNOWLEDGED:not-ready'],
      'UNKNOWN',
    ],
    ['an empty read changes nothing', ['', 'READY\n', ''], ['ready'], 'READY'],
  ])('%s', (_name, steps, outputs, state) => {
    expect(run(steps)).toEqual({ outputs, state });
  });

  test('a throwing result handler puts the listener in UNKNOWN and rejects the event', () => {
    const failure = new Error('boom');
    const parser = new ListenerOutputParser({
      resultHandler: () => {
        throw failure;
      },
    });
    parser.push('READY\n');
    parser.markBusy();
    expect(parser.push('RESULT 2\nOKREADY\n')).toEqual([
      {
        type: 'unknown',
        from: 'BUSY',
        to: 'UNKNOWN',
        reason: 'handler-error',
        eventRejected: true,
        data: utf8.encode('OK'),
        warning: 'event caused an error',
        error: failure,
      },
    ]);
    expect(parser.state).toBe('UNKNOWN');
  });

  test('a custom result handler decides', () => {
    const acceptAll: ResultHandler = () => 'processed';
    expect(run(['READY\n', BUSY, 'RESULT 4\nFAIL'], acceptAll).outputs).toEqual(['ready', 'processed:FAIL']);
  });

  test('outputs carry the state change and the bytes', () => {
    const parser = new ListenerOutputParser();
    expect(parser.push('READY\n')).toEqual([{ type: 'ready', from: 'ACKNOWLEDGED', to: 'READY' }]);
    parser.markBusy();
    expect(parser.state).toBe('BUSY');
    expect(parser.push('RESULT 4\nFAIL')).toEqual([
      { type: 'rejected', from: 'BUSY', to: 'ACKNOWLEDGED', result: utf8.encode('FAIL') },
    ]);
    expect(parser.push('nope!\n')).toEqual([
      {
        type: 'unknown',
        from: 'ACKNOWLEDGED',
        to: 'UNKNOWN',
        reason: 'not-ready',
        eventRejected: false,
        data: utf8.encode('nope!\n'),
      },
    ]);
  });

  test('markBusy is only allowed when READY', () => {
    const parser = new ListenerOutputParser();
    expect(catchError(() => parser.markBusy())).toMatchObject({
      message: 'Cannot send an event to a listener in state ACKNOWLEDGED (expected READY)',
    });
    parser.push('READY\n');
    parser.markBusy();
    expect(catchError(() => parser.markBusy())).toMatchObject({
      message: 'Cannot send an event to a listener in state BUSY (expected READY)',
    });
  });

  test('reset() starts over for a new process', () => {
    const parser = new ListenerOutputParser();
    parser.push('READY\n');
    parser.markBusy();
    parser.push('RESULT 10\nhalf');
    parser.reset();
    expect(parser.state).toBe('ACKNOWLEDGED');
    expect(parser.push('READY\n').map(summary)).toEqual(['ready']);
    parser.push('oops');
    parser.reset();
    expect(parser.push('READY\n').map(summary)).toEqual(['ready']);
  });

  test('defaultResultHandler accepts exactly OK', () => {
    expect(defaultResultHandler(utf8.encode('OK'))).toBe('processed');
    for (const body of ['', 'O', 'OK ', ' OK', 'ok', 'FAIL', 'OKOK']) {
      expect(defaultResultHandler(utf8.encode(body)), body).toBe('rejected');
    }
  });
});

// A well-behaved listener: READY, then for each event a result immediately followed by READY.
function transcript(bodies: readonly string[]): Uint8Array[] {
  return [LISTENER_READY, ...bodies.map((body) => formatListenerResult(body) + LISTENER_READY)].map((write) =>
    utf8.encode(write),
  );
}

// Feeds each write in the given chunks; an event is "sent" as soon as the listener is READY.
function converse(writes: readonly Uint8Array[][], parser = new ListenerOutputParser()): string[] {
  const outputs: string[] = [];
  writes.forEach((chunks, index) => {
    for (const chunk of chunks) {
      outputs.push(...parser.push(chunk).map(summary));
      if (parser.state === 'READY' && index < writes.length - 1) parser.markBusy();
    }
  });
  return outputs;
}

const bodyArb = fc.oneof(fc.constantFrom('OK', 'FAIL', ''), fc.string({ unit: 'binary', maxLength: 12 }));

describe('ListenerOutputParser on a valid conversation', () => {
  test('reads every result', () => {
    const bodies = ['OK', 'FAIL', '', 'OK', 'é€😀'];
    const expected = [
      'ready',
      'processed:OK',
      'ready',
      'rejected:FAIL',
      'ready',
      'rejected:',
      'ready',
      'processed:OK',
      'ready',
      `rejected:${latin1(utf8.encode('é€😀'))}`,
      'ready',
    ];
    expect(converse(transcript(bodies).map((write) => [write]))).toEqual(expected);
  });

  test('every truncated prefix yields the outputs completed so far, then the rest', () => {
    const writes = transcript(['OK', '', 'FAIL', 'OK']);
    const full = converse(writes.map((write) => [write]));
    for (const [index, write] of writes.entries()) {
      for (let cut = 0; cut <= write.length; cut++) {
        const parser = new ListenerOutputParser();
        const before = converse(
          [...writes.slice(0, index).map((w) => [w]), [write.subarray(0, cut)]],
          parser,
        );
        expect(full.slice(0, before.length), `write ${index}, ${cut} bytes`).toEqual(before);
        expect(parser.state).not.toBe('UNKNOWN');
        // Outputs appear only at the end of a READY token or of a result body (or, for an empty
        // body, one byte later).
        const rest = converse([[write.subarray(cut)], ...writes.slice(index + 1).map((w) => [w])], parser);
        expect([...before, ...rest]).toEqual(full);
      }
    }
  });

  test('any chunking of any conversation gives the same outputs', () => {
    fc.assert(
      fc.property(
        fc.array(bodyArb, { maxLength: 6 }),
        fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: 7, maxLength: 7 }),
        (bodies, cuts) => {
          const writes = transcript(bodies);
          const whole = converse(writes.map((write) => [write]));
          const split = converse(writes.map((write, i) => splitAt(write, cuts[i] ?? [])));
          expect(split).toEqual(whole);
          expect(whole.filter((output) => output === 'ready')).toHaveLength(bodies.length + 1);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('ListenerOutputParser on garbage', () => {
  const start = fc.constantFrom<'ACKNOWLEDGED' | 'READY' | 'BUSY'>('ACKNOWLEDGED', 'READY', 'BUSY');
  const noise = fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    fc
      .array(fc.constantFrom('READY\n', 'RESULT ', '2', '0', ' ', '\n', 'OK', 'FAIL', 'x', '-', '_'), {
        maxLength: 12,
      })
      .map((parts) => utf8.encode(parts.join(''))),
  );

  function parserIn(state: 'ACKNOWLEDGED' | 'READY' | 'BUSY'): ListenerOutputParser {
    const parser = new ListenerOutputParser();
    if (state !== 'ACKNOWLEDGED') parser.push('READY\n');
    if (state === 'BUSY') parser.markBusy();
    return parser;
  }

  test('never throws and does not depend on chunking', () => {
    fc.assert(
      fc.property(start, noise, fc.array(fc.nat(), { maxLength: 10 }), (state, bytes, cuts) => {
        const whole = parserIn(state);
        const expected = whole.push(bytes).map(summary);
        const split = parserIn(state);
        const actual = splitAt(bytes, cuts).flatMap((chunk) => split.push(chunk).map(summary));
        expect(actual).toEqual(expected);
        expect(split.state).toBe(whole.state);
      }),
      { numRuns: 2000 },
    );
  });

  test('UNKNOWN is final and every other output is a legal transition', () => {
    fc.assert(
      fc.property(start, noise, (state, bytes) => {
        const parser = parserIn(state);
        let current: EventListenerStateName = state;
        for (const output of parser.push(bytes)) {
          expect(output.from).toBe(current);
          expect(current).not.toBe('UNKNOWN');
          current = output.to;
        }
        expect(parser.state).toBe(current);
      }),
      { numRuns: 2000 },
    );
  });
});
