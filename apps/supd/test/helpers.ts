import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor } from '@supctl/test-utils';

export const BIN = resolve(import.meta.dirname, '../bin/supd.js');
export const built = existsSync(resolve(import.meta.dirname, '../dist/main.js'));
/** e2e suites run the built bin: skipped (by name) when not built, never skipped in CI. */
export const runE2e = built || process.env.CI === 'true';

export interface Supd extends AsyncDisposable {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited(): Promise<number | null>;
}

/** Start supd as a real process (foreground unless the args say otherwise). */
export function startSupd(args: string[], cwd: string): Supd {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    },
  };
}

export function readLog(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Wait until the main log has a line matching `re`; returns the match. */
export function waitForLog(path: string, re: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  return waitFor(() => readLog(path).match(re), { timeoutMs, what: `main log line ${re}` });
}
