import { describe, expect, test, vi } from 'vitest';
import { createDispatcher, Fault, METHOD_ALIASES, METHOD_NAMES, METHOD_TABLE } from '../src/index.ts';
import { makeFakeApi } from './fake-api.ts';

function dispatcher(overrides = {}) {
  return createDispatcher(makeFakeApi(overrides).api);
}

async function fault(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Fault);
  return (error as Fault).message;
}

describe('method table', () => {
  test("lists Supervisor's 41 methods, sorted", () => {
    expect(METHOD_NAMES).toHaveLength(41);
    expect(METHOD_NAMES.filter((name) => name.startsWith('system.'))).toEqual([
      'system.listMethods',
      'system.methodHelp',
      'system.methodSignature',
      'system.multicall',
    ]);
    expect([...METHOD_NAMES]).toEqual([...METHOD_NAMES].sort());
  });

  test('every signature has one type per parameter plus the return type', () => {
    for (const [name, spec] of Object.entries(METHOD_TABLE)) {
      expect(spec.signature.length, name).toBe(spec.params.length + 1);
    }
  });

  test('aliases share their target spec', () => {
    for (const [alias, target] of Object.entries(METHOD_ALIASES)) {
      expect(METHOD_TABLE[alias as keyof typeof METHOD_TABLE]).toBe(METHOD_TABLE[target]);
    }
  });
});

