import type { GroupConfig } from '@supctl/config';
import { isStoppedState } from '@supctl/events';
import { ManagedProcess, type ProcessContext } from './managed-process.ts';

/**
 * An active group: its config and one {@link ManagedProcess} per process config, ordered by
 * (priority, name) as supervisord orders them. Creating it creates the AUTO log files.
 */
export class ProcessGroup {
  readonly config: GroupConfig;
  readonly processes: readonly ManagedProcess[];

  constructor(config: GroupConfig, ctx: Omit<ProcessContext, 'groupName'>) {
    this.config = config;
    this.processes = [...config.processes]
      .sort((a, b) => a.priority - b.priority || compare(a.name, b.name))
      .map((p) => new ManagedProcess(p, { ...ctx, groupName: config.name }));
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
  }
}

/** Code-point order, as Python compares strings. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
