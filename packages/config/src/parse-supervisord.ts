import type { ParseContext } from './context.ts';
import { existingDirectory, existingDirPath } from './paths.ts';
import { parseEnvironment } from './shlex-env.ts';
import type { SupervisordConfig } from './types.ts';
import { toBoolean, toByteSize, toInteger, toLogLevel, toOctal } from './values.ts';

const S = 'supervisord';

/**
 * `[supervisord]`, in Supervisor's order (so the first problem is the one it reports); a bad
 * option is recorded and its default used, so every problem is found in one pass.
 */
export function parseSupervisordSection(ctx: ParseContext): SupervisordConfig {
  const names = { here: ctx.here };
  const opt = <T>(key: string, fallback: string, fn: (v: string) => T, onError: T): T =>
    ctx.attempt(() => ctx.option(S, key, fallback, fn, names), onError);
  const optional = (key: string) => ctx.attempt(() => ctx.get(S, key, undefined, names), undefined);
  const tmp = ctx.env.TMPDIR ?? ctx.env.TEMP ?? ctx.env.TMP ?? '/tmp';

  const minfds = opt('minfds', '1024', toInteger, 1024);
  const minprocs = opt('minprocs', '200', toInteger, 200);
  const dir = optional('directory');
  const directory = dir
    ? ctx.attempt(() => ctx.convert(S, 'directory', dir, (v) => existingDirectory(ctx, v)), null)
    : null;
  const user = optional('user')?.value ?? null;
  const umask = opt('umask', '022', toOctal, 0o22);
  const logfile = opt('logfile', 'supervisord.log', (v) => existingDirPath(ctx, v), 'supervisord.log');
  const logfileMaxBytes = opt('logfile_maxbytes', '50MB', toByteSize, 50 * 1024 * 1024);
  const logfileBackups = opt('logfile_backups', '10', toInteger, 10);
  const loglevel = opt('loglevel', 'info', toLogLevel, 'info');
  const pidfile = opt('pidfile', 'supervisord.pid', (v) => existingDirPath(ctx, v), 'supervisord.pid');
  const identifier = optional('identifier')?.value ?? 'supervisor';
  const nodaemon = opt('nodaemon', 'false', toBoolean, false);
  const silent = opt('silent', 'false', toBoolean, false);
  const childlogdir = opt('childlogdir', tmp, (v) => existingDirectory(ctx, v), tmp);
  const nocleanup = opt('nocleanup', 'false', toBoolean, false);
  const stripAnsi = opt('strip_ansi', 'false', toBoolean, false);
  const environment = ctx.attempt(() => {
    // Expanded twice: once as an option, then again with host_node_name available.
    const found = ctx.get(S, 'environment', '', names)!;
    const names2 = { here: ctx.here, host_node_name: ctx.hostNodeName, ...ctx.envExpansions };
    const value = ctx.expand(found.value, names2, 'environment', S, found.raw, 'environment');
    return ctx.convert(S, 'environment', { ...found, value }, parseEnvironment);
  }, {});
  for (const [k, v] of Object.entries(environment)) ctx.envExpansions[`ENV_${k}`] = v;
  return {
    logfile,
    logfileMaxBytes,
    logfileBackups,
    loglevel,
    pidfile,
    umask,
    nodaemon,
    silent,
    minfds,
    minprocs,
    nocleanup,
    childlogdir,
    user,
    directory,
    stripAnsi,
    environment,
    identifier,
  };
}