describe('createDispatcher', () => {
  test('calls the implementation, aliases included', async () => {
    const d = dispatcher();
    expect(await d.call('supervisor.getState', [])).toEqual({ statecode: 1, statename: 'RUNNING' });
    expect(await d.call('supervisor.getVersion', [])).toBe('3.0');
    expect(await d.call('supervisor.readMainLog', [0, 5])).toBe('log 0 5');
    expect(await d.call('supervisor.readProcessLog', ['web', 0, 3])).toBe('xxx');
  });

  test('fills defaults for optional parameters (wait = true)', async () => {
    const startProcess = vi.fn(async () => true);
    const d = dispatcher({ 'supervisor.startProcess': startProcess });
    await d.call('supervisor.startProcess', ['web']);
    await d.call('supervisor.startProcess', ['web', null]);
    await d.call('supervisor.startProcess', ['web', false]);
    expect(startProcess.mock.calls).toEqual([
      ['web', true],
      ['web', true],
      ['web', false],
    ]);
  });

  test.each([
    ['supervisor.nope', []],
    ['supervisor', []],
    ['supervisor.getState.x', []],
    ['supervisor._private', []],
    ['supervisor.API_VERSION', []],
    ['nope.getState', []],
    ['toString', []],
    ['__proto__', []],
    ['supctl.subscribe', []],
  ])('%s → UNKNOWN_METHOD', async (method, params) => {
    expect(await fault(dispatcher().call(method, params))).toBe('UNKNOWN_METHOD');
  });

  test.each([
    ['supervisor.getState', [1]],
    ['supervisor.getProcessInfo', []],
    ['supervisor.getProcessInfo', [5]],
    ['supervisor.startProcess', ['web', 'yes']],
    ['supervisor.readLog', [0.5, 0]],
    ['supervisor.readLog', ['x', 0]],
    ['supervisor.signalProcess', ['web', { sig: 1 }]],
    ['system.multicall', ['x']],
  ])('%s(%j) → INCORRECT_PARAMETERS', async (method, params) => {
    expect(await fault(dispatcher().call(method, params))).toBe('INCORRECT_PARAMETERS');
  });

  test('params that are not an array → INCORRECT_PARAMETERS', async () => {
    expect(await fault(dispatcher().call('supervisor.getState', 'x' as never))).toBe('INCORRECT_PARAMETERS');
  });

  test("sendProcessStdin with a non-string names the value, as Supervisor's does", async () => {
    expect(await fault(dispatcher().call('supervisor.sendProcessStdin', ['web', 5]))).toBe(
      'INCORRECT_PARAMETERS: 5',
    );
  });

  test("coerces XML-RPC's loose values: <i8> strings for ints, ints for booleans", async () => {
    const startProcess = vi.fn(async () => true);
    const d = dispatcher({ 'supervisor.startProcess': startProcess });
    expect(await d.call('supervisor.readLog', ['-5', ' 0 '])).toBe('log -5 0');
    await d.call('supervisor.startProcess', ['web', 0]);
    expect(startProcess).toHaveBeenCalledWith('web', false);
  });

  test('faults from the implementation pass through; other errors become FAILED', async () => {
    const onUnexpectedError = vi.fn();
    const d = createDispatcher(
      makeFakeApi({
        'supervisor.clearLog': async () => {
          throw new Error('disk on fire');
        },
        'supervisor.shutdown': async () => {
          throw Object.assign(new Error('shutting down'), { code: 'SHUTDOWN_STATE' });
        },
      }).api,
      { onUnexpectedError },
    );
    expect(await fault(d.call('supervisor.getProcessInfo', ['nope']))).toBe('BAD_NAME: nope');
    expect(await fault(d.call('supervisor.clearLog', []))).toBe('FAILED: disk on fire');
    expect(await fault(d.call('supervisor.shutdown', []))).toBe('SHUTDOWN_STATE: shutting down');
    expect(onUnexpectedError).toHaveBeenCalledTimes(1);
  });

  test('a method missing from the implementation → UNKNOWN_METHOD', async () => {
    const d = dispatcher({ 'supervisor.getPID': undefined });
    expect(await fault(d.call('supervisor.getPID', []))).toBe('UNKNOWN_METHOD');
  });

  test('system.listMethods, methodSignature, methodHelp', async () => {
    const d = dispatcher();
    expect(await d.call('system.listMethods', [])).toEqual([...METHOD_NAMES]);
    expect(await d.call('system.methodSignature', ['supervisor.startProcess'])).toEqual([
      'boolean',
      'string',
      'boolean',
    ]);
    expect(await d.call('system.methodSignature', ['supervisor.getState'])).toEqual(['struct']);
    expect(await fault(d.call('system.methodSignature', ['nope']))).toBe('SIGNATURE_UNSUPPORTED');
    expect(await d.call('system.methodHelp', ['supervisor.getPID'])).toBe('Return the PID of supervisord');
    expect(await fault(d.call('system.methodHelp', ['nope']))).toBe('SIGNATURE_UNSUPPORTED');
    const custom = dispatcher({ 'system.methodHelp': (name: string) => `help for ${name}` });
    expect(await custom.call('system.methodHelp', ['supervisor.getPID'])).toBe('help for supervisor.getPID');
  });

  test("system.multicall: bare results, faults inline, Supervisor's special cases", async () => {
    const d = dispatcher({
      'supervisor.clearLog': async () => {
        throw new TypeError('oops');
      },
    });
    expect(
      await d.call('system.multicall', [
        [
          { methodName: 'supervisor.getPID', params: [] },
          { methodName: 'supervisor.getProcessInfo', params: ['nope'] },
          { methodName: 'system.multicall', params: [[]] },
          { params: [] },
          { methodName: 'supervisor.startProcess', params: ['web'] },
          { methodName: 'supervisor.getState' },
          { methodName: 'supervisor.clearLog' },
          { methodName: 'supervisor.nope' },
        ],
      ]),
    ).toEqual([
      process.pid,
      { faultCode: 10, faultString: 'BAD_NAME: nope' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
      { faultCode: 60, faultString: 'ALREADY_STARTED: web' },
      { statecode: 1, statename: 'RUNNING' },
      { faultCode: 30, faultString: "FAILED: <class 'TypeError'>:oops" },
      { faultCode: 1, faultString: 'UNKNOWN_METHOD' },
    ]);
    expect(await d.call('system.multicall', [[]])).toEqual([]);
  });

  test('stream parameters are checked, with details', () => {
    const d = dispatcher();
    const signal = new AbortController().signal;
    const message = (params: unknown[]) => {
      try {
        d.openStream('supctl.subscribe', params, signal);
        return 'ok';
      } catch (error) {
        return (error as Fault).message;
      }
    };
    expect(message([])).toBe('ok');
    expect(message([{ types: ['PROCESS_STATE'], processes: ['web'] }])).toBe('ok');
    expect(message([{ types: ['process_state'] }])).toBe(
      "INCORRECT_PARAMETERS: filter.types: unknown event type 'process_state'; did you mean 'PROCESS_STATE'?",
    );
    expect(message([{ type: ['TICK'] }])).toBe(
      "INCORRECT_PARAMETERS: filter: unknown key 'type'; expected types, processes or groups",
    );
    expect(message([{ groups: 'web' }])).toBe(
      'INCORRECT_PARAMETERS: filter.groups: expected an array of strings',
    );
    expect(() => d.openStream('supctl.tail', ['web', { channel: 'stdin' }], signal)).toThrow(
      `INCORRECT_PARAMETERS: options.channel: expected 'stdout' or 'stderr', got "stdin"`,
    );
    expect(() => d.openStream('supctl.tail', ['web', { ofset: 0 }], signal)).toThrow(
      "INCORRECT_PARAMETERS: options: unknown key 'ofset'; expected channel, follow or offset",
    );
    expect(() => d.openStream('supctl.tail', ['nope', {}], signal)).toThrow('BAD_NAME: nope');
    expect(message(['PROCESS_STATE'])).toBe(
      `INCORRECT_PARAMETERS: filter: expected a map like {types: ['PROCESS_STATE']}, got the string "PROCESS_STATE"`,
    );
    expect(message([['PROCESS_STATE']])).toBe(
      "INCORRECT_PARAMETERS: filter: expected a map like {types: ['PROCESS_STATE']}, got an array",
    );
    expect(message([null])).toBe('ok');
    expect(() => d.openStream('supctl.tail', [5], signal)).toThrow(
      'INCORRECT_PARAMETERS: name: expected a string, got a number',
    );
    expect(() => d.openStream('supctl.tail', [], signal)).toThrow(
      'INCORRECT_PARAMETERS: name: expected a string, got nothing',
    );
    expect(() => d.openStream('supctl.tail', ['web', true], signal)).toThrow(
      'INCORRECT_PARAMETERS: options: expected a map like {follow: true}, got a boolean',
    );
    expect(() =>
      d.openStream('supctl.tail', ['nope', { channel: null, follow: null, offset: null }], signal),
    ).toThrow('BAD_NAME: nope');
  });
});

describe('dispatch', () => {
  test('a synchronous handler answers without a promise; an async one with a promise', async () => {
    const d = dispatcher({
      'supervisor.getPID': () => 42,
      'supervisor.getIdentification': async () => 'supd',
    });
    expect(d.dispatch('supervisor.getPID', [])).toBe(42);
    const pending = d.dispatch('supervisor.getIdentification', []);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toBe('supd');
  });

  test('faults: thrown synchronously by a sync handler, rejected by an async one', async () => {
    const d = dispatcher({
      'supervisor.getPID': () => {
        throw new Error('boom');
      },
      'supervisor.getIdentification': async () => {
        throw new Fault('SHUTDOWN_STATE');
      },
    });
    expect(() => d.dispatch('supervisor.nope', [])).toThrow(Fault);
    expect(() => d.dispatch('supervisor.getPID', [])).toThrowError(
      expect.objectContaining({ name: 'FAILED' }),
    );
    expect(await fault(d.dispatch('supervisor.getIdentification', []) as Promise<unknown>)).toBe(
      'SHUTDOWN_STATE',
    );
  });
});
