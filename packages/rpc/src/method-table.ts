import type { MethodName, StreamMethodName } from './contract.ts';

/** How a parameter is checked (and, for XML-RPC's loose values, coerced) before dispatch. */
export type ParamKind = 'string' | 'int' | 'boolean' | 'signal' | 'array' | 'object';

/** One parameter of a method: its name, kind, and default when it is optional. */
export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  readonly optional?: boolean;
  readonly default?: unknown;
}

/** A method's runtime description: parameters, Supervisor's `methodSignature` and a summary. */
export interface MethodSpec {
  readonly params: readonly ParamSpec[];
  /** `[returnType, paramType…]` as `system.methodSignature` returns it. */
  readonly signature: readonly string[];
  readonly help: string;
}

const name = { name: 'name', kind: 'string' } as const;
const wait = { name: 'wait', kind: 'boolean', optional: true, default: true } as const;
const offset = { name: 'offset', kind: 'int' } as const;
const length = { name: 'length', kind: 'int' } as const;
const signal = { name: 'signal', kind: 'signal' } as const;

function spec(signature: string[], params: ParamSpec[], help: string): MethodSpec {
  return { params, signature, help };
}

const readLog = spec(
  ['string', 'int', 'int'],
  [offset, length],
  'Read length bytes from the main log starting at offset',
);
const readOut = spec(
  ['string', 'string', 'int', 'int'],
  [name, offset, length],
  "Read length bytes from name's stdout log starting at offset",
);
const tailOut = spec(
  ['array', 'string', 'int', 'int'],
  [name, offset, length],
  'Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog(): returns [string bytes, int offset, bool overflow]',
);
const clearLogs = spec(
  ['boolean', 'string'],
  [name],
  'Clear the stdout and stderr logs for the named process and reopen them',
);
const version = spec(['string'], [], 'Return the version of the RPC API used by supervisord');

/**
 * Every request/response method with its parameters and Supervisor's signature, in
 * `system.listMethods` order (sorted). The 41 names are exactly Supervisor 4.2.5's.
 *
 * @example
 * METHOD_TABLE['supervisor.startProcess'].signature; // ['boolean', 'string', 'boolean']
 */
