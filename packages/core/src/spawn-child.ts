import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, statSync, writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { ProcessConfig } from '@supctl/config';
import { buildChildEnv } from './child-env.ts';
import {
  NativeChild,
  NativePipe,
  nativeSpawn,
  nativeSpawner,
  type OutputSink,
  readAvailable,
} from './native-spawn.ts';
import { CommandError, type ResolvedCommand, resolveCommand } from './resolve-command.ts';
import { lookupUser, supplementaryGroups } from './users.ts';

/**
 * A spawned child, from the native helper or node:child_process. {@link onExit} gives
 * `(code, signal, coreDumped)` once what the child left in its pipes has gone to the sinks of
 * {@link readOutput}; {@link onSpawnRefused} (child_process only) a spawn the kernel refused.
 * Without the native helper, `redirect_stderr` reads stderr from its own pipe.
 */
export type SpawnedChild = NativeChild | ChildProcess;

/**
 * A child's stdout or stderr as the engine holds it: a `Readable` from node:child_process, a
 * {@link NativePipe} from the native helper. {@link onPipeClosed} once the pipe is done;
 * `destroy()` stops reading.
 */
export interface OutputPipe {
  readonly destroyed: boolean;
  destroy(): void;
}

/** How a child ended: its exit code, or the signal that ended it (and whether it dumped core). */
export type ExitListener = (code: number | null, signal: NodeJS.Signals | null, coreDumped: boolean) => void;

/** Calls `listener` once, when the child has exited and what it left in its pipes was read. */
export function onExit(child: SpawnedChild, listener: ExitListener): void {
  if (child instanceof NativeChild) child.onExit = listener;
  else child.once('exit', (code, signal) => listener(code, signal, false));
}

/** Calls `listener` once, when `pipe` is done: its EOF was read, or it was destroyed. */
export function onPipeClosed(pipe: OutputPipe, listener: () => void): void {
  if (pipe instanceof NativePipe) pipe.onClose = listener;
  else (pipe as Readable).once('close', listener);
}

/**
 * A node:child_process child that came back without a pid: `listener` gets the kernel's
 * refusal on the next tick. (The native helper throws instead.)
 */
export function onSpawnRefused(child: SpawnedChild, listener: (error: NodeJS.ErrnoException) => void): void {
  if (!(child instanceof NativeChild)) child.once('error', listener);
}

/** What {@link spawnChild} needs besides the process config. */
export interface SpawnChildOptions {
  readonly config: ProcessConfig;
  readonly groupName: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly serverUrl: string | null;
  /** The command, when the caller has just resolved it (with the same PATH). */
  readonly resolved?: ResolvedCommand | undefined;
  /**
   * The child's soft open-files limit, when lower than ours (set in the child by the native
   * helper; node:child_process cannot, and its children inherit ours).
   */
  readonly openFiles?: number | undefined;
  /**
   * A listening socket of ours to be the child's stdin (fd 0) instead of a pipe: an
   * `[fcgi-program:x]`'s (see FcgiSocket, which needs the native helper to exist).
   */
  readonly stdinFd?: number | undefined;
}

/**
 * A spawn that failed before a child existed, as supervisord's do in its parent (a command not
 * found, an unknown user): `message` is the spawnerr. What fails in supervisord's forked child
 * fails in a child here too (see spawnChild).
 */
export class SpawnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpawnError';
  }
}

const NOT_SPAWNED = 'supervisor: child process was not spawned\n';

/**
 * Resolves and spawns one child: in its own process group (so a stop can reach grandchildren
 * and a Ctrl-C to supd doesn't), with stdin/stdout/stderr pipes, the environment, directory,
 * umask and user (with its supplementary groups) of the config. Throws {@link SpawnError} with
 * Supervisor's text. With the native helper the kernel's refusals throw too (errno in `code`);
 * with node:child_process such a child comes back without a pid and its `error` event follows.
 */
