import { isPlainObject } from './codec.ts';
import {
  type ApiImplementation,
  METHOD_ALIASES,
  type MethodName,
  type MulticallResult,
  type StreamContext,
  type StreamMethodName,
} from './contract.ts';
import { Fault } from './faults.ts';
import {
  isMethodName,
  isStreamMethodName,
  METHOD_NAMES,
  METHOD_TABLE,
  type ParamSpec,
  STREAM_METHOD_TABLE,
} from './method-table.ts';
import { checkSubscribeFilter } from './subscribe-filter.ts';

/**
 * Routes a method name and its raw parameters to an {@link ApiImplementation}, the same way for
 * every transport: checks names and arguments (UNKNOWN_METHOD, INCORRECT_PARAMETERS), fills
 * defaults, resolves aliases, answers `system.listMethods`/`methodSignature`/`multicall` itself,
 * and turns anything thrown into a {@link Fault}.
 */
export interface Dispatcher {
  /** Runs a request/response method; rejects only with a {@link Fault}. */
  call(method: string, params: readonly unknown[]): Promise<unknown>;
  /**
   * As {@link Dispatcher.call}, without a promise where the handler needs none: returns the
   * result of a synchronous handler, or a promise (rejecting only with a {@link Fault}) of an
   * asynchronous one; throws only a {@link Fault}.
   */
  dispatch(method: string, params: readonly unknown[]): unknown;
  /** Whether `method` answers with a stream (native protocol only). */
  isStream(method: string): method is StreamMethodName;
  /**
   * Opens a stream method; throws a {@link Fault} for bad arguments. `options.maxFrameBytes` (the
   * client's frame limit) reaches the handler in its {@link StreamContext}.
   */
  openStream(
    method: StreamMethodName,
    params: readonly unknown[],
    signal: AbortSignal,
    options?: { readonly maxFrameBytes?: number },
  ): AsyncIterable<unknown>;
}

/** Whether `value` is a promise (or any object with a `then` method, as `await` sees it). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { then?: unknown }).then === 'function') ||
    (typeof value === 'function' && typeof (value as { then?: unknown }).then === 'function')
  );
}

const INT_STRING = /^\s*[+-]?\d+\s*$/;

// Checks one argument; returns the (coerced) value, or `undefined` for a mismatch.
function coerce(kind: ParamSpec['kind'], value: unknown): { value: unknown } | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? { value } : undefined;
    case 'int':
      // XML-RPC's <i8> arrives as a string; Supervisor's int() accepts it.
      if (Number.isSafeInteger(value)) return { value };
      return typeof value === 'string' && INT_STRING.test(value) ? { value: Number(value) } : undefined;
    case 'boolean':
      // Python tests truthiness, so XML-RPC callers sending <int>0</int> work.
      if (typeof value === 'boolean') return { value };
      return typeof value === 'number' ? { value: value !== 0 } : undefined;
    case 'signal':
      return typeof value === 'string' || Number.isSafeInteger(value) ? { value } : undefined;
    case 'array':
      return Array.isArray(value) ? { value } : undefined;
    case 'object':
      return isPlainObject(value) ? { value } : undefined;
  }
}

function checkParams(method: string, specs: readonly ParamSpec[], params: readonly unknown[]): unknown[] {
  if (params.length > specs.length) throw new Fault('INCORRECT_PARAMETERS');
  const out: unknown[] = [];
  for (const [index, spec] of specs.entries()) {
    const raw = params[index];
    if (raw === undefined || (raw === null && spec.optional)) {
      if (!spec.optional) throw new Fault('INCORRECT_PARAMETERS');
      out.push(spec.default);
      continue;
    }
    const checked = coerce(spec.kind, raw);
    if (!checked) {
      // The one typed detail Supervisor gives (§2.3): sendProcessStdin with a non-string.
      const detail =
        method === 'supervisor.sendProcessStdin' && spec.name === 'chars' ? String(raw) : undefined;
      throw new Fault('INCORRECT_PARAMETERS', detail);
    }
    out.push(checked.value);
  }
  return out;
}

// Native-only methods owe Supervisor's bare INCORRECT_PARAMETERS nothing: say what was wrong.
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return typeof value === 'object' ? 'an object that is not a map' : `a ${typeof value}`;
}

function checkStreamParams(method: StreamMethodName, params: readonly unknown[]): unknown[] {
  const [first, second] = params;
  if (method === 'supctl.subscribe' && first !== undefined && first !== null && !isPlainObject(first)) {
    throw new Fault(
      'INCORRECT_PARAMETERS',
      `filter: expected a map like {types: ['PROCESS_STATE']}, got ${describeValue(first)}`,
    );
  }
  if (method === 'supctl.tail') {
    if (typeof first !== 'string')
      throw new Fault('INCORRECT_PARAMETERS', `name: expected a string, got ${describeValue(first)}`);
    if (second !== undefined && second !== null && !isPlainObject(second)) {
      throw new Fault(
        'INCORRECT_PARAMETERS',
        `options: expected a map like {follow: true}, got ${describeValue(second)}`,
      );
    }
  }
  const args = checkParams(method, STREAM_METHOD_TABLE[method].params, params);
  if (method === 'supctl.subscribe') {
    const problem = checkSubscribeFilter(args[0] as Record<string, unknown>);
    if (problem) throw new Fault('INCORRECT_PARAMETERS', problem);
    return args;
  }
  const options = args[1] as Record<string, unknown>;
  // As the subscribe filter: a misspelt option (`ofset`) is an error, not silently the default.
  for (const key of Object.keys(options)) {
    if (key !== 'channel' && key !== 'follow' && key !== 'offset') {
      throw new Fault(
        'INCORRECT_PARAMETERS',
        `options: unknown key '${key}'; expected channel, follow or offset`,
      );
    }
  }
  // nil is absent (a client encodes `{ offset: undefined }` as nil), as in the subscribe filter.
  const channel = options.channel ?? 'stdout';
  const follow = options.follow ?? true;
  const offset = options.offset ?? -1600;
  if (channel !== 'stdout' && channel !== 'stderr') {
    throw new Fault(
      'INCORRECT_PARAMETERS',
      `options.channel: expected 'stdout' or 'stderr', got ${JSON.stringify(channel)}`,
    );
  }
  if (typeof follow !== 'boolean')
    throw new Fault('INCORRECT_PARAMETERS', 'options.follow: expected a boolean');
  if (!Number.isSafeInteger(offset))
    throw new Fault('INCORRECT_PARAMETERS', 'options.offset: expected an integer');
  return [args[0], { channel, follow, offset }];
}

function unexpected(error: unknown): MulticallResult {
  if (error instanceof Fault) return error.toFaultStruct();
  const fault = Fault.from(error);
  if (fault.cause === error && fault.name === 'FAILED' && error instanceof Error) {
    return new Fault('FAILED', `<class '${error.name}'>:${error.message}`).toFaultStruct();
  }
  return fault.toFaultStruct();
}

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  /** Called when a handler throws something that is not a {@link Fault} (it becomes FAILED). */
  readonly onUnexpectedError?: (error: unknown, method: string) => void;
}

