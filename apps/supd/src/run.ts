// The daemon's life: read the config, open the main log and the listeners, run the engine, and
// react to signals and API calls (TERM/INT/QUIT or shutdown(), HUP or restart(), USR2).
import { rmSync, truncateSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type Config,
  ConfigError,
  type ConfigIssue,
  defaultConfigPaths,
  findConfigFile,
  formatIssue,
  load,
} from '@supctl/config';
import { cleanupAutoLogs, FcgiSocketError, type MainLogger, Supervisor, spawnerKind } from '@supctl/core';
import type { SupervisorStateName } from '@supctl/events';
import type { ApiImplementation } from '@supctl/rpc';
import { createApi, type DaemonHandle } from './api.ts';
import { childOpenFilesLimit, ensureLimit, increased } from './limits.ts';
import { MainLog } from './main-log.ts';
import { applyOverrides, type SupdArgs, UsageError } from './options.ts';
import { type HttpHandler, openServers, ServerStartError } from './servers.ts';
import { lookupUser, unknownUserMessage } from './users.ts';
import { supdVersion } from './version.ts';

export interface SupdIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface RunOptions {
  /** The name supd was started as, for messages (`For help, use supd -h`). */
  readonly argv0: string;
  /**
   * The path of the program that runs, for the config search (as supervisord's `sys.argv[0]`:
   * `/usr/local/bin/supd` looks in `/usr/local/etc`). @default argv0
   */
  readonly executable?: string;
  /**
   * The soft open-files limit supd was started with, before Node raised it (the bin's shell line
   * notes it). Children get it, raised to `minfds`, as supervisord's would. Unknown: children
   * inherit supd's (Node's) limit.
   */
  readonly startOpenFiles?: number;
  readonly args: SupdArgs;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly io: SupdIO;
  /** Set in the detached re-spawn: report readiness to the waiting parent. */
  readonly daemonChild?: { ready(): void };
  /**
   * Builds the handler of HTTP connections on the listeners (XML-RPC, web UI) from the API;
   * `preload` loads what it would load lazily, before supd drops privileges.
   */
  readonly http?: (daemon: HttpDaemon) => HttpHandler & { preload?(): Promise<void> };
  /**
   * Called each time the programs of a config have been started: once at start (`reload` false),
   * then after each reload (HUP, `supervisor.restart`). `log` is the main log of that run; what it
   * returns is called when that run begins to stop (cancel what would still use `log` there).
   */
  readonly onStarted?: (reload: boolean, log: MainLogger) => (() => void) | undefined;
}

/** What the HTTP layer gets from the daemon: the API, the main log's path, the main log. */
export interface HttpDaemon {
  readonly api: ApiImplementation;
  mainLogPath(): string | null;
  readonly logger: MainLogger;
  /** `[supervisord] identifier` (shown by the web dashboard). */
  identifier(): string;
  readonly version: string;
}

/** A startup failure supd reports as `Error: …` with exit code 2, as supervisord does. */
export class StartupError extends Error {
  /** supervisord's wording of the same problem (what `reread` shows as CANT_REREAD). */
  readonly supervisorMessage: string;
  /** supd's exit code: 2 as supervisord's usage errors, 1 where supervisord fails otherwise. */
  readonly exitCode: number;
  constructor(message: string, supervisorMessage = message, exitCode = 2) {
    super(message);
    this.name = 'StartupError';
    this.supervisorMessage = supervisorMessage;
    this.exitCode = exitCode;
  }
}

type Stop = 'shutdown' | 'reload';

function describeConfigError(e: ConfigError): string {
  // File-level problems keep supervisord's words (`could not find config file x`).
  const first: ConfigIssue | undefined = e.issues[0];
  if (e.issues.length === 1 && first && first.line === undefined) return first.supervisorMessage;
  return e.message;
}

function readConfig(options: RunOptions): Config {
  const file =
    options.args.configFile ?? findConfigFile(options.executable ?? options.argv0, { cwd: options.cwd });
  if (file === undefined) {
    throw new UsageError(
      `No config file found at default paths (${defaultConfigPaths(options.executable ?? options.argv0, options.cwd).join(', ')}); use the -c option to specify a config file at a different path`,
    );
  }
  let config: Config;
  try {
    config = load(file, { cwd: options.cwd, env: options.env });
  } catch (e) {
    if (e instanceof ConfigError) throw new StartupError(describeConfigError(e), e.supervisorMessage);
    throw e;
  }
  return applyOverrides(config, options.args.overrides, options.cwd);
}

function serverUrlFor(config: Config): string | null {
  const unix = config.httpServers.find((s) => s.family === 'unix');
  if (unix) return `unix://${unix.file}`;
  const inet = config.httpServers.findLast((s) => s.family === 'inet');
  return inet?.family === 'inet' ? `http://${inet.host || 'localhost'}:${inet.port}` : null;
}

