import { readFileSync } from 'node:fs';

// The row of /etc/passwd or /etc/group whose name (or numeric id) is `key`.
function lookupRow(file: string, key: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const id = key.trim();
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .find(([name, , num]) => name === key || (num !== undefined && num === id));
}

/** uid/gid of a user name or numeric uid, from /etc/passwd; undefined if unknown. */
export function lookupUser(user: string): { uid: number; gid: number } | undefined {
  const row = lookupRow('/etc/passwd', user);
  return row ? { uid: Number(row[2]), gid: Number(row[3]) } : undefined;
}

/** gid of a group name or numeric gid, from /etc/group; undefined if unknown. */
export function lookupGroup(group: string): number | undefined {
  const row = lookupRow('/etc/group', group);
  return row ? Number(row[2]) : undefined;
}
