export type { OptionSpec, ParsedOption } from './getopt.ts';
export { GetoptError, getopt } from './getopt.ts';
export { main } from './main.ts';
export type { SupdArgs } from './options.ts';
export { applyOverrides, parseSupdArgs, SUPD_OPTIONS, UsageError } from './options.ts';
export type { RunOptions, SupdIO } from './run.ts';
export { runSupd, StartupError } from './run.ts';
