import { isValidSignalNumber, lookupSignal, type ProcessConfig } from '@supctl/config';
import {
  decodeEventData,
  isRunningState,
  isSignallableState,
  isStoppedState,
  type ProcessStateName,
  type SupervisorEvent,
} from '@supctl/events';
import { CaptureParser } from './capture-parser.ts';
import { monotonicMs } from './clock.ts';
import { describeExit, describeProcess, signame } from './describe.ts';
import { SupervisorError } from './errors.ts';
import { type FcgiSocket, FcgiSocketError } from './fcgi-socket.ts';
import type { MainLogger } from './main-log.ts';
import { OutputChannel, stripAnsiEscapes } from './output-channel.ts';
import { CommandError, type ResolvedCommand, resolveCommand } from './resolve-command.ts';
import type { RestartThrottle } from './restart-throttle.ts';
import {
  closeStdin,
  type OutputPipe,
  onExit,
  onPipeClosed,
  onSpawnRefused,
  readOutput,
  SpawnError,
  type SpawnedChild,
  spawnChild,
  spawnErrorText,
  writeStdin,
} from './spawn-child.ts';

/** The spawnerr of a process that exited before `startsecs`. */
export const EXITED_TOO_QUICKLY = 'Exited too quickly (process log may have details)';

/** What a process gets from its supervisor: one object, shared by every process. */
export interface ProcessContext {
  readonly logger: MainLogger;
  readonly emit: (event: SupervisorEvent) => void;
  /** supd's environment, the base of every child's. */
  readonly env: NodeJS.ProcessEnv;
  readonly serverUrl: string | null;
  /** Children's soft open-files limit (see SupervisorOptions.childOpenFiles). */
  readonly childOpenFiles?: number | undefined;
  readonly childlogdir: string;
  readonly identifier: string;
  readonly stripAnsi: boolean;
  /** The retry delay after the n-th failed start is n × this. */
  readonly backoffStepMs: number;
  /** While true (shutdown, reload) nothing restarts by itself. */
  readonly isShuttingDown: () => boolean;
  /** The supervisor-wide budget of immediate automatic restarts. */
  readonly restartThrottle: RestartThrottle;
  /**
   * Event listeners only: receives the stdout of the spawn with `pid` (the protocol channel),
   * which is still logged but emits no PROCESS_LOG_STDOUT and has no capture mode.
   */
  readonly listenerStdout?: (process: ManagedProcess, chunk: Buffer, pid: number) => void;
}

/** A snapshot of one process, the facts of `getProcessInfo` (times in epoch ms, 0 = never). */
export interface ProcessInfo {
  readonly name: string;
  readonly group: string;
  readonly state: ProcessStateName;
  readonly pid: number;
  readonly startMs: number;
  readonly stopMs: number;
  readonly nowMs: number;
  readonly spawnerr: string;
  /** Exit code; -1 after a signal death; 0 if none. */
  readonly exitStatus: number;
  readonly stdoutLogfile: string | null;
  readonly stderrLogfile: string | null;
  readonly description: string;
}

/** Options of {@link ManagedProcess.start} and {@link ManagedProcess.stop}. */
export interface WaitOptions {
  /** Resolve only once the process is RUNNING (start) or stopped (stop). @default true */
  readonly wait?: boolean;
}

/**
 * One supervised process: Supervisor's state machine, driven only by commands (start, stop,
 * signal), child events (spawned, exited, output) and timers for exactly what is due (startsecs,
 * backoff, stopwaitsecs). Every state change is emitted as a PROCESS_STATE_* event.
 */
export class ManagedProcess {
  readonly config: ProcessConfig;
  readonly group: string;
  readonly stdout: OutputChannel;
  /** Null with `redirect_stderr` (stderr goes to {@link stdout}). */
  readonly stderr: OutputChannel | null;
  readonly #ctx: ProcessContext;
  // The group's FastCGI socket, each child's stdin.
  readonly #socket: FcgiSocket | null;
  #state: ProcessStateName = 'STOPPED';
  #child: SpawnedChild | null = null;
  #pid = 0;
  #startMs = 0;
  #startedAt = 0; // monotonicMs() of the last spawn, for durations
  #stopMs = 0;
  #backoff = 0;
  #spawnerr = '';
  #exitStatus = 0;
  #killing = false;
  #timer: NodeJS.Timeout | null = null;
  #lastAutorestartMs = Number.NEGATIVE_INFINITY;
  // Made on first use: most processes never have a waiter, and a Set costs some 150 bytes.
  #stateWaiters: Set<() => void> | null = null;
  // The output pipes of this process's children until each is done (a grandchild may hold one).
  #pipes: Set<OutputPipe> | null = null;