// supervisord's set_uid_or_exit: nothing to do when already that user, otherwise only root may.
function dropPrivileges(user: { name: string; uid: number; gid: number }): number {
  if (process.getuid?.() === user.uid) return user.uid;
  if (process.getuid?.() !== 0) throw new UsageError("Can't drop privilege as nonroot user");
  // Supplementary groups too, then gid, then uid.
  const posix = process as NodeJS.Process & { initgroups?(user: string, group: number): void };
  posix.initgroups?.(user.name, user.gid);
  process.setgid?.(user.gid);
  process.setuid?.(user.uid);
  return user.uid;
}

/** Runs supd until it is told to stop; resolves with the exit code. */
export async function runSupd(options: RunOptions): Promise<number> {
  let config = readConfig(options);
  const sd = config.supervisord;
  // The user is looked up first (`Invalid user name x` even when not root), as supervisord does.
  const user = sd.user === null ? null : lookupUser(sd.user);
  if (sd.user !== null && !user) throw new UsageError(unknownUserMessage(sd.user));
  // Whether supd becomes another user (not when it already runs as that one).
  const switchesUser = user ? process.getuid?.() !== user.uid : false;
  if (switchesUser && process.getuid?.() !== 0) throw new UsageError("Can't drop privilege as nonroot user");
  // Logged once the main log is open, as supervisord does.
  const limitLines: { level: 'info' | 'warn'; message: string }[] = [];
  for (const [limit, minimum] of [
    ['nofile', sd.minfds],
    ['nproc', sd.minprocs],
  ] as const) {
    const outcome = ensureLimit(limit, minimum);
    if (outcome && 'refusal' in outcome) throw new UsageError(outcome.refusal);
    if (outcome) limitLines.push({ level: 'info', message: outcome.raised });
  }
  const start = options.startOpenFiles;
  const childOpenFiles = start === undefined ? undefined : childOpenFilesLimit(start, sd.minfds);
  // supervisord raises its own limit (its children's) when it was started below minfds.
  if (start !== undefined && start < sd.minfds && limitLines.length === 0) {
    limitLines.push({ level: 'info', message: increased('nofile', sd.minfds) });
  }
  if (childOpenFiles !== undefined && spawnerKind() !== 'native') {
    limitLines.push({
      level: 'warn',
      message: `children inherit supd's open-files limit: the node:child_process spawner cannot lower it to ${childOpenFiles}`,
    });
  }

  let state: SupervisorStateName = 'RESTARTING';
  let supervisor: Supervisor | null = null;
  let log: MainLog | null = null;
  const requests: Stop[] = [];
  let wake: (() => void) | null = null;
  const request = (stop: Stop) => {
    requests.push(stop);
    state = stop === 'shutdown' ? 'SHUTDOWN' : 'RESTARTING';
    wake?.();
  };
  const onSignal = (name: NodeJS.Signals, stop: Stop | 'reopen') =>
    process.on(name, () => {
      if (stop === 'reopen') {
        // Both lines go to the file being replaced, as supervisord writes them before reopening.
        log?.log('info', 'received SIGUSR2 indicating log reopen request');
        log?.log('info', 'supervisord logreopen');
        log?.reopen();
        supervisor?.reopenLogs();
        return;
      }
      if (stop === 'reload' && state === 'SHUTDOWN') {
        log?.log('warn', `ignored ${name} indicating restart request (shutdown in progress)`);
        return;
      }
      log?.log('warn', `received ${name} indicating ${stop === 'reload' ? 'restart' : 'exit'} request`);
      request(stop);
    });
  for (const name of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) onSignal(name, 'shutdown');
  onSignal('SIGHUP', 'reload');
  onSignal('SIGUSR2', 'reopen');

  const handle: DaemonHandle = {
    supervisor: () => supervisor,
    state: () => state,
    pid: process.pid,
    version: supdVersion(),
    identifier: () => config.supervisord.identifier,
    mainLogPath: () => log?.path ?? null,
    clearMainLog: () => {
      const path = log?.path;
      if (!path) return;
      truncateSync(path, 0);
      log?.reopen();
    },
    shutdown: () => request('shutdown'),
    restart: () => request('reload'),
    rereadConfig: () => {
      try {
        return readConfig(options);
      } catch (e) {
        // supervisorctl shows this text after `ERROR: CANT_REREAD: `: keep supervisord's words.
        throw new Error(
          e instanceof StartupError ? e.supervisorMessage : e instanceof Error ? e.message : String(e),
        );
      }
    },
  };
  const api = createApi(handle);
  const http = options.http?.({
    api,
    mainLogPath: handle.mainLogPath,
    logger: { log: (level, message) => log?.log(level, message) },
    identifier: handle.identifier,
    version: handle.version,
  });
  // What supd would read from its installation later is read now, while it may: the user it
  // becomes may not read the directory it was installed in (root's npx cache, a 0700 home).
  spawnerKind(); // loads the native spawn helper
  // The HTTP side (about 2 MiB) only when privileges really drop and an HTTP server will need it.
  if (switchesUser && config.httpServers.length > 0) {
    try {
      await http?.preload?.();
    } catch (error) {
      throw new StartupError(
        `cannot load the HTTP interface before dropping privileges: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const uid = user ? dropPrivileges(user) : null;

  // Written at every start (a HUP may name another file), removed at every stop: supervisord's
  // write_pidfile() and cleanup() around each run.
  let pidfile: string | null = null;
  const removePidfile = () => {
    if (pidfile !== null) rmSync(pidfile, { force: true });
    pidfile = null;
  };
  let servers: { close(): Promise<void> } | null = null;
  let first = true;
  let reload = false;
  try {
    for (;;) {
      const s = config.supervisord;
      const echo =
        s.nodaemon && !s.silent && !options.daemonChild ? (line: string) => options.io.stdout(line) : null;
      log = new MainLog({
        config: s,
        path: s.logfile === 'syslog' ? 'syslog' : resolve(options.cwd, s.logfile),
        echo,
      });
      if (uid === null && process.getuid?.() === 0) {
        log.log(
          'critical',
          'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.',
        );
      }
      // supervisord's own warnings in its words; supd's lint says where (file:line [section] option).
      // As supervisord: criticals, warnings, then infos (parsing's, then the uid's).
      for (const w of config.warnings) {
        log.log('warn', w.origin === 'supervisor' ? w.message : formatIssue({ ...w, detail: w.message }));
      }
      for (const info of config.infos) log.log('info', info);
      if (uid !== null) log.log('info', `Set uid to user ${uid} succeeded`);
      if (wantsSyslog(config) && spawnerKind() !== 'native') {
        log.log(
          'warn',
          'syslog output (logfile=syslog, stdout_syslog, stderr_syslog) needs the native helper of @supctl/core, which is not available here: nothing is sent to syslog',
        );
      }
      if (first) {
        for (const { level, message } of limitLines) log.log(level, message);
      }
      if (!s.nocleanup) cleanupAutoLogs(s.childlogdir, s.identifier, log);
      supervisor = new Supervisor(config, {
        logger: log,
        env: options.env,
        serverUrl: serverUrlFor(config),
        childOpenFiles,
      });
      try {
        // supervisord makes its groups before it opens its servers: a FastCGI socket that cannot
        // be made stops it there (with exit 1; supervisord's traceback ends with this message).
        supervisor.load();
      } catch (e) {
        if (!(e instanceof FcgiSocketError)) throw e;
        log.log('critical', e.message);
        throw new StartupError(e.message, e.message, 1);
      }
      try {
        servers = await openServers({
          configs: config.httpServers,
          api,
          logger: log,
          http,
          io: options.io,
        });
      } catch (e) {
        if (e instanceof ServerStartError) throw new StartupError(e.message);
        throw e;
      }
      if (first && options.daemonChild) {
        log.log('info', 'daemonizing the supervisord process');
        // What supervisord's daemonized child does: its umask, and chdir to `directory`
        // (paths in the config were already resolved against the startup directory).
        process.umask(s.umask);
        if (s.directory !== null) process.chdir(s.directory);
      }
      const path = resolve(options.cwd, s.pidfile);
      try {
        writeFileSync(path, `${process.pid}\n`);
        pidfile = path;
        log.log('info', `supervisord started with pid ${process.pid}`);
      } catch {
        log.log('critical', `could not write pidfile ${path}`);
      }
      if (first) {
        options.daemonChild?.ready();
        first = false;
      }
      await supervisor.start();
      state = 'RUNNING';
      const stopping = options.onStarted?.(reload, log);
      reload = true;
      // Signal handlers do not keep Node's event loop alive; a daemon with nothing to run must.
      const keepAlive = setInterval(() => {}, 2 ** 30);
      if (requests.length === 0) await new Promise<void>((r) => (wake = r));
      clearInterval(keepAlive);
      wake = null;
      state = requests.includes('shutdown') ? 'SHUTDOWN' : 'RESTARTING';
      stopping?.();
      await supervisor.close();
      await servers.close();
      servers = null;
      removePidfile();
      // What came in while stopping is part of this stop, as it only sets supervisord's mood: a
      // second HUP restarts once, a TERM makes a restart a shutdown.
      requests.length = 0;
      if (state === 'SHUTDOWN') return 0;
      try {
        config = readConfig(options);
      } catch (e) {
        // supervisord prints the error and exits 2 when the new config is bad.
        const message = e instanceof StartupError || e instanceof UsageError ? e.message : String(e);
        options.io.stderr(`Error: ${message}\nFor help, use ${options.argv0} -h\n`);
        return 2;
      }
      log.close();
    }
  } finally {
    state = 'SHUTDOWN';
    await supervisor?.close();
    await servers?.close();
    log?.close();
    removePidfile();
  }
}

function wantsSyslog(config: Config): boolean {
  return (
    config.supervisord.logfile === 'syslog' ||
    config.groups.some((g) => g.processes.some((p) => p.stdout.syslog || p.stderr.syslog))
  );
}
