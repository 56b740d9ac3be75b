import type { GroupConfig } from '@supctl/config';
import { isStoppedState } from '@supctl/events';
import { FcgiSocket } from './fcgi-socket.ts';
import { ManagedProcess, type ProcessContext } from './managed-process.ts';

/**
 * An active group: its config and one {@link ManagedProcess} per process config. Creating it
 * creates the AUTO log files; an `[fcgi-program:x]` group makes its socket and closes it again,
 * to fail early as supervisord does (throws `FcgiSocketError`).
 */
export class ProcessGroup {
  readonly config: GroupConfig;
  /**
   * In the config's order (a `[group:x]`'s `programs=` order; a program's processes by name): the
   * order supervisord autostarts them and lists them in `waiting for … to die`.
   */
  readonly processes: readonly ManagedProcess[];
  /**
   * By priority, equal priorities in config order (a stable sort): the order supervisord starts,
   * stops and signals them on request (`start g:*`, `stop all`); shutdown goes the reverse way.
   */
  readonly byPriority: readonly ManagedProcess[];
  /** An `[fcgi-program:x]` group's socket, which its processes get as stdin. */
  readonly socket: FcgiSocket | null;

  constructor(config: GroupConfig, ctx: ProcessContext) {
    this.config = config;
    this.socket = config.kind === 'fcgi-program' ? new FcgiSocket(config, ctx.logger) : null;
    this.socket?.check();
    this.processes = config.processes.map((p) => new ManagedProcess(p, ctx, config.name, this.socket));
    this.byPriority = [...this.processes].sort((a, b) => a.config.priority - b.config.priority);
  }

  get name(): string {
    return this.config.name;
  }

  get priority(): number {
    return this.config.priority;
  }

  /** Whether every process is STOPPED, EXITED, FATAL or UNKNOWN. */
  isStopped(): boolean {
    return this.processes.every((p) => isStoppedState(p.state));
  }

  close(): void {
    for (const p of this.processes) p.close();
    this.socket?.close();
  }
}

/** Code-point order, as Python compares strings. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