  constructor(config: ProcessConfig, ctx: ProcessContext, group: string, socket: FcgiSocket | null = null) {
    this.config = config;
    this.group = group;
    this.#ctx = ctx;
    this.#socket = socket;
    const channel = (name: 'stdout' | 'stderr') =>
      new OutputChannel({
        processName: config.name,
        channel: name,
        // An event listener's stdout is its protocol: supervisord never sends it to syslog.
        config:
          config.kind === 'eventlistener' && name === 'stdout'
            ? { ...config.stdout, syslog: false }
            : config[name],
        childlogdir: ctx.childlogdir,
        identifier: ctx.identifier,
        stripAnsi: ctx.stripAnsi,
        onWriteError: (error, path) =>
          ctx.logger.log(
            'error',
            `could not write the ${name} log of '${config.name}' (${path}): ${error.message} (said once until it works again; output may be lost meanwhile)`,
          ),
      });
    this.stdout = channel('stdout');
    this.stderr = config.redirectStderr ? null : channel('stderr');
  }

  get name(): string {
    return this.config.name;
  }

  get state(): ProcessStateName {
    return this.#state;
  }

  /** The live child's pid, 0 when there is none. */
  get pid(): number {
    return this.#pid;
  }

  /** Whether the process has ever been started (Supervisor's `laststart != 0`). */
  get hasStarted(): boolean {
    return this.#startMs !== 0;
  }

  info(nowMs = Date.now()): ProcessInfo {
    const base = {
      name: this.name,
      state: this.#state,
      pid: this.#pid,
      startMs: this.#startMs,
      stopMs: this.#stopMs,
      spawnerr: this.#spawnerr,
      nowMs,
    };
    // Listed, not spread: `{...base, more}` is ~20× slower on Node 20 (getAllProcessInfo calls this per process).
    return {
      name: base.name,
      state: base.state,
      pid: base.pid,
      startMs: base.startMs,
      stopMs: base.stopMs,
      spawnerr: base.spawnerr,
      nowMs,
      group: this.group,
      exitStatus: this.#exitStatus,
      stdoutLogfile: this.stdout.path,
      stderrLogfile: this.stderr?.path ?? null,
      description: describeProcess(base),
    };
  }

