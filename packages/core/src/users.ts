import { readFileSync } from 'node:fs';

/** A user from /etc/passwd. */
export interface UserEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Looks a user up by name or numeric uid in /etc/passwd (no NSS); `undefined` when unknown.
 * @example
 * lookupUser('root'); // { name: 'root', uid: 0, gid: 0 }
 */
export function lookupUser(user: string, passwdFile = '/etc/passwd'): UserEntry | undefined {
  const numeric = /^\d+$/.test(user) ? Number(user) : undefined;
  for (const [name, , uid, gid] of rows(passwdFile)) {
    if (name === undefined || uid === undefined || gid === undefined) continue;
    if (name === user || (numeric !== undefined && Number(uid) === numeric)) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  if (numeric !== undefined) return { name: user, uid: numeric, gid: numeric };
  return undefined;
}

/**
 * The groups a user belongs to in /etc/group, with `gid` first: what supervisord hands
 * `setgroups()` before dropping to the user (no NSS).
 * @example
 * supplementaryGroups('www-data', 33); // [33] or, say, [33, 4]
 */
export function supplementaryGroups(user: string, gid: number, groupFile = '/etc/group'): number[] {
  const groups = [gid];
  for (const [, , id, members] of rows(groupFile)) {
    if (id === undefined || members === undefined || !/^\d+$/.test(id)) continue;
    if (members.split(',').includes(user) && !groups.includes(Number(id))) groups.push(Number(id));
  }
  return groups;
}

/**
 * A group's gid by name or numeric gid in /etc/group (no NSS); `undefined` when unknown.
 * @example
 * lookupGroup('root'); // 0
 */
export function lookupGroup(group: string, groupFile = '/etc/group'): number | undefined {
  const numeric = /^\d+$/.test(group) ? Number(group) : undefined;
  for (const [name, , gid] of rows(groupFile)) {
    if (name === undefined || gid === undefined || !/^\d+$/.test(gid)) continue;
    if (name === group || Number(gid) === numeric) return Number(gid);
  }
  return numeric;
}

// The lines of /etc/passwd or /etc/group split on ':'; none when the file cannot be read.
function rows(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').map((line) => line.split(':'));
}
