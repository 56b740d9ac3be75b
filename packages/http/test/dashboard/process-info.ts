import type { ProcessInfo } from '@supctl/rpc';

const CODES = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
};

/** A ProcessInfo with defaults: a RUNNING `cat`, up for 65 s. */
export function info(overrides: Partial<ProcessInfo> = {}): ProcessInfo {
  const statename = overrides.statename ?? 'RUNNING';
  return {
    name: 'cat',
    group: overrides.name ?? 'cat',
    start: 1_800_000_000 - 65,
    stop: 0,
    now: 1_800_000_000,
    state: CODES[statename] as ProcessInfo['state'],
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
