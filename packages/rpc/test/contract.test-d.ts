import type { ProcessStateEvent, SupervisorEvent, TickEvent } from '@supctl/events';
import { describe, expectTypeOf, test } from 'vitest';
import type {
  ApiImplementation,
  EventsDropped,
  LogChunk,
  METHOD_TABLE,
  MethodName,
  ProcessInfo,
  ProcessStatusResult,
  RpcClient,
  StateInfo,
  TailResult,
} from '../src/index.ts';

declare const client: RpcClient;
type Item<S> = S extends AsyncIterable<infer T> ? T : never;

describe('call(method, ...params)', () => {
  test('infers results from the method name', () => {
    expectTypeOf(client.call('supervisor.getState')).resolves.toEqualTypeOf<StateInfo>();
    expectTypeOf(client.call('supervisor.getAllProcessInfo')).resolves.toEqualTypeOf<ProcessInfo[]>();
    expectTypeOf(client.call('supervisor.getProcessInfo', 'web')).resolves.toEqualTypeOf<ProcessInfo>();
    expectTypeOf(client.call('supervisor.getPID')).resolves.toEqualTypeOf<number>();
    expectTypeOf(
      client.call('supervisor.tailProcessStdoutLog', 'web', 0, 100),
    ).resolves.toEqualTypeOf<TailResult>();
    expectTypeOf(client.call('supervisor.startProcess', 'web')).resolves.toEqualTypeOf<
      boolean | ProcessStatusResult[]
    >();
    expectTypeOf(client.call('supervisor.startAllProcesses')).resolves.toEqualTypeOf<ProcessStatusResult[]>();
    expectTypeOf(client.call('system.listMethods')).resolves.toEqualTypeOf<string[]>();
  });

  test('checks parameters: arity, types, optional wait', () => {
    client.call('supervisor.startProcess', 'web', false);
    client.call('supervisor.signalProcess', 'web', 'HUP');
    client.call('supervisor.signalProcess', 'web', 9);
    // @ts-expect-error name is required
    client.call('supervisor.getProcessInfo');
    // @ts-expect-error name is a string
    client.call('supervisor.getProcessInfo', 5);
    // @ts-expect-error getState takes nothing
    client.call('supervisor.getState', 'x');
    // @ts-expect-error not a method
    client.call('supervisor.nope');
    // @ts-expect-error streams are not called
    client.call('supctl.subscribe');
  });

  test('struct fields keep Supervisor names', () => {
    expectTypeOf<ProcessInfo>().toHaveProperty('stdout_logfile').toEqualTypeOf<string>();
    expectTypeOf<ProcessInfo['statename']>().toEqualTypeOf<
      'STOPPED' | 'STARTING' | 'RUNNING' | 'BACKOFF' | 'STOPPING' | 'EXITED' | 'FATAL' | 'UNKNOWN'
    >();
    expectTypeOf<StateInfo['statecode']>().toEqualTypeOf<2 | 1 | 0 | -1>();
  });
});

describe('streams', () => {
  test('subscribe narrows events by the types filter; a stream may say where events were dropped', () => {
    expectTypeOf<Item<ReturnType<typeof client.subscribe>>>().toEqualTypeOf<
      SupervisorEvent | EventsDropped
    >();
    const all = client.subscribe();
    expectTypeOf<Item<typeof all>>().toEqualTypeOf<SupervisorEvent | EventsDropped>();
    const states = client.subscribe({ types: ['PROCESS_STATE'], processes: ['web'] });
    expectTypeOf<Item<typeof states>>().toEqualTypeOf<ProcessStateEvent | EventsDropped>();
    const ticks = client.subscribe({ types: ['TICK_5', 'TICK_60'] });
    expectTypeOf<Item<typeof ticks>>().toEqualTypeOf<TickEvent | EventsDropped>();
    const everything = client.subscribe({ types: ['EVENT'] });
    expectTypeOf<Item<typeof everything>>().toEqualTypeOf<SupervisorEvent | EventsDropped>();
    // @ts-expect-error unknown event type
    client.subscribe({ types: ['PROCESS_STATES'] });
  });

  test('tail yields log chunks', () => {
    const tail = client.tail('web', { channel: 'stderr', follow: true, offset: -1600 });
    expectTypeOf<Item<typeof tail>>().toEqualTypeOf<LogChunk>();
    // @ts-expect-error channel is stdout or stderr
    client.tail('web', { channel: 'stdin' });
  });
});

describe('ApiImplementation', () => {
  test('handlers get defaults filled in and return the contract types', () => {
    expectTypeOf<Parameters<ApiImplementation['supervisor.startProcess']>>().toEqualTypeOf<
      [name: string, wait: boolean]
    >();
    expectTypeOf<ReturnType<ApiImplementation['supervisor.getState']>>().toEqualTypeOf<
      Promise<StateInfo> | StateInfo
    >();
    expectTypeOf<ApiImplementation>().not.toHaveProperty('supervisor.getVersion');
    expectTypeOf<ApiImplementation>().not.toHaveProperty('system.multicall');
  });

  test('the runtime method table covers exactly the contract', () => {
    expectTypeOf<keyof typeof METHOD_TABLE>().toEqualTypeOf<MethodName>();
  });
});
