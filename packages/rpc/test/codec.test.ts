import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { describe, expect, test } from 'vitest';
import { encodeResultFrame } from '../src/codec.ts';
import { cacheEncoding, decodeFrameBody, encodeFrame, FrameDecoder, RpcProtocolError } from '../src/index.ts';

const frames = [
  { id: 1, method: 'supervisor.getState', params: [] },
  { id: 2, result: { statecode: 1, statename: 'RUNNING' } },
  { id: 3, error: { code: 10, name: 'BAD_NAME', message: 'BAD_NAME: nope' } },
  { method: 'supctl.item', params: { stream: 7, value: { type: 'TICK_5', when: 1795497550 } } },
  { id: 4, result: 'é 日本 \u001b[31m red \u0000' },
  { id: 5, result: 'x'.repeat(70_000) },
  { id: 6, result: [-1, 2 ** 31, -(2 ** 40), 1.5, true, false, null, { nested: [[]] }] },
];

function wire(values: object[]): Buffer {
  return Buffer.concat(values.map((value) => encodeFrame(value)));
}

describe('encodeFrame / FrameDecoder', () => {
  test('round-trips every frame kind, in one chunk', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
    expect(decoder.push(wire(frames))).toEqual(frames);
    expect(decoder.bufferedBytes).toBe(0);
  });

  test('writes plain MessagePack behind a 4-byte big-endian length', () => {
    const frame = encodeFrame({ id: 1 });
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    // {id: 1} as a fixmap: any MessagePack decoder reads it, no msgpackr records.
    expect([...frame.subarray(4)]).toEqual([0x81, 0xa2, 0x69, 0x64, 0x01]);
    expect(new Packr({ useRecords: false }).unpack(frame.subarray(4))).toEqual({ id: 1 });
  });

  test('undefined goes out as nil', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 1024 });
    expect(decoder.push(encodeFrame({ id: 1, params: [undefined] }))).toEqual([{ id: 1, params: [null] }]);
  });

  test('every truncated prefix yields nothing until the frame is complete', () => {
    const bytes = wire([frames[1]!]);
    for (let cut = 0; cut < bytes.length; cut++) {
      const decoder = new FrameDecoder({ maxFrameBytes: 1024 });
      expect(decoder.push(bytes.subarray(0, cut))).toEqual([]);
      expect(decoder.bufferedBytes).toBe(cut);
      expect(decoder.push(bytes.subarray(cut))).toEqual([frames[1]]);
    }
  });

  test('every truncated body fails as MALFORMED_FRAME, never as anything else', () => {
    const body = encodeFrame(frames[3]!).subarray(4);
    for (let cut = 0; cut < body.length; cut++) {
      expect(() => decodeFrameBody(body.subarray(0, cut))).toThrow(RpcProtocolError);
    }
  });

  test('random chunk splits give the same frames', () => {
    const bytes = wire(frames);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
        const out: unknown[] = [];
        let start = 0;
        for (const point of [...points, bytes.length]) {
          out.push(...decoder.push(bytes.subarray(start, point)));
          start = point;
        }
        expect(out).toEqual(frames);
      }),
      { numRuns: 300 },
    );
  });

  test('random values round-trip through random splits', () => {
    const value = fc.jsonValue().map((result) => ({ id: 1, result }));
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 64 }),
        (values, size) => {
          const bytes = wire(values);
          const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
          const out: unknown[] = [];
          for (let i = 0; i < bytes.length; i += size) out.push(...decoder.push(bytes.subarray(i, i + size)));
          // MessagePack has no -0; JSON equality is the contract.
          expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse(JSON.stringify(values)));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('frames survive the caller reusing its chunk buffer (a socket onread buffer)', () => {
    const bytes = wire(frames);
    const reused = Buffer.alloc(100);
    const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += reused.length) {
      const n = bytes.copy(reused, 0, i, i + reused.length);
      decoder.feed(reused.subarray(0, n), (body) => out.push(decodeFrameBody(body)));
      reused.fill(0xc1);
    }
    expect(out).toEqual(frames);
  });

  test('records: an array result names its keys once and decodes to the same values', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({
      name: `p${i}`,
      group: 'workers',
      pid: 100 + i,
      description: `pid ${100 + i}, uptime 0:00:05`,
    }));
    const plain = encodeResultFrame(7, rows);
    const records = encodeResultFrame(7, rows, true);
    expect(records.length).toBeLessThan(plain.length * 0.75);
    // msgpackr's record definition (ext type 0x72) is in one, not the other.
    expect(records.includes(Buffer.from([0xd4, 0x72]))).toBe(true);
    expect(plain.includes(Buffer.from([0xd4, 0x72]))).toBe(false);
    // Each frame defines its records itself: a fresh decoder reads a later frame alone.
    const again = encodeResultFrame(8, rows, true);
    expect(again.subarray(9)).toEqual(records.subarray(9)); // the same bytes after the id
    expect(new FrameDecoder({ maxFrameBytes: 1 << 20 }).push(again)).toEqual([{ id: 8, result: rows }]);
    // Only lists gain from records; anything else is written plain.
    const state = { statecode: 1, statename: 'RUNNING' };
    expect(encodeResultFrame(9, state, true)).toEqual(encodeFrame({ id: 9, result: state }));
    expect(encodeResultFrame(9, 'text', true)).toEqual(encodeFrame({ id: 9, result: 'text' }));
  });

  test('a cacheEncoding result keeps both encodings, each what the uncached path writes', () => {
    const rows = [
      { name: 'web', pid: 42 },
      { name: 'db', pid: 43 },
    ];
    const result = cacheEncoding(structuredClone(rows));
    for (const id of [1, 2 ** 40]) {
      for (const records of [false, true, false]) {
        expect(encodeResultFrame(id, result, records)).toEqual(encodeResultFrame(id, rows, records));
      }
    }
  });

  test('a cacheEncoding result is encoded once, and the frame is what encodeFrame writes', () => {
    const result = cacheEncoding([{ name: 'web', pid: 42, description: 'pid 42, uptime 0:00:05' }]);
    expect(Object.isFrozen(result[0])).toBe(true);
    for (const id of [1, 300, 2 ** 40]) {
      expect(encodeResultFrame(id, result)).toEqual(encodeFrame({ id, result }));
    }
  });

  test('an oversized length fails before the body is buffered', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 100 });
    const header = Buffer.alloc(4);
    header.writeUInt32BE(101);
    expect(() => decoder.push(header)).toThrowError(
      expect.objectContaining({
        code: 'FRAME_TOO_LARGE',
        message: 'frame of 101 bytes exceeds the limit of 100 bytes',
      }),
    );
  });

  test('random bytes raise only RpcProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoder = new FrameDecoder({ maxFrameBytes: 1 << 16 });
        try {
          decoder.push(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(RpcProtocolError);
        }
      }),
      { numRuns: 500 },
    );
  });

  test.each([
    ['a bare nil', Buffer.from([0xc0])],
    ['an array', Buffer.from([0x91, 0x01])],
    ['a never-used byte', Buffer.from([0xc1])],
    ['trailing bytes', Buffer.from([0x80, 0x80])],
    ['a truncated string', Buffer.from([0xa5, 0x61])],
  ])('a body that is %s is MALFORMED_FRAME', (_, body) => {
    expect(() => decodeFrameBody(body)).toThrowError(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
  });
});
