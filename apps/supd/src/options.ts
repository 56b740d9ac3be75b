// supervisord's command line: the same flags, the same meanings, and the command line beats
// the config file.
import { resolve } from 'node:path';
import {
  type Config,
  convertPath,
  convertValue,
  type PathType,
  pyRepr,
  type SupervisordConfig,
} from '@supctl/config';
import { GetoptError, getopt, type OptionSpec } from './getopt.ts';

type Key = keyof SupervisordConfig;

interface SupdOption extends OptionSpec {
  /** The [supervisord] key the flag overrides, if any. */
  readonly key?: Key;
  readonly convert?: 'octal' | 'byteSize' | 'integer' | 'logLevel' | PathType;
  /** Flags: the value they set. */
  readonly flagValue?: true;
  readonly help: string;
}

export const SUPD_OPTIONS: readonly SupdOption[] = [
  {
    short: 'c',
    long: 'configuration',
    takesValue: true,
    help: 'configuration file path (searched for if not given)',
  },
  {
    short: 'n',
    long: 'nodaemon',
    takesValue: false,
    key: 'nodaemon',
    flagValue: true,
    help: 'run in the foreground',
  },
  {
    short: 's',
    long: 'silent',
    takesValue: false,
    key: 'silent',
    flagValue: true,
    help: 'no logs to stdout (with -n)',
  },
  { short: 'h', long: 'help', takesValue: false, help: 'print this usage message and exit' },
  { short: '?', takesValue: false, help: 'same as -h' },
  { short: 'v', long: 'version', takesValue: false, help: 'print supd version number and exit' },
  { short: 'u', long: 'user', takesValue: true, key: 'user', help: 'run supd as this user (or numeric uid)' },
  {
    short: 'm',
    long: 'umask',
    takesValue: true,
    key: 'umask',
    convert: 'octal',
    help: 'use this umask for daemon subprocess (default is 022)',
  },
  {
    short: 'd',
    long: 'directory',
    takesValue: true,
    key: 'directory',
    convert: 'existingDirectory',
    help: 'directory to chdir to when daemonized',
  },
  {
    short: 'l',
    long: 'logfile',
    takesValue: true,
    key: 'logfile',
    convert: 'existingDirPath',
    help: 'use FILENAME as logfile path',
  },
  {
    short: 'y',
    long: 'logfile_maxbytes',
    takesValue: true,
    key: 'logfileMaxBytes',
    convert: 'byteSize',
    help: 'use BYTES to limit the max size of logfile',
  },
  {
    short: 'z',
    long: 'logfile_backups',
    takesValue: true,
    key: 'logfileBackups',
    convert: 'integer',
    help: 'number of backups to keep when max bytes reached',
  },
  {
    short: 'e',
    long: 'loglevel',
    takesValue: true,
    key: 'loglevel',
    convert: 'logLevel',
    help: 'use LEVEL as log level (debug,info,warn,error,critical)',
  },
  {
    short: 'j',
    long: 'pidfile',
    takesValue: true,
    key: 'pidfile',
    convert: 'existingDirPath',
    help: 'write a pid file for the daemon process to FILENAME',
  },
  {
    short: 'i',
    long: 'identifier',
    takesValue: true,
    key: 'identifier',
    help: 'identifier used for this instance of supd',
  },
  {
    short: 'q',
    long: 'childlogdir',
    takesValue: true,
    key: 'childlogdir',
    convert: 'existingDirectory',
    help: 'the log directory for child process logs',
  },
  {
    short: 'k',
    long: 'nocleanup',
    takesValue: false,
    key: 'nocleanup',
    flagValue: true,
    help: 'prevent the process from performing cleanup (removal of old automatic child log files) at startup',
  },
  {
    short: 'a',
    long: 'minfds',
    takesValue: true,
    key: 'minfds',
    convert: 'integer',
    help: 'the minimum number of file descriptors for start success',
  },
  {
    short: 't',
    long: 'strip_ansi',
    takesValue: false,
    key: 'stripAnsi',
    flagValue: true,
    help: 'strip ansi escape codes from process output',
  },
  {
    long: 'minprocs',
    takesValue: true,
    key: 'minprocs',
    convert: 'integer',
    help: 'the minimum number of processes available for start success',
  },
  { long: 'profile_options', takesValue: true, help: 'accepted for compatibility; ignored' },
];

