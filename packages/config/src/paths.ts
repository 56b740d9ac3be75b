// Path-typed values: `~` expansion and Supervisor's existence checks of directories.
import { homedir } from 'node:os';
import { dirname, isAbsolute } from 'node:path';
import type { ParseContext } from './context.ts';
import { ValueProblem } from './errors.ts';
import type { HostChecks } from './host.ts';
import { pyRepr } from './python.ts';

/**
 * What the directory checks need: `~` expansion, the machine's facts (none: all pass), and the
 * directory relative paths start from.
 */
export type PathContext = Pick<ParseContext, 'expandUser' | 'host' | 'cwd'>;

/** os.path.expanduser: `~` from `env.HOME`, `~user` from the host's user database. */
export function expandUser(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  host: HostChecks | undefined,
): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/');
  const user = slash < 0 ? path.slice(1) : path.slice(1, slash);
  const rest = slash < 0 ? '' : path.slice(slash);
  const home = user === '' ? (env.HOME ?? homedir()) : host?.homeOf(user);
  if (home === undefined) return path;
  return (home.endsWith('/') && rest ? home.slice(0, -1) : home) + rest;
}

// A relative path from `cwd`, not normalized: as in Python, `nosuch/..` is no directory when
// `nosuch` does not exist.
function fromCwd(ctx: PathContext, path: string): string {
  return isAbsolute(path) ? path : `${ctx.cwd}/${path}`;
}

/** A file whose directory must exist (log files, pidfile): returns the `~`-expanded path. */
export function existingDirPath(ctx: PathContext, value: string): string {
  const path = ctx.expandUser(value);
  const dir = path.includes('/') ? dirname(path) : '';
  if (dir === '' || !ctx.host || ctx.host.isDirectory(fromCwd(ctx, dir))) return path;
  throw new ValueProblem(
    `the directory ${pyRepr(dir)} of ${pyRepr(value)} does not exist`,
    `The directory named as part of the path ${value} does not exist`,
  );
}

/** A directory that must exist (childlogdir, [supervisord] directory). */
export function existingDirectory(ctx: PathContext, value: string): string {
  const path = ctx.expandUser(value);
  if (!ctx.host || ctx.host.isDirectory(fromCwd(ctx, path))) return path;
  throw new ValueProblem(
    `${pyRepr(value)} is not an existing directory`,
    `${value} is not an existing directory`,
  );
}

/** A user that must exist (name or uid); returns the text as written. */
export function existingUser(ctx: ParseContext, value: string): string {
  if (!ctx.host || ctx.host.userExists(value)) return value;
  const numeric = /^\s*[+-]?\d+\s*$/.test(value);
  throw new ValueProblem(
    `no such user ${pyRepr(value)} on this machine`,
    numeric ? `Invalid user id ${value}` : `Invalid user name ${value}`,
  );
}

/** `user` or `user:group`, both of which must exist. */
export function existingUserGroup(
  ctx: ParseContext,
  value: string,
  supervisorMessage: string,
): { user: string; group: string | null } {
  const colon = value.indexOf(':');
  const user = colon < 0 ? value : value.slice(0, colon);
  const group = colon < 0 ? null : value.slice(colon + 1);
  if (ctx.host && !ctx.host.userExists(user)) {
    throw new ValueProblem(`no such user ${pyRepr(user)} on this machine`, supervisorMessage);
  }
  if (group !== null && ctx.host && !ctx.host.groupExists(group)) {
    throw new ValueProblem(`no such group ${pyRepr(group)} on this machine`, supervisorMessage);
  }
  return { user, group };
}
