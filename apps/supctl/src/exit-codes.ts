/** supervisorctl's LSB exit codes, which supctl keeps. */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  BAD_ARGUMENTS: 2,
  NOT_RUNNING: 3,
  NO_SUCH_NAME: 4,
  API_MISMATCH: 5,
  PROGRAM_NOT_RUNNING: 7,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