export const METHOD_TABLE: { readonly [M in MethodName]: MethodSpec } = {
  'supervisor.addProcessGroup': spec(
    ['boolean', 'string'],
    [name],
    'Update the config for a running process from config file',
  ),
  'supervisor.clearAllProcessLogs': spec(['array'], [], 'Clear all process log files'),
  'supervisor.clearLog': spec(['boolean'], [], 'Clear the main log'),
  'supervisor.clearProcessLog': clearLogs,
  'supervisor.clearProcessLogs': clearLogs,
  'supervisor.getAPIVersion': version,
  'supervisor.getAllConfigInfo': spec(['array'], [], 'Get info about all available process configurations'),
  'supervisor.getAllProcessInfo': spec(['array'], [], 'Get info about all processes'),
  'supervisor.getIdentification': spec(['string'], [], 'Return identifying string of supervisord'),
  'supervisor.getPID': spec(['int'], [], 'Return the PID of supervisord'),
  'supervisor.getProcessInfo': spec(['struct', 'string'], [name], 'Get info about a process named name'),
  'supervisor.getState': spec(['struct'], [], 'Return current state of supervisord as a struct'),
  'supervisor.getSupervisorVersion': spec(
    ['string'],
    [],
    'Return the version of the supervisor package in use by supervisord',
  ),
  'supervisor.getVersion': version,
  'supervisor.readLog': readLog,
  'supervisor.readMainLog': readLog,
  'supervisor.readProcessLog': readOut,
  'supervisor.readProcessStderrLog': spec(
    ['string', 'string', 'int', 'int'],
    [name, offset, length],
    "Read length bytes from name's stderr log starting at offset",
  ),
  'supervisor.readProcessStdoutLog': readOut,
  'supervisor.reloadConfig': spec(['array'], [], 'Reload the configuration'),
  'supervisor.removeProcessGroup': spec(
    ['boolean', 'string'],
    [name],
    'Remove a stopped process from the active configuration',
  ),
  'supervisor.restart': spec(['boolean'], [], 'Restart the supervisor process'),
  'supervisor.sendProcessStdin': spec(
    ['boolean', 'string', 'string'],
    [name, { name: 'chars', kind: 'string' }],
    'Send a string of chars to the stdin of the process name',
  ),
  'supervisor.sendRemoteCommEvent': spec(
    ['boolean', 'string', 'string'],
    [
      { name: 'type', kind: 'string' },
      { name: 'data', kind: 'string' },
    ],
    'Send an event that will be received by event listener subprocesses subscribing to the RemoteCommunicationEvent',
  ),
  'supervisor.shutdown': spec(['boolean'], [], 'Shut down the supervisor process'),
  'supervisor.signalAllProcesses': spec(
    ['array', 'string'],
    [signal],
    'Send a signal to all processes in the process list',
  ),
  'supervisor.signalProcess': spec(
    ['boolean', 'string', 'string'],
    [name, signal],
    'Send an arbitrary UNIX signal to the process named by name',
  ),
  'supervisor.signalProcessGroup': spec(
    ['array', 'string', 'string'],
    [name, signal],
    'Send a signal to all processes in the group named name',
  ),
  'supervisor.startAllProcesses': spec(
    ['array', 'boolean'],
    [wait],
    'Start all processes listed in the configuration file',
  ),
  'supervisor.startProcess': spec(['boolean', 'string', 'boolean'], [name, wait], 'Start a process'),
  'supervisor.startProcessGroup': spec(
    ['array', 'string', 'boolean'],
    [name, wait],
    "Start all processes in the group named 'name'",
  ),
  'supervisor.stopAllProcesses': spec(['array', 'boolean'], [wait], 'Stop all processes in the process list'),
  'supervisor.stopProcess': spec(
    ['boolean', 'string', 'boolean'],
    [name, wait],
    'Stop a process named by name',
  ),
  'supervisor.stopProcessGroup': spec(
    ['array', 'string', 'boolean'],
    [name, wait],
    "Stop all processes in the process group named 'name'",
  ),
  'supervisor.tailProcessLog': tailOut,
  'supervisor.tailProcessStderrLog': spec(
    ['array', 'string', 'int', 'int'],
    [name, offset, length],
    'Provides a more efficient way to tail the (stderr) log than readProcessStderrLog(): returns [string bytes, int offset, bool overflow]',
  ),
  'supervisor.tailProcessStdoutLog': tailOut,
  'system.listMethods': spec(['array'], [], 'Return an array listing the available method names'),
  'system.methodHelp': spec(
    ['string', 'string'],
    [name],
    "Return a string showing the method's documentation",
  ),
  'system.methodSignature': spec(
    ['array', 'string'],
    [name],
    'Return an array describing the method signature in the form [rtype, ptype, ptype...]',
  ),
  'system.multicall': spec(
    ['array', 'array'],
    [{ name: 'calls', kind: 'array' }],
    'Process an array of calls, and return an array of results',
  ),
};

/** The native-only stream methods and their parameters. */
export const STREAM_METHOD_TABLE: {
  readonly [M in StreamMethodName]: { readonly params: readonly ParamSpec[] };
} = {
  'supctl.subscribe': { params: [{ name: 'filter', kind: 'object', optional: true, default: {} }] },
  'supctl.tail': {
    params: [name, { name: 'options', kind: 'object', optional: true, default: {} }],
  },
};

/**
 * Supervisor's `system.listMethods` result: the 41 names, sorted.
 *
 * @example
 * METHOD_NAMES.length; // 41
 */
export const METHOD_NAMES: readonly MethodName[] = Object.freeze(
  (Object.keys(METHOD_TABLE) as MethodName[]).sort(),
);

/** Whether `method` is a request/response method of the contract (own key, not inherited). */
export function isMethodName(method: unknown): method is MethodName {
  return typeof method === 'string' && Object.hasOwn(METHOD_TABLE, method);
}

/** Whether `method` is a native stream method (`supctl.subscribe`, `supctl.tail`). */
export function isStreamMethodName(method: unknown): method is StreamMethodName {
  return typeof method === 'string' && Object.hasOwn(STREAM_METHOD_TABLE, method);
}
