/**
 * Supervisor's fault codes (`supervisor.xmlrpc.Faults`), name → number. XML-RPC and the native
 * protocol carry the same numbers. SUCCESS is never raised: it is the `status` of a successful
 * entry in a results array.
 *
 * @example
 * FAULTS.BAD_NAME; // 10
 */
export const FAULTS = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

/** A fault name: `'UNKNOWN_METHOD' | 'INCORRECT_PARAMETERS' | … | 'CANT_REREAD'`. */
export type FaultName = keyof typeof FAULTS;

/** A fault code: `1 | 2 | 3 | … | 92`. */
export type FaultCode = (typeof FAULTS)[FaultName];

const NAME_BY_CODE = new Map<number, FaultName>(
  Object.entries(FAULTS).map(([name, code]) => [code, name as FaultName]),
);

/**
 * Whether `name` is a key of {@link FAULTS}.
 *
 * @example
 * isFaultName('BAD_NAME'); // true
 */
export function isFaultName(name: unknown): name is FaultName {
  return typeof name === 'string' && Object.hasOwn(FAULTS, name);
}

/**
 * The fault name for a code, or `'UNKNOWN'` as Supervisor's `getFaultDescription` says for a code
 * it does not know.
 *
 * @example
 * faultName(70); // 'NOT_RUNNING'
 * faultName(12345); // 'UNKNOWN'
 */
export function faultName(code: number): FaultName | 'UNKNOWN' {
  return NAME_BY_CODE.get(code) ?? 'UNKNOWN';
}

/** A fault as XML-RPC and `system.multicall` carry it. */
export interface FaultStruct {
  readonly faultCode: number;
  readonly faultString: string;
}

/** A fault as the native protocol carries it in an error envelope. */
export interface WireError {
  readonly code: number;
  readonly name: string;
  readonly message: string;
}

// Every copy of this package marks its faults with the same registered symbol, so `instanceof
// Fault` holds across copies: an app may end up with two versions of @supctl/rpc, or a bundled
// copy beside an installed one (an API implementation's faults checked by another copy's server).
const FAULT_BRAND = Symbol.for('@supctl/rpc.Fault');

/**
 * An API fault: Supervisor's `code` (number), its `name` (the key in {@link FAULTS}) and a message
 * in Supervisor's `NAME` or `NAME: detail` form, which is also XML-RPC's `faultString`.
 * `instanceof Fault` is true for a Fault from any copy of this package.
 *
 * @example
 * throw new Fault('BAD_NAME', 'web'); // message 'BAD_NAME: web', code 10
 * if (error instanceof Fault && error.name === 'NOT_RUNNING') console.log('already stopped');
 */
export class Fault extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && FAULT_BRAND in value;
  }

  /** Supervisor's number, e.g. 10 for BAD_NAME. */
  readonly code: number;
  /** Supervisor's name, e.g. `'BAD_NAME'`; `'UNKNOWN'` for a code outside the table. */
  override readonly name: FaultName | 'UNKNOWN';
  /** The part after `NAME: `, or `undefined` when the fault has none. */
  readonly detail: string | undefined;

  /**
   * @param fault a name from {@link FAULTS}, or a code (an unknown code is named `UNKNOWN`)
   * @param detail what the fault is about, usually the name the caller passed
   */
  constructor(fault: FaultName | number, detail?: string, options?: ErrorOptions) {
    const name = typeof fault === 'number' ? faultName(fault) : fault;
    const code = typeof fault === 'number' ? fault : FAULTS[fault];
    if (!Number.isInteger(code)) {
      throw new TypeError(
        `Fault: unknown fault name ${JSON.stringify(fault)}; expected one of ${Object.keys(FAULTS).join(', ')}`,
      );
    }
    super(detail === undefined ? name : `${name}: ${detail}`, options);
    this.code = code;
    this.name = name;
    this.detail = detail;
    Object.defineProperty(this, FAULT_BRAND, { value: true });
  }

  /**
   * Rebuilds a fault from a message in `NAME` / `NAME: detail` form and its code (an XML-RPC fault,
   * a multicall slot, or a native error envelope). The message is kept exactly as received.
   *
   * @example
   * Fault.fromFaultStruct({ faultCode: 10, faultString: 'BAD_NAME: web' }).detail; // 'web'
   */
  static fromFaultStruct(struct: FaultStruct): Fault {
    const fault = new Fault(struct.faultCode);
    const prefix = `${fault.name}: `;
    const message = String(struct.faultString);
    Object.defineProperty(fault, 'message', { value: message, writable: true, configurable: true });
    Object.defineProperty(fault, 'detail', {
      value: message.startsWith(prefix) ? message.slice(prefix.length) : undefined,
      enumerable: true,
    });
    return fault;
  }

  /**
   * Rebuilds a fault from a native error envelope (`{code, name, message}`).
   *
   * @example
   * Fault.fromWire({ code: 70, name: 'NOT_RUNNING', message: 'NOT_RUNNING: web' }).name; // 'NOT_RUNNING'
   */
  static fromWire(error: WireError): Fault {
    return Fault.fromFaultStruct({ faultCode: error.code, faultString: error.message });
  }

  /**
   * Turns anything thrown by an API implementation into a fault: a Fault stays as it is; an error
   * whose string `code` is a fault name (as @supctl/core's errors are) becomes that fault, its
   * message the detail; anything else becomes `FAILED: <message>` (supervisord's catch-all).
   *
   * @example
   * Fault.from(Object.assign(new Error('web'), { code: 'ALREADY_STARTED' })).message; // 'ALREADY_STARTED: web'
   */
  static from(error: unknown): Fault {
    if (error instanceof Fault) return error;
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    if (isFaultName(code) && code !== 'SUCCESS') {
      const prefix = `${code}: `;
      const detail =
        message === code ? undefined : message.startsWith(prefix) ? message.slice(prefix.length) : message;
      return new Fault(code, detail, { cause: error });
    }
    return new Fault('FAILED', message || undefined, { cause: error });
  }

  /** The `{faultCode, faultString}` struct of XML-RPC and multicall. */
  toFaultStruct(): FaultStruct {
    return { faultCode: this.code, faultString: this.message };
  }

  /** The native error envelope body. */
  toWire(): WireError {
    return { code: this.code, name: this.name, message: this.message };
  }
}
