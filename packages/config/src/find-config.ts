// Where supervisord and supervisorctl look for a config when -c is not given.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The default config paths in Supervisor's search order, for a program started as `argv0`
 * (`X/etc/supervisord.conf`, `X/supervisord.conf` with X two levels above the binary, then
 * the working directory, `/etc/supervisord.conf` and `/etc/supervisor/supervisord.conf`).
 * @example defaultConfigPaths('/usr/bin/supd') // ['/usr/etc/supervisord.conf', ...]
 */
export function defaultConfigPaths(argv0: string, cwd = process.cwd()): string[] {
  const prefix = dirname(dirname(resolve(cwd, argv0)));
  return [
    join(prefix, 'etc', 'supervisord.conf'),
    join(prefix, 'supervisord.conf'),
    'supervisord.conf',
    'etc/supervisord.conf',
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
}

/** The first default path that exists, or undefined. */
export function findConfigFile(
  argv0: string,
  options: { cwd?: string; exists?: (path: string) => boolean } = {},
): string | undefined {
  const cwd = options.cwd ?? process.cwd();
  const exists = options.exists ?? ((p: string) => existsSync(resolve(cwd, p)));
  return defaultConfigPaths(argv0, cwd).find((p) => exists(p));
}
