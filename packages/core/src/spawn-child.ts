import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
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
}

/**
 * A spawn that failed before a child existed. `message` is the spawnerr; `childOutput` is what
 * supervisord's forked child would have written to its stderr before exiting 127 (a bad
 * directory or user), which we write to the process log instead.
 */
export class SpawnError extends Error {
  readonly childOutput: string;

  constructor(message: string, childOutput = '') {
    super(message);
    this.name = 'SpawnError';
    this.childOutput = childOutput;
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
  if (config.user !== null) {
    const user = lookupUser(config.user);
    if (user === undefined) throw new SpawnError(`couldn't find user ${config.user}`);
    const current = process.getuid?.();
    if (current !== user.uid) {
      if (current !== 0) {
        const text = `couldn't setuid to ${user.uid}: Can't drop privilege as nonroot user`;
        throw new SpawnError(text, `supervisor: ${text}\n${NOT_SPAWNED}`);
      }
      uid = user.uid;
      gid = user.gid;
      groups = supplementaryGroups(user.name, user.gid);
    }
  }
  if (config.directory !== null && !isDirectory(config.directory)) {
    const text = `couldn't chdir to ${config.directory}: ENOENT`;
    throw new SpawnError(text, `supervisor: ${text}\n${NOT_SPAWNED}`);
  }
  // A NUL cannot reach execve (C strings end there); Python refuses it with a ValueError in the
  // forked child, which then exits 127: make it the same "not spawned" failure here.
  if (hasNul([resolved.file, config.directory ?? '', ...resolved.argv]) || envHasNul(env)) {
    const text = `couldn't exec ${resolved.argv[0]}: embedded null byte`;
    throw new SpawnError(text, `supervisor: ${text}\n${NOT_SPAWNED}`);
  }
  const native = nativeSpawner();
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
    });
  }
  // Node has no umask option: the forked child inherits ours, and spawn() forks synchronously.
  const previousUmask = config.umask === null ? null : process.umask(config.umask);
  try {
    const child = spawn(resolved.file, resolved.argv.slice(1), {
      argv0: resolved.argv[0],
      cwd: config.directory ?? undefined,
      env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      uid,
      gid,
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
