import type { GroupConfig } from '@supctl/config';

/** What `reread` reports: group names, each list in the new config's order (removed: active order). */
export interface GroupDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Compares the active groups with a freshly read config as supervisord's `diff_to_active` does:
 * added = in `next` and not active; removed = active and not in `next`; changed = in both with any
 * difference in the group or its processes (source locations are ignored; AUTO log paths are not
 * resolved in configs, so they never differ).
 * @example
 * diffGroups(running.groups, (await load(path)).groups); // { added: ['new'], changed: [], removed: [] }
 */
export function diffGroups(active: readonly GroupConfig[], next: readonly GroupConfig[]): GroupDiff {
  const activeByName = new Map(active.map((g) => [g.name, g]));
  const nextNames = new Set(next.map((g) => g.name));
  const added: string[] = [];
  const changed: string[] = [];
  for (const group of next) {
    const current = activeByName.get(group.name);
    if (current === undefined) added.push(group.name);
    else if (fingerprint(current) !== fingerprint(group)) changed.push(group.name);
  }
  const removed = active.filter((g) => !nextNames.has(g.name)).map((g) => g.name);
  return { added, changed, removed };
}

/** A canonical JSON of a group config without source locations. */
export function fingerprint(group: GroupConfig): string {
  return JSON.stringify(group, (key, value: unknown) => {
    if (key === 'source') return undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
  });
}
