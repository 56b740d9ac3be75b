export { runCheck } from './check.ts';
export type { ExitCode } from './exit-codes.ts';
export { EXIT } from './exit-codes.ts';
export { main, run } from './main.ts';