  /**
   * Starts the process as `startProcess` does: the command is checked first (NO_FILE,
   * NOT_EXECUTABLE), ALREADY_STARTED in a running state, FAILED in UNKNOWN. With `wait`, resolves
   * once RUNNING and rejects SPAWN_ERROR (spawn failed or exited too quickly) or
   * ABNORMAL_TERMINATION.
   */
  async start(options: WaitOptions = {}): Promise<void> {
    let resolved: ResolvedCommand;
    try {
      resolved = resolveCommand(this.config.command, this.config.environment.PATH ?? this.#ctx.env.PATH);
    } catch (error) {
      if (error instanceof CommandError) throw new SupervisorError(error.code, error.message);
      throw error;
    }
    if (isRunningState(this.#state)) throw new SupervisorError('ALREADY_STARTED', this.name);
    if (this.#state === 'UNKNOWN') throw new SupervisorError('FAILED', `${this.name} is in an unknown state`);
    this.#spawn(resolved);
    if (this.#spawnerr) throw new SupervisorError('SPAWN_ERROR', this.name);
    if (options.wait === false) return;
    await this.#waitUntil(() => {
      if (this.#spawnerr) throw new SupervisorError('SPAWN_ERROR', this.name);
      if (this.#state === 'RUNNING') return true;
      if (this.#state !== 'STARTING') throw new SupervisorError('ABNORMAL_TERMINATION', this.name);
      return false;
    });
  }

  /**
   * Stops the process as `stopProcess` does: BACKOFF goes straight to STOPPED; STARTING/RUNNING
   * get `stopsignal` (to the group with stopasgroup), then SIGKILL after `stopwaitsecs`. Rejects
   * NOT_RUNNING otherwise. With `wait`, resolves once the process is in a stopped state.
   */
  async stop(options: WaitOptions = {}): Promise<void> {
    if (!isRunningState(this.#state)) throw new SupervisorError('NOT_RUNNING', this.name);
    this.#requestStop();
    if (options.wait === false) return;
    // supervisord's stopProcess logs this while it waits: at once (the child is not reaped yet),
    // then every 2 s.
    const report = () => {
      if (this.#state === 'STOPPING') this.#ctx.logger.log('info', `waiting for ${this.name} to stop`);
    };
    report();
    const waiting = setInterval(report, 2000);
    try {
      await this.#waitUntil(() => isStoppedState(this.#state));
    } finally {
      clearInterval(waiting);
    }
  }

  /**
   * Sends a signal (name like `HUP`/`SIGHUP`/`hup`, or number) to the child without changing
   * state. NOT_RUNNING unless STARTING/RUNNING/STOPPING; BAD_SIGNAL for an unknown name.
   */
  signal(signal: string | number): void {
    const num = typeof signal === 'number' ? signal : lookupSignal(signal);
    if (num === undefined || !isValidSignalNumber(num))
      throw new SupervisorError('BAD_SIGNAL', String(signal));
    if (!isSignallableState(this.#state)) throw new SupervisorError('NOT_RUNNING', this.name);
    this.#ctx.logger.log('debug', `sending ${this.name} (pid ${this.#pid}) sig ${signame(num)}`);
    this.#kill(num, false);
  }

  /**
   * Writes to the child's stdin. NOT_RUNNING without a live child, NO_FILE when its stdin is a
   * FastCGI socket or the child has closed it.
   */
  sendStdin(data: string | Uint8Array): void {
    if (this.#child === null || this.#pid === 0 || this.#killing) {
      throw new SupervisorError('NOT_RUNNING', this.name);
    }
    if (this.#socket !== null || !writeStdin(this.#child, data)) {
      throw new SupervisorError('NO_FILE', this.name);
    }
  }

  /** Truncates the logs, only while the process has live pipes (as supervisord). */
  clearLogs(): void {
    if (this.#child === null) return;
    this.stdout.clear();
    this.stderr?.clear();
  }

  reopenLogs(): void {
    this.stdout.reopen();
    this.stderr?.reopen();
  }

  /**
   * The shutdown step: STARTING/RUNNING are stopped, BACKOFF gives up (FATAL). Returns at once;
   * watch {@link state} or the events.
   */
  stopForShutdown(): void {
    // supervisord gives up silently here: its `gave up:` line belongs to running out of retries.
    if (this.#state === 'BACKOFF') this.#giveUp(false);
    else if (this.#state === 'STARTING' || this.#state === 'RUNNING') this.#requestStop();
  }

  /** Resolves when `check` returns true after any state change (or now); rejects if it throws. */
  waitForState(check: (state: ProcessStateName) => boolean): Promise<void> {
    return this.#waitUntil(() => check(this.#state));
  }

  /** Cancels timers and closes the log files; the process must be stopped. */
  close(): void {
    this.#clearTimer();
    if (this.#pipes !== null) for (const pipe of [...this.#pipes]) pipe.destroy();
    this.#pipes = null;
    this.stdout.close();
    this.stderr?.close();
  }

  /** Spawns a child now (autostart, autorestart, backoff retry, start); spawn errors → BACKOFF. */
  spawn(): void {
    this.#spawn();
  }

  // `resolved`: the command as start() already found it (else it is looked up again).
  #spawn(resolved?: ResolvedCommand): void {
    if (this.#pid !== 0) {
      this.#ctx.logger.log('warn', `process '${this.name}' already running`);
      return;
    }
    this.#clearTimer();
    this.#killing = false;
    this.#spawnerr = '';
    this.#exitStatus = 0;
    this.#startMs = Date.now();
    this.#startedAt = monotonicMs();
    this.#change('STARTING');
    const unopened = this.stdout.ensureOpen() ?? this.stderr?.ensureOpen() ?? null;
    if (unopened !== null) {
      this.#spawnFailed(`unknown error making dispatchers for '${this.name}': ${unopened}`);
      return;
    }
    let stdinFd: number | undefined;
    if (this.#socket !== null) {
      try {
        stdinFd = this.#socket.acquire();
      } catch (error) {
        if (!(error instanceof FcgiSocketError)) throw error;
        this.#spawnFailed(error.message);
        return;
      }
    }
    let child: SpawnedChild;
    try {
      child = spawnChild({
        config: this.config,
        groupName: this.group,
        baseEnv: this.#ctx.env,
        serverUrl: this.#ctx.serverUrl,
        resolved,
        openFiles: this.#ctx.childOpenFiles,
        stdinFd,
      });
    } catch (error) {
      // A SpawnError, or the native helper's errno: the kernel refused pipes or a process.
      const known = error instanceof SpawnError || typeof (error as NodeJS.ErrnoException).errno === 'number';
      if (!known) {
        if (stdinFd !== undefined) this.#socket?.release();
        throw error;
      }
      const message =
        error instanceof SpawnError
          ? error.message
          : spawnErrorText(error as NodeJS.ErrnoException, this.config);
      this.#spawnFailedWithout(stdinFd, message);
      return;
    }
    if (child.pid === undefined) {
      // The kernel refused (fork or exec); `error` tells why on the next tick.
      onSpawnRefused(child, (error) => this.#spawnFailedWithout(stdinFd, spawnErrorText(error, this.config)));
      return;
    }
    this.#attach(child, stdinFd !== undefined);
  }

  // `holdsSocket`: the child has the group's FastCGI socket, given back once its exit is handled
  // (after an immediate restart has taken it again, so that the socket stays open meanwhile).
  #attach(child: SpawnedChild, holdsSocket: boolean): void {
    const pid = child.pid!;
    this.#child = child;
    this.#pid = pid;
    const sinks = new Map<OutputChannel, (chunk: Buffer) => void>();
    for (const [stream, channel] of [
      [child.stdout, this.stdout],
      [child.stderr, this.stderr ?? this.stdout],
    ] as const) {
      if (!stream) continue;
      let sink = sinks.get(channel);
      if (sink === undefined) {
        sink = this.#outputSink(channel, pid);
        sinks.set(channel, sink);
      }
      // Grandchildren may keep the pipe open after the child exits: drain until EOF.
      if (this.#pipes === null) this.#pipes = new Set();
      const pipes = this.#pipes;
      pipes.add(stream);
      readOutput(child, stream === child.stdout ? 'stdout' : 'stderr', sink);
      onPipeClosed(stream, () => pipes.delete(stream));
    }
    onExit(child, (code, signal, coreDumped) => {
      try {
        this.#finish(child, code, signal, coreDumped);
      } finally {
        if (holdsSocket) this.#socket?.release();
      }
    });
    this.#ctx.logger.log('info', `spawned: '${this.name}' with pid ${pid}`);
    const startMs = this.config.startSecs * 1000;
    if (startMs <= 0) this.#enterRunning();
    else this.#setTimer(startMs + 1, () => this.#checkStarted());
  }

  // Where one spawn's output on `channel` goes: the log (and PROCESS_LOG events when enabled),
  // through the capture-mode parser when capture_maxbytes > 0. Chunks are lent (see
  // readOutput): what is kept past the call is copied.
  #outputSink(channel: OutputChannel, pid: number): (chunk: Buffer) => void {
    const protocol = this.#ctx.listenerStdout;
    if (protocol !== undefined && channel.channel === 'stdout' && this.config.kind === 'eventlistener') {
      return (chunk) => {
        channel.append(chunk);
        protocol(this, Buffer.from(chunk), pid);
      };
    }
    const config = this.config[channel.channel];
    // supervisord writes each chunk to its main log too when loglevel is debug or lower.
    const debug = this.#ctx.logger.enabled?.('debug') === true;
    if (!debug && !config.eventsEnabled && config.captureMaxBytes <= 0) return appendTo(channel);
    // What supervisord does with every piece of output besides writing it to the log file (or,
    // in capture mode, to the capture buffer): the debug copy and PROCESS_LOG events.
    const observe = (chunk: Buffer): void => {
      if (debug) {
        this.#ctx.logger.log('debug', `'${this.name}' ${channel.channel} output:\n${decodeEventData(chunk)}`);
      }
      if (config.eventsEnabled) {
        this.#ctx.emit({
          type: channel.channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR',
          processName: this.name,
          groupName: this.group,
          pid,
          data: decodeEventData(chunk),
        });
      }
    };
    const log = (output: Buffer): void => observe(channel.append(output));
    if (config.captureMaxBytes <= 0) return log;
    const strip = (data: Buffer): Buffer => (this.#ctx.stripAnsi ? stripAnsiEscapes(data) : data);
    const parser = new CaptureParser(config.captureMaxBytes, {
      log,
      captured: (data) => observe(strip(data)),
      communicate: (data) => {
        this.#ctx.emit({
          type:
            channel.channel === 'stdout' ? 'PROCESS_COMMUNICATION_STDOUT' : 'PROCESS_COMMUNICATION_STDERR',
          processName: this.name,
          groupName: this.group,
          pid,
          data: decodeEventData(strip(data)),
        });
        this.#ctx.logger.log('debug', `'${this.name}' ${channel.channel} emitted a comm event`);
      },
    });
    return (chunk) => parser.feed(Buffer.from(chunk));
  }

  // STARTING → RUNNING once `now - laststart > startsecs` (strictly).
  #checkStarted(): void {
    if (this.#state !== 'STARTING') return;
    const remaining = this.config.startSecs * 1000 - (monotonicMs() - this.#startedAt);
    if (remaining >= 0) this.#setTimer(remaining + 1, () => this.#checkStarted());
    else this.#enterRunning();
  }

  #enterRunning(): void {
    this.#clearTimer();
    this.#backoff = 0;
    this.#change('RUNNING');
    this.#ctx.logger.log(
      'info',
      `success: ${this.name} entered RUNNING state, process has stayed up for > than ${this.config.startSecs} seconds (startsecs)`,
    );
  }

  // A spawn that failed after it took the group's FastCGI socket (`stdinFd`): the spawnerr is
  // logged before the socket is given back (and perhaps closed), as supervisord does.
  #spawnFailedWithout(stdinFd: number | undefined, message: string): void {
    this.#spawnFailed(message);
    if (stdinFd !== undefined) this.#socket?.release();
  }

  #spawnFailed(message: string): void {
    this.#spawnerr = message;
    this.#ctx.logger.log('info', `spawnerr: ${message}`);
    this.#enterBackoff();
  }

  #enterBackoff(): void {
    this.#backoff += 1;
    this.#change('BACKOFF');
    if (this.#backoff > this.config.startRetries) {
      this.#giveUp(true);
      return;
    }
    this.#setTimer(this.#backoff * this.#ctx.backoffStepMs, () => {
      if (this.#state === 'BACKOFF' && !this.#ctx.isShuttingDown()) this.spawn();
    });
  }

  #giveUp(logged: boolean): void {
    this.#clearTimer();
    this.#backoff = 0;
    this.#change('FATAL');
    if (!logged) return;
    this.#ctx.logger.log(
      'info',
      `gave up: ${this.name} entered FATAL state, too many start retries too quickly`,
    );
  }

  #requestStop(): void {
    if (this.#state === 'BACKOFF') {
      this.#ctx.logger.log('debug', `Attempted to kill ${this.name}, which is in BACKOFF state.`);
      this.#clearTimer();
      this.#change('STOPPED');
      return;
    }
    const pid = this.#pid;
    const stopSignal = lookupSignal(this.config.stopSignal) ?? 15;
    this.#logKilling(pid, `SIG${this.config.stopSignal}`, this.config.stopAsGroup);
    this.#killing = true;
    if (!this.#kill(stopSignal, this.config.stopAsGroup)) return;
    this.#change('STOPPING');
    this.#setTimer(this.config.stopWaitSecs * 1000, () => {
      if (this.#state !== 'STOPPING' || this.#pid !== pid) return;
      this.#ctx.logger.log('warn', `killing '${this.name}' (${pid}) with SIGKILL`);
      this.#logKilling(pid, 'SIGKILL', this.config.killAsGroup);
      this.#kill(9, this.config.killAsGroup);
    });
  }

  // supervisord's debug line before each signal of a stop.
  #logKilling(pid: number, signal: string, asGroup: boolean): void {
    this.#ctx.logger.log(
      'debug',
      `killing ${this.name} (pid ${pid}) ${asGroup ? 'process group ' : ''}with signal ${signal}`,
    );
  }

  // Signals the child (or its process group); an unexpected OS error puts it in UNKNOWN.
  #kill(signal: number, asGroup: boolean): boolean {
    const pid = this.#pid;
    if (pid === 0) return false;
    try {
      process.kill(asGroup ? -pid : pid, signal);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The child may have died already; its exit event is on its way.
      if (code === 'ESRCH') return true;
      this.#ctx.logger.log('critical', `unknown problem killing ${this.name} (${pid}):${String(error)}`);
      this.#clearTimer();
      this.#killing = false;
      this.#change('UNKNOWN');
      return false;
    }
  }

