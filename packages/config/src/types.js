/** Main-log levels, by config name, with Supervisor's numbers. */
export const LOG_LEVELS = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
};
//# sourceMappingURL=types.js.map
