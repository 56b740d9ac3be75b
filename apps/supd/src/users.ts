import { readFileSync } from 'node:fs';

/** uid/gid of a user name or numeric uid, from /etc/passwd; undefined if unknown. */
export function lookupUser(user: string): { uid: number; gid: number } | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === user || (uid !== undefined && uid === user.trim()))
      return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** gid of a group name or numeric gid, from /etc/group; undefined if unknown. */
export function lookupGroup(group: string): number | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/group', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group || (gid !== undefined && gid === group.trim())) return Number(gid);
  }
  return undefined;
}