  #finish(
    child: SpawnedChild,
    code: number | null,
    signal: NodeJS.Signals | null,
    coreDumped: boolean,
  ): void {
    if (child !== this.#child) return;
    this.#clearTimer();
    const pid = this.#pid;
    const elapsedMs = monotonicMs() - this.#startedAt;
    const tooQuickly = elapsedMs < this.config.startSecs * 1000;
    const status = signal !== null ? -1 : (code ?? 0);
    const expected = signal === null && this.config.exitCodes.includes(status);
    const how = describeExit(code, signal, coreDumped);
    this.#child = null;
    this.#pid = 0;
    this.#stopMs = Date.now();
    closeStdin(child);
    // Output read in this turn reaches the file before anyone sees the exit.
    this.stdout.flush();
    this.stderr?.flush();
    if (this.#killing) {
      this.#killing = false;
      this.#exitStatus = status;
      this.#ctx.logger.log(expected ? 'info' : 'warn', `stopped: ${this.name} (${how})`);
      this.#change('STOPPED', pid);
      return;
    }
    if (this.#state === 'UNKNOWN') return;
    if (tooQuickly && this.#state === 'STARTING') {
      this.#exitStatus = 0;
      this.#spawnerr = EXITED_TOO_QUICKLY;
      this.#ctx.logger.log('warn', `exited: ${this.name} (${how}; not expected)`);
      this.#enterBackoff();
      return;
    }
    this.#backoff = 0;
    this.#exitStatus = status;
    if (this.#state === 'STARTING') this.#change('RUNNING', pid);
    if (expected) {
      this.#ctx.logger.log('info', `exited: ${this.name} (${how}; expected)`);
    } else {
      this.#spawnerr = `Bad exit code ${status}`;
      this.#ctx.logger.log('warn', `exited: ${this.name} (${how}; not expected)`);
    }
    this.#change('EXITED', pid, expected);
    const { autorestart } = this.config;
    if (
      !this.#ctx.isShuttingDown() &&
      (autorestart === true || (autorestart === 'unexpected' && !expected))
    ) {
      this.#autorestart(signal !== null);
    }
  }

  // Restart now, or later when a crash loop has to be slowed down (see RestartThrottle).
  #autorestart(bySignal: boolean): void {
    const step = this.#ctx.backoffStepMs;
    const restart = () => {
      if (this.#state !== 'EXITED' || this.#ctx.isShuttingDown()) return;
      const now = monotonicMs();
      const wait = this.#ctx.restartThrottle.delay(now);
      if (wait > 0) {
        this.#setTimer(wait, restart);
        return;
      }
      this.#ctx.restartThrottle.take(now);
      this.#lastAutorestartMs = now;
      this.spawn();
    };
    const wait = bySignal ? 0 : this.#lastAutorestartMs + step - monotonicMs();
    if (wait <= 0) restart();
    else this.#setTimer(wait, restart);
  }

  #change(to: ProcessStateName, pid = this.#pid, expected = false): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    const base = { processName: this.name, groupName: this.group, fromState: from };
    switch (to) {
      case 'STARTING':
        this.#ctx.emit({ type: 'PROCESS_STATE_STARTING', ...base, tries: this.#backoff });
        break;
      case 'BACKOFF':
        this.#ctx.emit({ type: 'PROCESS_STATE_BACKOFF', ...base, tries: this.#backoff });
        break;
      case 'RUNNING':
      case 'STOPPING':
      case 'STOPPED':
        this.#ctx.emit({ type: `PROCESS_STATE_${to}`, ...base, pid });
        break;
      case 'EXITED':
        this.#ctx.emit({ type: 'PROCESS_STATE_EXITED', ...base, expected, pid });
        break;
      case 'FATAL':
      case 'UNKNOWN':
        this.#ctx.emit({ type: `PROCESS_STATE_${to}`, ...base });
        break;
    }
    if (this.#stateWaiters !== null) for (const waiter of [...this.#stateWaiters]) waiter();
  }

  #waitUntil(check: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#stateWaiters === null) this.#stateWaiters = new Set();
      const waiters = this.#stateWaiters;
      const waiter = (): void => {
        try {
          if (!check()) return;
          waiters.delete(waiter);
          resolve();
        } catch (error) {
          waiters.delete(waiter);
          reject(error);
        }
      };
      waiters.add(waiter);
      waiter();
    });
  }

  #setTimer(ms: number, fn: () => void): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      fn();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

// The usual sink (no debug copy, no events, no capture mode): the log only. Made outside
// #outputSink so that the closure holds the channel alone, not that method's whole context:
// two per child.
function appendTo(channel: OutputChannel): (chunk: Buffer) => void {
  return (chunk) => {
    channel.append(chunk);
  };
}
