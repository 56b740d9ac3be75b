import { fileURLToPath } from 'node:url';

/**
 * Tiny node scripts for child-process tests, by name. Each announces `READY` on stdout when it
 * waits for something (signals, stdin) so a test can act without sleeping.
 * - `print-lines [count] [text] [stream]`: prints `text-<i>` lines, then exits 0.
 * - `exit-with <code> [delayMs]`: exits with `code`, optionally after a delay.
 * - `ignore-sigterm`: ignores SIGTERM, prints READY, sleeps forever.
 * - `spawn-grandchild`: starts a sleeping grandchild, prints `GRANDCHILD <pid>` then READY, sleeps.
 * - `sleep-forever`: prints READY and sleeps until killed.
 * - `write-bytes <total> <chunk>`: writes `total` bytes in `chunk`-byte writes of `abc…\n`.
 * - `print-env [NAME…]`: prints `NAME=value` lines (all of the environment when no name) and
 *   `CWD=<dir>` and `UMASK=<octal>`, then exits 0.
 * - `echo-stdin`: prints READY, then echoes stdin to stdout.
 * - `listen-events <outFile> [mode]`: an event listener (Supervisor's protocol) that appends every
 *   envelope to `outFile` as a JSON line; modes `ok`, `fail-first`, `split`, `garbage`,
 *   `exit-busy`, `bench` (see the script).
 * - `serve-stdin`: accepts on stdin, a listening socket (an `[fcgi-program:x]`'s), answering
 *   each connection with `pid <pid>`; prints READY once listening.
 */
export const FIXTURES = {
  'print-lines': fixturePath('print-lines.mjs'),
  'exit-with': fixturePath('exit-with.mjs'),
  'ignore-sigterm': fixturePath('ignore-sigterm.mjs'),
  'spawn-grandchild': fixturePath('spawn-grandchild.mjs'),
  'sleep-forever': fixturePath('sleep-forever.mjs'),
  'write-bytes': fixturePath('write-bytes.mjs'),
  'print-env': fixturePath('print-env.mjs'),
  'echo-stdin': fixturePath('echo-stdin.mjs'),
  'listen-events': fixturePath('listen-events.mjs'),
  'serve-stdin': fixturePath('serve-stdin.mjs'),
} as const;

/** The name of a fixture script. */
export type FixtureName = keyof typeof FIXTURES;

function fixturePath(file: string): string {
  return fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url));
}

/**
 * A command line (POSIX-shell quoted, as Supervisor's `command=` is split) that runs a fixture
 * with this Node.
 * @example
 * fixtureCommand('exit-with', 3); // "'/usr/bin/node' '/…/exit-with.mjs' '3'"
 */
export function fixtureCommand(name: FixtureName, ...args: readonly (string | number)[]): string {
  return [process.execPath, FIXTURES[name], ...args.map(String)].map(shellQuote).join(' ');
}

/** Quotes one word for a POSIX shell (and for shlex). */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
