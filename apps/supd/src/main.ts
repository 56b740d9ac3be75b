// supd's entry: supervisord's command line, messages and exit codes, and daemonizing by a
// detached re-spawn (Node cannot fork) that reports back once it is running.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { load } from '@supctl/config';
import { type MainLogger, returnFreeMemory } from '@supctl/core';
import { createSupdHttp } from './http-wiring.ts';
import { parseUlimit } from './limits.ts';
import { applyOverrides, parseSupdArgs, type SupdArgs, UsageError, usage } from './options.ts';
import { runSupd, StartupError, type SupdIO } from './run.ts';
import { collectStartupGarbage, tuneV8ForRunning } from './v8-tuning.ts';
import { supdVersion } from './version.ts';

const READY_FD_ENV = 'SUPD_DAEMON_READY_FD';
const CWD_ENV = 'SUPD_STARTUP_CWD';
// Set by bin/supd.cjs's shell line: the soft open-files limit before Node raised it.
const NOFILE_ENV = 'SUPD_START_NOFILE';

const io: SupdIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

// In the parent: does the config ask to stay in the foreground? (Errors surface in the child run.)
function wantsDaemon(args: SupdArgs, cwd: string): boolean {
  if (args.overrides.nodaemon === true) return false;
  if (args.configFile === undefined) return true;
  try {
    return !applyOverrides(load(args.configFile, { cwd }), args.overrides, cwd).supervisord.nodaemon;
  } catch {
    return false; // let the foreground run report the error, with the right exit code
  }
}

// Re-run ourselves detached (new session, no terminal); resolve with the exit code to use.
function daemonize(argv: readonly string[], cwd: string, startNofile: string | undefined): Promise<number> {
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv], {
      cwd,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        [READY_FD_ENV]: '3',
        [CWD_ENV]: cwd,
        ...(startNofile === undefined ? {} : { [NOFILE_ENV]: startNofile }),
      },
    });
    let errors = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (errors += d));
    const ready = child.stdio[3] as NodeJS.ReadableStream;
    let answered = false;
    ready.on('data', () => {
      if (answered) return;
      answered = true;
      child.unref();
      // What the daemon said before it was ready (`Unlinking stale socket …`) still reaches the
      // terminal, as supervisord's does. It wrote that before the ready byte; a stderr chunk that
      // came in the same turn of the event loop is handled by the time setImmediate runs.
      setImmediate(() => {
        process.stderr.write(errors);
        (child.stderr as unknown as { destroy(): void }).destroy();
        (ready as unknown as { destroy(): void }).destroy();
        resolveExit(0);
      });
    });
    child.on('exit', (code) => {
      if (answered) return;
      answered = true;
      process.stderr.write(errors);
      resolveExit(code ?? 1);
    });
  });
}

// Once the programs of a config are started (at start and after each reload), what starting them
// used and freed goes back to the kernel: V8's memory-reducing collection and the C heap's free
// pages (core's returnFreeMemory; without the native helper, one plain collection). In two passes
// a second apart: the first pass's collection finishes on V8's background threads, and what they
// free only the second pass returns. With 1,000 programs: 54 → 51.5 MiB after the first pass,
// 49.3 after the second (before, the second came 10 s later). The second says in the main log,
// at debug level, what the two returned. Returns what cancels the second pass (the run is
// stopping: its log is about to close).
function settleMemory(log: MainLogger): () => void {
  const before = process.memoryUsage.rss();
  const pass = () => {
    if (!returnFreeMemory()) collectStartupGarbage();
  };
  pass();
  const second = setTimeout(() => {
    pass();
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    log.log(
      'debug',
      `returned memory freed while starting: RSS ${mib(before)} -> ${mib(process.memoryUsage.rss())} MiB`,
    );
  }, 1000).unref();
  return () => clearTimeout(second);
}

export async function main(argv: readonly string[]): Promise<void> {
  const argv0 = process.argv[1]
    ? basename(process.argv[1]) === 'supd.cjs'
      ? 'supd'
      : process.argv[1]
    : 'supd';
  const readyFd = process.env[READY_FD_ENV];
  const cwd = process.env[CWD_ENV] ?? process.cwd();
  const startNofile = process.env[NOFILE_ENV];
  delete process.env[READY_FD_ENV];
  delete process.env[CWD_ENV];
  delete process.env[NOFILE_ENV];
  try {
    const args = parseSupdArgs(argv, cwd);
    if (args.help) {
      io.stdout(usage(argv0));
      process.exitCode = 0;
      return;
    }
    if (args.version) {
      io.stdout(`${supdVersion()}\n`);
      process.exitCode = 0;
      return;
    }
    if (readyFd === undefined && wantsDaemon(args, cwd)) {
      process.exitCode = await daemonize(argv, cwd, startNofile);
      return;
    }
    const daemonChild =
      readyFd === undefined
        ? undefined
        : {
            ready() {
              const out = createWriteStream('', { fd: Number(readyFd) });
              out.end('ready\n');
              // Now detached for good: stderr goes nowhere, as supervisord points 0/1/2 at /dev/null.
              process.stderr.write = () => true;
            },
          };
    process.exitCode = await runSupd({
      argv0,
      executable: process.argv[1] ?? argv0,
      startOpenFiles: parseUlimit(startNofile),
      args,
      cwd,
      env: process.env,
      io,
      daemonChild,
      http: createSupdHttp,
      onStarted: (reload, log) => {
        if (!reload) tuneV8ForRunning();
        return settleMemory(log);
      },
    });
  } catch (e) {
    if (e instanceof UsageError || e instanceof StartupError) {
      const exitCode = e instanceof StartupError ? e.exitCode : 2;
      // Usage and config errors point to -h, as supervisord's do; other failures do not.
      io.stderr(`Error: ${e.message}\n${exitCode === 2 ? `For help, use ${argv0} -h\n` : ''}`);
      process.exitCode = exitCode;
      return;
    }
    throw e;
  }
}
