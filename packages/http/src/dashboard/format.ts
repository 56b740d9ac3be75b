import type { ProcessInfo } from '@supctl/rpc';

/** Per-process actions the dashboard offers, in button order. */
export type ProcessAction = 'start' | 'restart' | 'stop' | 'clearlog';

/**
 * Supervisor's way to name a process: `name` when it is alone in a group of the same name,
 * `group:name` otherwise.
 *
 * @example
 * namespec({ group: 'web', name: 'web_0' }); // 'web:web_0'
 */
export function namespec(info: Pick<ProcessInfo, 'group' | 'name'>): string {
  return info.group === info.name || info.group === '' ? info.name : `${info.group}:${info.name}`;
}

/** Supervisor's CSS class for a state (`statusrunning`, `statuserror`, `statusnominal`). */
export function stateClass(statename: string): string {
  if (statename === 'RUNNING') return 'statusrunning';
  if (statename === 'FATAL' || statename === 'BACKOFF') return 'statuserror';
  return 'statusnominal';
}

/**
 * The buttons a process in `statename` gets. Supervisor's page, except that Stop is also offered
 * while STARTING or BACKOFF (the API allows it, and a process stuck in BACKOFF is the one you want
 * to stop).
 */
export function actionsFor(statename: string): ProcessAction[] {
  switch (statename) {
    case 'RUNNING':
      return ['restart', 'stop', 'clearlog'];
    case 'STARTING':
    case 'BACKOFF':
      return ['stop', 'clearlog'];
    case 'STOPPED':
    case 'EXITED':
    case 'FATAL':
      return ['start', 'clearlog'];
    default:
      return ['clearlog'];
  }
}

/**
 * Seconds as Python's `str(timedelta)`, which Supervisor's descriptions use.
 *
 * @example
 * formatUptime(93784); // '1 day, 2:03:04'
 */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const clock = `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (days === 0) return clock;
  return `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}

/** Uptime of a RUNNING process in seconds, or `undefined` in any other state. */
export function uptimeSeconds(info: Pick<ProcessInfo, 'statename' | 'start' | 'now'>): number | undefined {
  if (info.statename !== 'RUNNING' || info.start <= 0) return undefined;
  return Math.max(0, info.now - info.start);
}

/** Processes sorted by (group, name) and split into groups, as Supervisor's table orders them. */
export function groupProcesses(infos: readonly ProcessInfo[]): Array<[group: string, ProcessInfo[]]> {
  const sorted = [...infos].sort((a, b) =>
    a.group === b.group ? compare(a.name, b.name) : compare(a.group, b.group),
  );
  const groups = new Map<string, ProcessInfo[]>();
  for (const info of sorted) {
    const list = groups.get(info.group);
    if (list) list.push(info);
    else groups.set(info.group, [info]);
  }
  return [...groups];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