export function spawnChild(options: SpawnChildOptions): SpawnedChild {
  const { config } = options;
  const env = buildChildEnv(config, {
    baseEnv: options.baseEnv,
    groupName: options.groupName,
    serverUrl: options.serverUrl,
  });
  let resolved: ResolvedCommand;
  try {
    resolved = options.resolved ?? resolveCommand(config.command, env.PATH);
  } catch (error) {
    if (error instanceof CommandError) throw new SpawnError(error.message);
    throw error;
  }
  let uid: number | undefined;
  let gid: number | undefined;
  let groups: number[] | undefined;
  // What supervisord's forked child fails at, in its order (setuid, chdir, execve), it writes to
  // its stderr before it exits 127; supervisord logs the process as spawned, then exited. Here a
  // stand-in child writes the same and exits 127.
  let failure: string | null = null;
  if (config.user !== null) {
    const user = lookupUser(config.user);
    if (user === undefined) throw new SpawnError(`couldn't find user ${config.user}`);
    const current = process.getuid?.();
    if (current !== user.uid) {
      if (current !== 0) failure = `couldn't setuid to ${user.uid}: Can't drop privilege as nonroot user`;
      uid = user.uid;
      gid = user.gid;
      groups = supplementaryGroups(user.name, user.gid);
    }
  }
  const native = nativeSpawner();
  // The native helper's child changes directory itself, and says why it could not in the same
  // words; node:child_process would fail the spawn instead, so the directory is checked here.
  if (failure === null && native === null && config.directory !== null) {
    const error = chdirError(config.directory);
    if (error !== null) failure = `couldn't chdir to ${config.directory}: ${error}`;
  }
  // A NUL cannot reach execve (C strings end there); Python refuses it with a ValueError in the
  // forked child, which then exits 127.
  if (
    failure === null &&
    (hasNul([resolved.file, config.directory ?? '', ...resolved.argv]) || envHasNul(env))
  ) {
    failure = `couldn't exec ${resolved.argv[0]}: embedded null byte`;
  }
  if (failure !== null) return spawnStandIn(native, `supervisor: ${failure}\n${NOT_SPAWNED}`, options);
  if (native !== null) {
    return nativeSpawn(native, {
      file: resolved.file,
      argv: resolved.argv,
      env,
      cwd: config.directory,
      umask: config.umask,
      uid,
      gid,
      groups,
      redirectStderr: config.redirectStderr,
      openFiles: options.openFiles,
      stdinFd: options.stdinFd,
    });
  }
  return nodeSpawn(resolved.file, resolved.argv, {
    cwd: config.directory ?? undefined,
    env,
    umask: config.umask,
    uid,
    gid,
    stdin: options.stdinFd,
  });
}

type NativeBinding = NonNullable<ReturnType<typeof nativeSpawner>>;

// The child that stands in for one that failed before exec: writes `text` to its stderr (the
// process's stderr log, or stdout's with redirect_stderr, which the engine sees to with either
// spawner) and exits 127.
function spawnStandIn(native: NativeBinding | null, text: string, options: SpawnChildOptions): SpawnedChild {
  const argv = ['sh', '-c', 'printf "%s" "$0" >&2; exit 127', text];
  if (native === null) return nodeSpawn('/bin/sh', argv, { env: {}, umask: null });
  return nativeSpawn(native, {
    file: '/bin/sh',
    argv,
    env: {},
    cwd: null,
    umask: null,
    redirectStderr: options.config.redirectStderr,
    openFiles: options.openFiles,
  });
}

interface NodeSpawnOptions {
  readonly cwd?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly umask: number | null;
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
  /** A descriptor to be the child's stdin; a pipe otherwise. */
  readonly stdin?: number | undefined;
}

// node:child_process, where the native helper is missing.
function nodeSpawn(file: string, argv: readonly string[], options: NodeSpawnOptions): ChildProcess {
  // Node has no umask option: the forked child inherits ours, and spawn() forks synchronously.
  const previousUmask = options.umask === null ? null : process.umask(options.umask);
  try {
    const child = spawn(file, argv.slice(1), {
      argv0: argv[0],
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
      uid: options.uid,
      gid: options.gid,
    });
    child.stdin?.on('error', () => {}); // EPIPE once the child is gone
    child.on('error', () => {}); // kill errors are handled where they happen
    // On a SIGCHLD libuv reaps every child that has exited, also one whose last output came
    // after the poll that saw the signal: 'exit' can come before that output is read. Read it
    // first, as the native helper does (drain), so the output is handled before the exit.
    child.prependListener('exit', () => {
      readPending(child.stdout);
      readPending(child.stderr);
    });
    return child;
  } finally {
    if (previousUmask !== null) process.umask(previousUmask);
  }
}

