/**
 * Error codes of core, spelled like the RPC fault names they map to one to one (the API layer in
 * supd turns a `SupervisorError` into the fault with the same name).
 */
export const SUPERVISOR_ERROR_CODES = [
  'BAD_NAME',
  'BAD_SIGNAL',
  'BAD_ARGUMENTS',
  'NO_FILE',
  'NOT_EXECUTABLE',
  'FAILED',
  'ABNORMAL_TERMINATION',
  'SPAWN_ERROR',
  'ALREADY_STARTED',
  'NOT_RUNNING',
  'ALREADY_ADDED',
  'STILL_RUNNING',
] as const;

/** One of {@link SUPERVISOR_ERROR_CODES}. */
export type SupervisorErrorCode = (typeof SUPERVISOR_ERROR_CODES)[number];

/**
 * An engine error with a fault-like `code`; `detail` is what follows `NAME: ` in the fault string.
 * @example
 * throw new SupervisorError('NOT_RUNNING', 'web'); // message 'NOT_RUNNING: web'
 */
export class SupervisorError extends Error {
  readonly code: SupervisorErrorCode;
  readonly detail: string;

  constructor(code: SupervisorErrorCode, detail = '') {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'SupervisorError';
    this.code = code;
    this.detail = detail;
  }
}
