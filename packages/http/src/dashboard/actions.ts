import { Fault } from '@supctl/rpc';
import type { DashboardApi } from './types.ts';

/** Actions of `index.html?action=…`: Supervisor's, plus `startall` and `clearall`. */
export const DASHBOARD_ACTIONS = [
  'refresh',
  'startall',
  'stopall',
  'restartall',
  'clearall',
  'start',
  'stop',
  'restart',
  'clearlog',
] as const;

/** One of {@link DASHBOARD_ACTIONS}. */
export type DashboardAction = (typeof DASHBOARD_ACTIONS)[number];

/** Whether `name` is a known action. */
export function isDashboardAction(name: string): name is DashboardAction {
  return (DASHBOARD_ACTIONS as readonly string[]).includes(name);
}

/** Whether the action needs a `processname`. */
export function needsProcessName(action: DashboardAction): boolean {
  return action === 'start' || action === 'stop' || action === 'restart' || action === 'clearlog';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Python's `time.ctime()` in local time, which Supervisor's messages use.
 *
 * @example
 * ctime(new Date(2026, 10, 4, 5, 12, 30)); // 'Wed Nov  4 05:12:30 2026'
 */
export function ctime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${date.getFullYear()}`;
}

const START_FAULT_TEXT: Record<string, string> = {
  NO_FILE: 'no such file',
  NOT_EXECUTABLE: 'file not executable',
  ALREADY_STARTED: 'already started',
  SPAWN_ERROR: 'spawn error',
  ABNORMAL_TERMINATION: 'abnormal termination',
};

function unexpected(fault: Fault): string {
  return `unexpected rpc fault [${fault.code}] ${fault.message}`;
}

async function settle(call: () => unknown): Promise<Fault | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return Fault.from(error);
  }
}

/**
 * Runs an action through the API (waiting until it completes, as Supervisor's deferred views do)
 * and returns Supervisor's message for it (`Process web stopped`, `ERROR: Process web: spawn
 * error`, …). The caller has checked that `processName` is given when the action needs it.
 */
export async function runAction(
  api: DashboardApi,
  action: DashboardAction,
  processName: string,
  now: Date,
): Promise<string> {
  switch (action) {
    case 'refresh':
      return `Page refreshed at ${ctime(now)}`;
    case 'stopall':
      await settle(() => api['supervisor.stopAllProcesses'](true));
      return `All stopped at ${ctime(now)}`;
    case 'startall':
      await settle(() => api['supervisor.startAllProcesses'](true));
      return `All started at ${ctime(now)}`;
    case 'restartall':
      await settle(() => api['supervisor.stopAllProcesses'](true));
      await settle(() => api['supervisor.startAllProcesses'](true));
      return `All restarted at ${ctime(now)}`;
    case 'clearall':
      await settle(() => api['supervisor.clearAllProcessLogs']());
      return `All logs cleared at ${ctime(now)}`;
  }
  const ns = processName;
  const lookup = await settle(() => api['supervisor.getProcessInfo'](ns));
  if (lookup) {
    return lookup.name === 'BAD_NAME' ? `No such process named ${ns}` : unexpected(lookup);
  }
  switch (action) {
    case 'start': {
      const fault = await settle(() => api['supervisor.startProcess'](ns, true));
      if (!fault) return `Process ${ns} started`;
      return `ERROR: Process ${ns}: ${START_FAULT_TEXT[fault.name] ?? unexpected(fault)}`;
    }
    case 'stop': {
      const fault = await settle(() => api['supervisor.stopProcess'](ns, true));
      return fault ? unexpected(fault) : `Process ${ns} stopped`;
    }
    case 'restart':
      // Supervisor ignores the faults of both steps (a multicall) and always reports success.
      await settle(() => api['supervisor.stopProcess'](ns, true));
      await settle(() => api['supervisor.startProcess'](ns, true));
      return `Process ${ns} restarted`;
    case 'clearlog': {
      const fault = await settle(() => api['supervisor.clearProcessLogs'](ns));
      return fault ? unexpected(fault) : `Log for ${ns} cleared`;
    }
  }
}