/**
 * Sends what the child writes on `stream` to `sink`. The chunk is only lent (the native helper
 * reads into one shared buffer): a sink copies what it keeps beyond the call.
 */
export function readOutput(child: SpawnedChild, stream: 'stdout' | 'stderr', sink: OutputSink): void {
  if (child instanceof NativeChild) {
    const pipe = child[stream];
    if (pipe !== null) pipe.sink = sink;
    return;
  }
  const pipe = child[stream] as Readable | null;
  if (pipe === null) return;
  pipe.on('data', sink);
  sinks.set(pipe, sink);
}

// The sink of each node:child_process output pipe, for the read at exit.
const sinks = new WeakMap<Readable, OutputSink>();

// Hands what is readable on a node:child_process pipe now to its sink, without waiting for EOF
// (a grandchild may hold the pipe open; libuv's pipes are non-blocking). The stream reads on
// until EOF as before.
function readPending(pipe: Readable | null): void {
  if (pipe === null) return;
  const sink = sinks.get(pipe);
  const fd = (pipe as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  if (sink === undefined || typeof fd !== 'number' || fd < 0) return;
  // Chunks the stream holds come first (a flowing stream holds none).
  while (pipe.readableLength > 0 && pipe.read() !== null) {}
  readAvailable(fd, sink);
}

/**
 * Writes to the child's stdin as supervisord does, at once: what the pipe takes now is written
 * now, the rest is queued on the stream. Returns false, writing nothing, when the child has
 * closed its end (EPIPE), where supervisord answers NO_FILE.
 */
export function writeStdin(child: SpawnedChild, data: string | Uint8Array): boolean {
  const stream = child.stdin as (Writable & { _handle?: { fd?: unknown } | null }) | null;
  if (stream === null || stream.destroyed) return false;
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const fd = stream._handle?.fd;
  // Ahead of the stream only when it holds nothing, so the order stays (libuv's pipes do not block).
  if (typeof fd === 'number' && fd >= 0 && stream.writableLength === 0) {
    let written = 0;
    try {
      written = writeSync(fd, bytes);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'EPIPE') {
        stream.destroy();
        return false;
      }
      if (code !== 'EAGAIN') throw error;
    }
    if (written < bytes.length) stream.write(bytes.subarray(written));
    return true;
  }
  stream.write(bytes);
  return true;
}

/** Closes our end of the child's stdin (the child has exited). */
export function closeStdin(child: SpawnedChild): void {
  if (child instanceof NativeChild) child.closeStdin();
  else child.stdin?.destroy();
}

/** The spawnerr for an errno that made spawn() fail in the kernel. */
export function spawnErrorText(error: NodeJS.ErrnoException, config: ProcessConfig): string {
  switch (error.code) {
    case 'ENOENT':
      return `can't find command '${config.command}'`;
    case 'EACCES':
      return `no permission to run command '${config.command}'`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files to spawn '${config.name}'`;
    case 'EAGAIN':
      return `Too many processes in process table to spawn '${config.name}'`;
    default:
      return `unknown error making dispatchers for '${config.name}': ${error.code ?? error.message}`;
  }
}

function hasNul(texts: readonly string[]): boolean {
  return texts.some((text) => text.includes('\0'));
}

function envHasNul(env: Readonly<Record<string, string>>): boolean {
  for (const key in env) if (key.includes('\0') || env[key]!.includes('\0')) return true;
  return false;
}

// Why chdir to `path` would fail (ENOENT, ENOTDIR, EACCES), or null.
function chdirError(path: string): string | null {
  try {
    if (!statSync(path).isDirectory()) return 'ENOTDIR';
    accessSync(path, constants.X_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'ENOENT';
  }
}
