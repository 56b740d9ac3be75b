import { readdirSync, readFileSync } from 'node:fs';

/** Whether a process with this pid exists and is not a zombie. */
export function isPidAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/**
 * Pids of live (non-zombie) processes whose process group is one of `pgids` (Linux /proc scan).
 * @example
 * expect(processesInGroups([child.pid])).toEqual([]);
 */
export function processesInGroups(pgids: Iterable<number>): number[] {
  const wanted = new Set(pgids);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat && wanted.has(stat.pgid) && stat.state !== 'Z' && stat.state !== 'X') found.push(pid);
  }
  return found;
}

/** Pids from `pids` that are still alive; kills them (SIGKILL) so a failing test leaks nothing. */
export function reapLeaks(pids: Iterable<number>): number[] {
  const alive = [...pids].filter(isPidAlive);
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return alive;
}

/**
 * Collects pids handed to `track` and, when disposed, throws if any is still alive (after
 * killing them). Use one per test file: `afterAll(() => leaks.check())`.
 */
export interface PidTracker {
  track(pid: number | undefined): void;
  /** Throws `leaked pids: …` if a tracked pid (or a member of its process group) survives. */
  check(): void;
}

/** Creates a {@link PidTracker}. */
export function trackPids(): PidTracker {
  const pids = new Set<number>();
  return {
    track(pid) {
      if (pid) pids.add(pid);
    },
    check() {
      const leaked = reapLeaks(new Set([...pids, ...processesInGroups(pids)]));
      pids.clear();
      if (leaked.length > 0) throw new Error(`leaked pids: ${leaked.join(', ')}`);
    },
  };
}

function readStat(pid: number): { state: string; pgid: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm may contain spaces and parens: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgid: Number(fields[2]) };
}