/**
 * Builds the {@link Dispatcher} for an API implementation.
 *
 * @example
 * const dispatch = createDispatcher(api);
 * await dispatch.call('supervisor.getVersion', []); // '3.0', via getAPIVersion
 */
export function createDispatcher(api: ApiImplementation, options: DispatcherOptions = {}): Dispatcher {
  const handlers = api as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;

  // The handler's result: a value, or a promise of one.
  function invoke(method: MethodName, args: unknown[]): unknown {
    switch (method) {
      case 'system.listMethods':
        return [...METHOD_NAMES];
      case 'system.methodSignature': {
        const target = args[0];
        if (!isMethodName(target)) throw new Fault('SIGNATURE_UNSUPPORTED');
        return [...METHOD_TABLE[target].signature];
      }
      case 'system.methodHelp': {
        const target = args[0];
        if (!isMethodName(target)) throw new Fault('SIGNATURE_UNSUPPORTED');
        const help = handlers['system.methodHelp'];
        return help ? help(target) : METHOD_TABLE[target].help;
      }
      case 'system.multicall':
        return multicall(args[0] as unknown[]);
    }
    const canonical = (METHOD_ALIASES as Record<string, string>)[method] ?? method;
    const handler = Object.hasOwn(handlers, canonical) ? handlers[canonical] : undefined;
    if (typeof handler !== 'function') throw new Fault('UNKNOWN_METHOD');
    return handler.apply(api, args);
  }

  function toFault(error: unknown, method: string): Fault {
    const fault = Fault.from(error);
    if (!(error instanceof Fault) && fault.name === 'FAILED') options.onUnexpectedError?.(error, method);
    return fault;
  }

  // Synchronous handlers answer without a promise or a microtask: most calls are these.
  function dispatch(method: string, params: readonly unknown[]): unknown {
    if (!isMethodName(method)) throw new Fault('UNKNOWN_METHOD');
    if (!Array.isArray(params)) throw new Fault('INCORRECT_PARAMETERS');
    let result: unknown;
    try {
      result = invoke(method, checkParams(method, METHOD_TABLE[method].params, params));
    } catch (error) {
      throw toFault(error, method);
    }
    if (!isThenable(result)) return result;
    return Promise.resolve(result).then(undefined, (error: unknown) => {
      throw toFault(error, method);
    });
  }

  async function call(method: string, params: readonly unknown[]): Promise<unknown> {
    return dispatch(method, params);
  }

  // Supervisor's multicall: sequential, bare results, faults inline as structs.
  async function multicall(calls: unknown[]): Promise<MulticallResult[]> {
    const results: MulticallResult[] = [];
    for (const entry of calls) {
      const { methodName, params = [] } = (typeof entry === 'object' && entry !== null ? entry : {}) as {
        methodName?: unknown;
        params?: unknown;
      };
      if (methodName === undefined || methodName === null || methodName === '') {
        results.push(new Fault('INCORRECT_PARAMETERS', 'No methodName').toFaultStruct());
      } else if (methodName === 'system.multicall') {
        results.push(
          new Fault('INCORRECT_PARAMETERS', 'Recursive system.multicall forbidden').toFaultStruct(),
        );
      } else {
        try {
          if (!isMethodName(methodName)) throw new Fault('UNKNOWN_METHOD');
          if (!Array.isArray(params)) throw new Fault('INCORRECT_PARAMETERS');
          results.push(
            await invoke(methodName, checkParams(methodName, METHOD_TABLE[methodName].params, params)),
          );
        } catch (error) {
          results.push(unexpected(error));
        }
      }
    }
    return results;
  }

  return {
    call,
    dispatch,
    isStream: isStreamMethodName,
    openStream(method, params, signal, options) {
      if (!Array.isArray(params)) throw new Fault('INCORRECT_PARAMETERS');
      const args = checkStreamParams(method, params);
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
      if (typeof handler !== 'function') throw new Fault('UNKNOWN_METHOD');
      try {
        const context: StreamContext = { signal, maxFrameBytes: options?.maxFrameBytes };
        return handler.apply(api, [...args, context]) as AsyncIterable<unknown>;
      } catch (error) {
        throw Fault.from(error);
      }
    },
  };
}
