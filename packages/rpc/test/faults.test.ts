import { describe, expect, test } from 'vitest';
import { FAULTS, Fault, faultName, isFaultName } from '../src/index.ts';

describe('FAULTS', () => {
  test("has Supervisor's numbers", () => {
    expect(FAULTS).toMatchInlineSnapshot(`
      {
        "ABNORMAL_TERMINATION": 40,
        "ALREADY_ADDED": 90,
        "ALREADY_STARTED": 60,
        "BAD_ARGUMENTS": 3,
        "BAD_NAME": 10,
        "BAD_SIGNAL": 11,
        "CANT_REREAD": 92,
        "FAILED": 30,
        "INCORRECT_PARAMETERS": 2,
        "NOT_EXECUTABLE": 21,
        "NOT_RUNNING": 70,
        "NO_FILE": 20,
        "SHUTDOWN_STATE": 6,
        "SIGNATURE_UNSUPPORTED": 4,
        "SPAWN_ERROR": 50,
        "STILL_RUNNING": 91,
        "SUCCESS": 80,
        "UNKNOWN_METHOD": 1,
      }
    `);
  });

  test.each([
    [70, 'NOT_RUNNING'],
    [92, 'CANT_REREAD'],
    [5, 'UNKNOWN'],
    [12345, 'UNKNOWN'],
  ])('faultName(%i) is %s', (code, name) => {
    expect(faultName(code)).toBe(name);
  });

  test('isFaultName', () => {
    expect(isFaultName('BAD_NAME')).toBe(true);
    expect(isFaultName('bad_name')).toBe(false);
    expect(isFaultName('toString')).toBe(false);
  });
});

describe('Fault', () => {
  test('NAME: detail form', () => {
    const fault = new Fault('BAD_NAME', 'web');
    expect(fault).toBeInstanceOf(Error);
    expect([fault.code, fault.name, fault.message, fault.detail]).toEqual([
      10,
      'BAD_NAME',
      'BAD_NAME: web',
      'web',
    ]);
    expect(new Fault('SHUTDOWN_STATE').message).toBe('SHUTDOWN_STATE');
    expect(new Fault(777).message).toBe('UNKNOWN');
    expect(fault.toFaultStruct()).toEqual({ faultCode: 10, faultString: 'BAD_NAME: web' });
    expect(fault.toWire()).toEqual({ code: 10, name: 'BAD_NAME', message: 'BAD_NAME: web' });
  });

  test('instanceof holds across copies of the package (two versions, or a bundled and an installed one)', async () => {
    // A query string makes vite load the module a second time: another Fault class.
    const path = '../src/faults.ts?second-copy';
    const other = (await import(/* @vite-ignore */ path)) as typeof import('../src/faults.ts');
    expect(other.Fault).not.toBe(Fault);
    expect(new other.Fault('BAD_NAME', 'x')).toBeInstanceOf(Fault);
    expect(new Fault('FAILED')).toBeInstanceOf(other.Fault);
    expect(new Error('BAD_NAME')).not.toBeInstanceOf(Fault);
    expect({ code: 10, name: 'BAD_NAME', message: 'BAD_NAME' }).not.toBeInstanceOf(Fault);
    expect(null).not.toBeInstanceOf(Fault);
    // The mark is not an own enumerable key: faults compare and print as before.
    expect(Object.keys(new Fault('BAD_NAME', 'x'))).toEqual(['code', 'name', 'detail']);
  });

  test('rejects an unknown name with the valid ones listed', () => {
    expect(() => new Fault('NOPE' as 'BAD_NAME')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Fault: unknown fault name "NOPE"; expected one of UNKNOWN_METHOD, INCORRECT_PARAMETERS, BAD_ARGUMENTS, SIGNATURE_UNSUPPORTED, SHUTDOWN_STATE, BAD_NAME, BAD_SIGNAL, NO_FILE, NOT_EXECUTABLE, FAILED, ABNORMAL_TERMINATION, SPAWN_ERROR, ALREADY_STARTED, NOT_RUNNING, SUCCESS, ALREADY_ADDED, STILL_RUNNING, CANT_REREAD]`,
    );
  });

  test('rebuilds from the wire, keeping the message', () => {
    const fault = Fault.fromWire({
      code: 20,
      name: 'NO_FILE',
      message: "NO_FILE: can't find command '/x/y'",
    });
    expect(fault).toBeInstanceOf(Fault);
    expect([fault.name, fault.detail, fault.message]).toEqual([
      'NO_FILE',
      "can't find command '/x/y'",
      "NO_FILE: can't find command '/x/y'",
    ]);
    const bare = Fault.fromFaultStruct({ faultCode: 1, faultString: 'UNKNOWN_METHOD' });
    expect([bare.name, bare.detail]).toEqual(['UNKNOWN_METHOD', undefined]);
  });

  test.each([
    [new Fault('NOT_RUNNING', 'x'), 'NOT_RUNNING: x'],
    [Object.assign(new Error('web'), { code: 'ALREADY_STARTED' }), 'ALREADY_STARTED: web'],
    [Object.assign(new Error('SPAWN_ERROR: web'), { code: 'SPAWN_ERROR' }), 'SPAWN_ERROR: web'],
    [Object.assign(new Error('ENOENT'), { code: 'ENOENT' }), 'FAILED: ENOENT'],
    [new Error('boom'), 'FAILED: boom'],
    ['a string', 'FAILED: a string'],
  ])('Fault.from(%o) → %s', (error, message) => {
    expect(Fault.from(error).message).toBe(message);
  });
});
