// What Supervisor checks on the machine while parsing: directories of log files exist, users and
// groups exist. Injectable so a config can be checked for another machine (and in tests).
import { readFileSync, statSync } from 'node:fs';

/** The machine facts parsing depends on. Pass `host: false` to assume every check passes. */
export interface HostChecks {
  isDirectory(path: string): boolean;
  /** A user name or numeric uid that exists. */
  userExists(nameOrUid: string): boolean;
  /** A group name or numeric gid that exists. */
  groupExists(nameOrGid: string): boolean;
  /** The home directory of a user (for `~user` paths), if known. */
  homeOf(name: string): string | undefined;
}

// name:x:uid:gid:gecos:home:shell (passwd) and name:x:gid:members (group).
function readDatabase(path: string): string[][] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

function existsIn(rows: string[][], nameOrId: string): boolean {
  const id = /^\d+$/.test(nameOrId.trim()) ? nameOrId.trim() : undefined;
  return rows.some((r) => (id !== undefined ? Number(r[2]) === Number(id) : r[0] === nameOrId));
}

/** Checks against this machine: the filesystem, /etc/passwd and /etc/group. */
export function createSystemHostChecks(): HostChecks {
  let passwd: string[][] | undefined;
  let group: string[][] | undefined;
  const users = () => {
    passwd ??= readDatabase('/etc/passwd');
    return passwd;
  };
  return {
    isDirectory(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
    userExists: (nameOrUid) => existsIn(users(), nameOrUid),
    groupExists(nameOrGid) {
      group ??= readDatabase('/etc/group');
      return existsIn(group, nameOrGid);
    },
    homeOf: (name) => users().find((r) => r[0] === name)?.[5],
  };
}

/** Checks that all pass: for configs meant for another machine. */
export const permissiveHostChecks: HostChecks = {
  isDirectory: () => true,
  userExists: () => true,
  groupExists: () => true,
  homeOf: () => undefined,
};
