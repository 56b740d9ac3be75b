// Test harness: a Supervisor over a temp childlogdir that records events and main-log lines and,
// when disposed, shuts down and checks that no child (or member of its process group) survived.

import type { GroupConfig, ProcessConfig } from '@supctl/config';
import type { ProcessStateName, SupervisorEvent } from '@supctl/events';
import { makeTempDir, processesInGroups, reapLeaks, type TempDir, waitFor } from '@supctl/test-utils';
import { Supervisor, type SupervisorOptions } from '../src/index.ts';
import { makeConfig, makeGroupConfig } from './make-config.ts';

export interface Harness extends AsyncDisposable {
  readonly supervisor: Supervisor;
  readonly dir: TempDir;
  readonly events: SupervisorEvent[];
  /** Main-log lines as `LEVEL message` (levels as config names). */
  readonly lines: string[];
  /** The states a process entered, in order. */
  states(name: string): ProcessStateName[];
  /** Waits until `name` has entered `state` `count` times in all. */
  waitForState(name: string, state: ProcessStateName, count?: number, timeoutMs?: number): Promise<void>;
  /** Every pid seen in `spawned:` lines. */
  readonly pids: Set<number>;
}

export interface HarnessOptions extends SupervisorOptions {
  /** @default true */
  readonly start?: boolean;
  readonly supervisord?: Parameters<typeof makeConfig>[0] extends infer S ? Partial<S> : never;
}

export async function startHarness(
  input: readonly ProcessConfig[] | readonly GroupConfig[],
  options: HarnessOptions = {},
): Promise<Harness> {
  const dir = makeTempDir();
  const groups = input.map((item) => ('processes' in item ? item : makeGroupConfig([item])));
  const config = makeConfig({ ...options.supervisord, childlogdir: dir.path }, groups);
  const events: SupervisorEvent[] = [];
  const lines: string[] = [];
  const pids = new Set<number>();
  const supervisor = new Supervisor(config, {
    backoffStepMs: 50,
    ...options,
    logger: {
      log(level, message) {
        lines.push(`${level} ${message}`);
        const pid = /^spawned: '.*' with pid (\d+)$/.exec(message)?.[1];
        if (pid) pids.add(Number(pid));
        options.logger?.log(level, message);
      },
      enabled: (level) => options.logger?.enabled?.(level) ?? false,
    },
  });
  supervisor.subscribe((event) => events.push(event));
  const states = (name: string): ProcessStateName[] =>
    events.flatMap((e) =>
      e.type.startsWith('PROCESS_STATE_') && 'processName' in e && e.processName === name
        ? [e.type.slice('PROCESS_STATE_'.length) as ProcessStateName]
        : [],
    );
  if (options.start !== false) await supervisor.start();
  return {
    supervisor,
    dir,
    events,
    lines,
    pids,
    states,
    async waitForState(name, state, count = 1, timeoutMs = 5000) {
      await waitFor(
        () => {
          const seen = states(name);
          if (seen.filter((s) => s === state).length >= count) return true;
          throw new Error(`states of ${name}: ${seen.join(' ')}`);
        },
        { timeoutMs, what: `${name} ${state} ×${count}` },
      );
    },
    async [Symbol.asyncDispose]() {
      try {
        await supervisor.close();
        await waitFor(() => processesInGroups(pids).length === 0, {
          timeoutMs: 2000,
          what: 'no survivors in the children’s process groups',
        }).catch((error: unknown) => {
          reapLeaks(processesInGroups(pids));
          throw error;
        });
      } finally {
        await dir.close();
      }
    },
  };
}