/** What the command line asked for. */
export interface SupdArgs {
  readonly configFile: string | undefined;
  readonly help: boolean;
  readonly version: boolean;
  readonly overrides: Partial<Record<Key, string | number | boolean>>;
}

/** A command-line mistake: supd prints `Error: <message>` and the help hint, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

// A flag's value, or an option's value as its [supervisord] key takes it.
function convertOption(
  option: SupdOption,
  flag: string,
  value: string | undefined,
  cwd: string,
): string | number | boolean | undefined {
  if (option.flagValue) return true;
  if (value === undefined || !option.convert) return value;
  const result =
    option.convert === 'existingDirPath' || option.convert === 'existingDirectory'
      ? convertPath(option.convert, value, { cwd })
      : convertValue(option.convert, value);
  if (!result.ok) throw new UsageError(`invalid value for ${flag} '${value}': ${result.supervisorMessage}`);
  return result.value;
}

/**
 * supd's command line, checked as supervisord checks it (paths against `cwd`, where supd was
 * started); a mistake is a {@link UsageError} in supervisord's words.
 */
export function parseSupdArgs(argv: readonly string[], cwd: string = process.cwd()): SupdArgs {
  let parsed: ReturnType<typeof getopt>;
  try {
    parsed = getopt(argv, SUPD_OPTIONS);
  } catch (e) {
    if (e instanceof GetoptError) throw new UsageError(e.message);
    throw e;
  }
  if (parsed.rest.length)
    throw new UsageError(`positional arguments are not supported: [${parsed.rest.map(pyRepr).join(', ')}]`);
  let configFile: string | undefined;
  const overrides: Partial<Record<Key, string | number | boolean>> = {};
  // Options are handled in order, as supervisord does: -h and -v act at once (what follows is not
  // looked at), a value is converted before the option is checked for repetition.
  const given = new Set<string>();
  for (const { spec, flag, value } of parsed.options) {
    const option = spec as SupdOption;
    if (option.short === 'h' || option.short === '?')
      return { configFile, help: true, version: false, overrides };
    if (option.short === 'v') return { configFile, help: false, version: true, overrides };
    const converted = convertOption(option, flag, value, cwd);
    const name = option.long ?? option.short ?? flag;
    if (given.has(name)) throw new UsageError(`conflicting command line option '${flag}'`);
    given.add(name);
    if (option.short === 'c') configFile = value;
    else if (option.key && converted !== undefined) overrides[option.key] = converted;
  }
  return { configFile, help: false, version: false, overrides };
}

/** The config with the command line's [supervisord] values on top. */
export function applyOverrides(config: Config, overrides: SupdArgs['overrides'], cwd: string): Config {
  if (Object.keys(overrides).length === 0) return config;
  const supervisord = { ...config.supervisord, ...overrides } as SupervisordConfig;
  // Paths given on the command line are relative to where supd was started.
  for (const key of ['logfile', 'pidfile', 'childlogdir', 'directory'] as const) {
    const value = overrides[key];
    if (typeof value === 'string' && value !== 'syslog')
      (supervisord as unknown as Record<string, unknown>)[key] = resolve(cwd, value);
  }
  return { ...config, supervisord };
}

export function usage(argv0: string): string {
  const lines = SUPD_OPTIONS.map((o) => {
    const flags = [o.short && `-${o.short}`, o.long && `--${o.long}`].filter(Boolean).join('/');
    return `${`${flags}${o.takesValue ? ' ARG' : ''}`.padEnd(34)} -- ${o.help}`;
  });
  return `supd -- run a set of applications as daemons (a drop-in for supervisord).

Usage: ${argv0} [options]

Options:
${lines.join('\n')}
`;
}
