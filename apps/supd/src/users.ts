import { readFileSync } from 'node:fs';

// The rows of /etc/passwd or /etc/group, split on ':' (blank lines left out).
function rows(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split(':'));
}

/** A number as Python's `int()` reads it (`' 1002'`, `+5`, `1_000`), or undefined. */
export function pythonInt(text: string): number | undefined {
  const t = text.trim();
  return /^[+-]?\d+(_\d+)*$/.test(t) ? Number(t.replaceAll('_', '')) : undefined;
}

// A numeric key is an id only, any other a name only, as supervisord's name_to_uid/name_to_gid.
function lookupRow(file: string, key: string): string[] | undefined {
  const id = pythonInt(key);
  return rows(file).find(([name, , num]) =>
    id === undefined ? name === key : num !== undefined && num !== '' && Number(num) === id,
  );
}

/** A user of /etc/passwd by name or numeric uid; undefined if unknown. */
export function lookupUser(user: string): { name: string; uid: number; gid: number } | undefined {
  const row = lookupRow('/etc/passwd', user);
  return row ? { name: row[0]!, uid: Number(row[2]), gid: Number(row[3]) } : undefined;
}

/** gid of a group name or numeric gid, from /etc/group; undefined if unknown. */
export function lookupGroup(group: string): number | undefined {
  const row = lookupRow('/etc/group', group);
  return row ? Number(row[2]) : undefined;
}

/** supervisord's words for a user `lookupUser` does not know. */
export function unknownUserMessage(user: string): string {
  return pythonInt(user) === undefined ? `Invalid user name ${user}` : `Invalid user id ${user}`;
}
