import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor } from '@supctl/test-utils';
import { afterAll } from 'vitest';

export const BIN = resolve(import.meta.dirname, '../bin/supd.cjs');
export const built = existsSync(resolve(import.meta.dirname, '../dist/main.js'));
/** e2e suites run the built bin: skipped (by name) when not built, never skipped in CI. */
/**
 * How every e2e config starts: the main log, pidfile and AUTO child logs in the config's folder,
 * and the unix socket `s.sock` there (`%(here)s`). Sections follow it.
 */
export const BASE_CONF =
  '[supervisord]\nlogfile=%(here)s/sd.log\npidfile=%(here)s/sd.pid\nchildlogdir=%(here)s\n[unix_http_server]\nfile=%(here)s/s.sock\n';

export const runE2e = built || process.env.CI === 'true';

export interface Supd extends AsyncDisposable {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited(): Promise<number | null>;
}

// Daemons a test started: even when a test fails or times out before its `await using` disposal
// runs, none outlives the file (TERM lets supd stop its own children first).
const started = new Set<ChildProcess>();
afterAll(async () => {
  await Promise.all(
    [...started].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
});

/**
 * Start supd as a real process (foreground unless the args say otherwise), as `node bin/supd.cjs`
 * or through `command` (e.g. `['prlimit', '--nofile=…', BIN]`, the bin run as a program).
 */
export function startSupd(
  args: string[],
  cwd: string,
  command: readonly string[] = [process.execPath, BIN],
): Supd {
  const child = spawn(command[0]!, [...command.slice(1), ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
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
