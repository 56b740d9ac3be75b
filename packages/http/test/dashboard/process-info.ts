import { PROCESS_STATES } from '@supctl/events';
import type { ProcessInfo } from '@supctl/rpc';

/** A ProcessInfo with defaults: a RUNNING `cat`, up for 65 s. */
export function info(overrides: Partial<ProcessInfo> = {}): ProcessInfo {
  const statename = overrides.statename ?? 'RUNNING';
  return {
    name: 'cat',
    group: overrides.name ?? 'cat',
    start: 1_800_000_000 - 65,
    stop: 0,
    now: 1_800_000_000,
    state: PROCESS_STATES[statename],
    statename,
    spawnerr: '',
    exitstatus: 0,
    logfile: '/tmp/cat.log',
    stdout_logfile: '/tmp/cat.log',
    stderr_logfile: '',
    pid: 42,
    description: 'pid 42, uptime 0:01:05',
    ...overrides,
  };
}
