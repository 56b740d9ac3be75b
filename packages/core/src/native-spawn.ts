import { closeSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { monotonicMs } from './clock.ts';

/** One spawn for the native helper: everything is already resolved and checked. */
export interface NativeSpawnRequest {
  readonly file: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string | null;
  readonly umask: number | null;
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
  /** Supplementary groups to set (with uid/gid), as supervisord's setgroups. */
  readonly groups?: readonly number[] | undefined;
  /** stderr goes into the stdout pipe (`redirect_stderr`), so the two stay in order. */
  readonly redirectStderr: boolean;
  /** The child's soft open-files limit, set in the child before exec when below ours. */
  readonly openFiles?: number | undefined;
  /** A descriptor of ours to be the child's stdin instead of a pipe (a FastCGI socket). */
  readonly stdinFd?: number | undefined;
}

type ExitCallback = (id: number, code: number | null, signal: number, coreDumped: boolean) => void;

/** `bytes` of output on `fd` are in the read buffer; 0: the pipe is done and `fd` closed. */
type OutputCallback = (fd: number, bytes: number) => boolean;

interface Binding {
  init(onExit: ExitCallback, onOutput: OutputCallback, readBuffer: Buffer): void;
  /** Takes back the descriptor slots the last spawn lent its child (see spawn.c). */
  release(): void;
  /** V8's memory-pressure collection, then glibc's malloc_trim(0): true when either ran. */
  trim(): boolean;
  /** One message to the system log as supervisord sends it (libc's syslog(), user.info). */
  syslogLine(message: Buffer): void;
  /** A listening socket's descriptor (see spawn.c); port -1: a unix socket at `address`. */
  listenSocket(
    address: string,
    port: number,
    backlog: number,
    mode?: number,
    uid?: number,
    gid?: number,
  ): number;
  /** Reads `fd` again after onOutput answered false. */
  resumeOutput(fd: number): void;
  /** Stops reading `fd` and closes it. */
  closeOutput(fd: number): void;
  spawn(
    file: string,
    argv: readonly string[],
    envp: readonly string[],
    cwd: string | null,
    umask: number,
    uid: number,
    gid: number,
    groups: readonly number[] | null,
    redirectStderr: boolean,
    pipeSize: number,
    openFiles: number,
    stdinFd: number,
  ): [pid: number, stdin: number, stdout: number, stderr: number, id: number, pipeBytes: number];
}

/**
 * A child started by the native helper, with what the engine uses of a `ChildProcess`: `pid`,
 * `stdin` (a stream over a real pipe, made on first use), `stdout`/`stderr` (pipes the helper
 * reads; see {@link NativePipe.sink}), and {@link NativeChild.onExit}. No event emitters:
 * they cost some 0.8 KB per child.
 */
export class NativeChild {
  readonly pid: number;
  readonly stdout: NativePipe;
  readonly stderr: NativePipe | null;
  /** Called once the child has exited, after what it left in its pipes was read. */
  onExit: ((code: number | null, signal: NodeJS.Signals | null, coreDumped: boolean) => void) | null = null;
  #stdinFd: number;
  #stdin: Socket | null = null;

  constructor(pid: number, stdin: number, stdout: number, stderr: number, pipeBytes = 0) {
    this.pid = pid;
    this.#stdinFd = stdin;
    const paced = pipeBytes >= PACED_PIPE_BYTES;
    this.stdout = new NativePipe(stdout, paced);
    this.stderr = stderr < 0 ? null : new NativePipe(stderr, paced);
  }

  /**
   * Reads what the child left in its pipes, now: supervisord handles output before it reaps,
   * so everything a child wrote is in its log before anyone sees it exit. (The pipes are
   * non-blocking; the event loop would read the same bytes a moment later.) Bounded, in case a
   * grandchild keeps writing.
   */
  drain(): void {
    this.stdout.drain();
    this.stderr?.drain();
  }

  /** The child's stdin, made a stream on first use (most programs never get input). */
  get stdin(): Writable {
    if (this.#stdin === null) {
      this.#stdin = new Socket({ fd: this.#stdinFd, readable: false, writable: true });
      this.#stdin.on('error', () => {}); // EPIPE once the child is gone
      this.#stdinFd = -1;
    }
    return this.#stdin;
  }

  /** Closes our end of the child's stdin. */
  closeStdin(): void {
    if (this.#stdin !== null) this.#stdin.destroy();
    else if (this.#stdinFd >= 0) closeSync(this.#stdinFd);
    this.#stdinFd = -1;
  }
}

/**
 * Our end of a child's stdout or stderr pipe, which the native helper reads on the event loop
 * into the shared buffer (no stream, no socket: a net.Socket per pipe cost some 3.8 KB of RSS
 * per child at rest). What the engine uses of a `Readable`: `destroy()` and `destroyed`, and
 * {@link NativePipe.onClose} for its `close`.
 */
export class NativePipe {
  readonly fd: number;
  /**
   * Gets what the child writes, in a buffer that is only lent: the sink copies what it keeps.
   * Set it in the tick of the spawn (no read happens before).
   */
  sink: OutputSink | null = null;
  /** Called once the pipe is done: its EOF was read, or it was destroyed. */
  onClose: (() => void) | null = null;
  #destroyed = false;
  // With room in the pipe, reads of a chatty child are paced (see onRead).
  readonly #paced: boolean;
  #lastRead = 0;

  constructor(fd: number, paced: boolean) {
    this.fd = fd;
    this.#paced = paced;
    pipes.set(fd, this);
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Stops reading and closes our end (what the child writes after that is lost, as with a socket). */
  destroy(): void {
    if (this.#destroyed) return;
    nativeSpawner()?.closeOutput(this.fd);
    this.#closed();
  }

  /** Reads what is in the pipe now (see {@link NativeChild.drain}). */
  drain(): void {
    if (!this.#destroyed && this.sink !== null) readAvailable(this.fd, this.sink);
  }

  // The helper read `bytes` into the shared buffer (0: the pipe is done and its fd closed).
  // A child writing small lines fast wakes us for nearly every line if we read the moment data
  // arrives, and each wake-up costs the writer (the kernel wakes a reader only when the pipe
  // was empty). So, when the last read was under 1 ms ago and this one did not fill half the
  // buffer, reading pauses for 1 ms while the pipe (1 MiB) fills: one read instead of
  // hundreds, and a child writing 100-byte lines runs about 40% faster. Output of a quiet
  // child is read at once; an exit reads what is left first (drain).
  onRead(bytes: number): boolean {
    if (bytes === 0) {
      this.#closed();
      return false;
    }
    this.sink?.(sharedReadBuffer().subarray(0, bytes));
    if (!this.#paced || this.#destroyed) return true;
    const now = monotonicMs();
    const chatty = now - this.#lastRead < 1 && bytes < READ_BUFFER_SIZE / 2;
    this.#lastRead = now;
    if (!chatty) return true;
    setTimeout(() => {
      if (!this.#destroyed) nativeSpawner()?.resumeOutput(this.fd);
    }, 1);
    return false; // stop reading until then
  }

  #closed(): void {
    this.#destroyed = true;
    if (pipes.get(this.fd) === this) pipes.delete(this.fd);
    const onClose = this.onClose;
    this.onClose = null;
    onClose?.();
  }
}

// Output pipes being read, by our descriptor.
const pipes = new Map<number, NativePipe>();

function onOutput(fd: number, bytes: number): boolean {
  // A pipe we do not know is read and dropped until its EOF closes it: never left full.
  return pipes.get(fd)?.onRead(bytes) ?? true;
}

/** Receives a child's output; `chunk` is lent for the call only. */
export type OutputSink = (chunk: Buffer) => void;

// Reads go into one buffer shared by every child (each read is handed on before the next
// starts): no allocation per read, which is what makes large writes fast.
const READ_BUFFER_SIZE = 256 * 1024;
// Reads are paced only where a 1 ms pause cannot fill the pipe at log-writing speeds.
const PACED_PIPE_BYTES = 512 * 1024;
let readBuffer: Buffer | undefined;

function sharedReadBuffer(): Buffer {
  readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_SIZE);
  return readBuffer;
}

/**
 * Hands what is readable on the non-blocking pipe `fd` now to `sink` (in the shared, lent
 * buffer), without waiting for EOF: a read of an empty pipe fails with EAGAIN, and at EOF the
 * pipe's stream sees it too. Bounded (1 MiB), in case a grandchild keeps writing.
 */
export function readAvailable(fd: number, sink: OutputSink): void {
  const buffer = sharedReadBuffer();
  for (let budget = 4 * READ_BUFFER_SIZE; budget > 0; ) {
    let bytes: number;
    try {
      bytes = readSync(fd, buffer, 0, buffer.length, null);
    } catch {
      return; // EAGAIN: nothing more for now
    }
    if (bytes === 0) return;
    budget -= bytes;
    sink(buffer.subarray(0, bytes));
  }
}

// A pipe this size lets a child writing small lines run on while supd is busy elsewhere
// (Linux's default is 64 KiB). Only as root: other users have a budget of pipe memory
// (pipe-user-pages-soft, 64 MiB) which 1 MiB pipes would use up after about 32 children, and
// past it every new pipe of theirs shrinks to 8 KiB.
const PIPE_SIZE = process.geteuid?.() === 0 ? 1024 * 1024 : 0;

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

// Live children by spawn id (a pid can be reused between its reaping and our hearing of it).
const live = new Map<number, NativeChild>();
// The addon as loaded (nativeHelper), and once started as the spawner (nativeSpawner).
let addon: Binding | null | undefined;
let binding: Binding | null | undefined;
let releaseScheduled = false;

function onExit(id: number, code: number | null, signal: number, coreDumped: boolean): void {
  const child = live.get(id);
  if (child === undefined) return;
  live.delete(id);
  child.drain();
  child.onExit?.(code, signal === 0 ? null : (SIGNAL_NAMES.get(signal) ?? null), coreDumped);
}

/**
 * The native helper, loaded and started once; `null` where it was not built for this platform,
 * cannot load or start (no pidfd), or `SUPCTL_SPAWN=node` asks for node:child_process.
 */
export function nativeSpawner(): Binding | null {
  if (binding !== undefined) return binding;
  binding = null;
  const loaded = process.env.SUPCTL_SPAWN === 'node' ? null : nativeHelper();
  if (loaded === null) return binding;
  try {
    loaded.init(onExit, onOutput, sharedReadBuffer());
    binding = loaded;
  } catch {
    // The kernel lacks pidfd_open, or a seccomp filter refuses what a child needs:
    // node:child_process does the work.
  }
  return binding;
}

/**
 * The native helper, loaded but not started, whichever spawner is chosen: for what only it can
 * do and that needs none of the spawner's machinery (a FastCGI listening socket). `null` where
 * it is not built for this platform or cannot load.
 */
export function nativeHelper(): Binding | null {
  if (addon !== undefined) return addon;
  addon = null;
  try {
    // By the package's own name, not a relative path, so a bundle of this code (supd's bin) that
    // lives elsewhere still finds the helper in the installed @supctl/core.
    const require = createRequire(import.meta.url);
    addon = require(`@supctl/core/native/${process.platform}-${process.arch}/spawn.node`) as Binding;
  } catch {
    // Not built here: node:child_process does the spawning, and there are no FastCGI sockets.
  }
  return addon;
}

/**
 * Starts a child with the native helper. Returns once the child exists; a failure inside the
 * child (chdir, setuid, exec) is written to its stderr in supervisord's words and it exits 127.
 * Throws an `ErrnoException` when the kernel refuses pipes or a new process.
 */
export function nativeSpawn(native: Binding, request: NativeSpawnRequest): NativeChild {
  const envp: string[] = [];
  for (const [key, value] of Object.entries(request.env)) {
    if (value !== undefined) envp.push(`${key}=${value}`);
  }
  // The helper lends each child a few descriptor slots until it has its own table; they are
  // taken back at the end of this turn of the event loop.
  if (!releaseScheduled) {
    releaseScheduled = true;
    setImmediate(() => {
      releaseScheduled = false;
      native.release();
    });
  }
  let fds: [number, number, number, number, number, number];
  try {
    fds = native.spawn(
      request.file,
      request.argv,
      envp,
      request.cwd,
      request.umask ?? -1,
      request.uid ?? -1,
      request.gid ?? -1,
      request.groups ?? null,
      request.redirectStderr,
      PIPE_SIZE,
      request.openFiles ?? -1,
      request.stdinFd ?? -1,
    );
  } catch (error) {
    const { errno } = error as { errno?: number };
    const code = Object.entries(constants.errno).find(([, n]) => n === errno)?.[0];
    if (code !== undefined) Object.assign(error as object, { code });
    throw error;
  }
  const [pid, stdin, stdout, stderr, id, pipeBytes] = fds;
  const child = new NativeChild(pid, stdin, stdout, stderr, pipeBytes);
  live.set(id, child);
  return child;
}

/**
 * Gives back what start-up used and freed, through the native helper: V8's memory-reducing
 * collection (the memory-pressure notification an embedder sends: it collects, compacts and
 * releases V8's emptied pages, which it would otherwise keep until its heap next grows), then the
 * C heap's free pages (glibc's `malloc_trim`: `free` only gives back the top of the heap). A
 * daemon calls it once its start-up is over. Returns whether it could do anything; `false`
 * without the native helper.
 * @example
 * await supervisor.start();
 * returnFreeMemory(); // supd with 1,000 programs: about 54 → 49.5 MiB at rest
 */
export function returnFreeMemory(): boolean {
  return nativeSpawner()?.trim() ?? false;
}

/**
 * Sends `message` to the system log as supervisord does through Python's syslog module, that is
 * libc's `syslog()`: `<14>Nov 25 01:08:23 supervisord: <message>` on /dev/log (facility user,
 * level info, whatever the message says). Returns `false` without the native helper, where nothing
 * is sent.
 * @example
 * writeSyslog(Buffer.from('web hello')); // what `stdout_syslog=true` sends for a line `hello`
 */
export function writeSyslog(message: Buffer): boolean {
  const native = nativeSpawner();
  if (native === null) return false;
  native.syslogLine(message);
  return true;
}

/**
 * Which spawner this process uses: `native` (the Linux helper) or `child_process`.
 * @example
 * spawnerKind(); // 'native' on Linux where the helper is built
 */
export function spawnerKind(): 'native' | 'child_process' {
  return nativeSpawner() === null ? 'child_process' : 'native';
}
