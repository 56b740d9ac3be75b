// Builds typed configs with Supervisor's defaults, for engine tests that need no INI parsing.
// (Here rather than in test-utils, which does not depend on @supctl/config.)
import type { ChannelConfig, Config, GroupConfig, ProcessConfig, SupervisordConfig } from '@supctl/config';

/** A channel with Supervisor's defaults (AUTO log, 50MB, 10 backups). */
export function makeChannelConfig(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    logfile: { kind: 'auto' },
    logfileMaxBytes: 50 * 1024 * 1024,
    logfileBackups: 10,
    captureMaxBytes: 0,
    eventsEnabled: false,
    syslog: false,
    ...overrides,
  };
}

/**
 * A `[program:x]` process with Supervisor's defaults; `name` also sets `programName`.
 * @example
 * makeProcessConfig({ name: 'web', command: 'sleep 100', startSecs: 0 });
 */
export function makeProcessConfig(
  overrides: Partial<Omit<ProcessConfig, 'stdout' | 'stderr'>> & {
    stdout?: Partial<ChannelConfig>;
    stderr?: Partial<ChannelConfig>;
  } = {},
): ProcessConfig {
  const name = overrides.name ?? 'proc';
  const stopAsGroup = overrides.stopAsGroup ?? false;
  return {
    name,
    programName: name,
    kind: 'program',
    command: 'sleep 1000',
    directory: null,
    umask: null,
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    startSecs: 1,
    startRetries: 3,
    exitCodes: [0],
    stopSignal: 'TERM',
    stopWaitSecs: 10,
    stopAsGroup,
    killAsGroup: stopAsGroup,
    user: null,
    redirectStderr: false,
    environment: {},
    serverUrl: null,
    processNum: 0,
    numprocs: 1,
    source: { file: 'test.conf', line: 1 },
    ...overrides,
    stdout: makeChannelConfig(overrides.stdout),
    stderr: makeChannelConfig(overrides.stderr),
  };
}

/** A program group named after its (single or first) process, priority 999. */
export function makeGroupConfig(
  processes: readonly ProcessConfig[],
  overrides: Partial<Pick<GroupConfig, 'name' | 'priority'>> = {},
): GroupConfig {
  return {
    kind: 'program',
    name: overrides.name ?? processes[0]?.programName ?? 'group',
    priority: overrides.priority ?? 999,
    processes,
    source: { file: 'test.conf', line: 1 },
  };
}

/**
 * A whole config: `[supervisord]` defaults (childlogdir is required: use a temp dir) and groups.
 * @example
 * makeConfig({ childlogdir: dir.path }, [makeGroupConfig([makeProcessConfig()])]);
 */
export function makeConfig(
  supervisord: Partial<SupervisordConfig> & { childlogdir: string },
  groups: readonly GroupConfig[],
): Config {
  return {
    file: 'test.conf',
    here: supervisord.childlogdir,
    supervisord: {
      logfile: 'supervisord.log',
      logfileMaxBytes: 50 * 1024 * 1024,
      logfileBackups: 10,
      loglevel: 'info',
      pidfile: 'supervisord.pid',
      umask: 0o022,
      nodaemon: false,
      silent: false,
      minfds: 1024,
      minprocs: 200,
      nocleanup: false,
      user: null,
      directory: null,
      stripAnsi: false,
      environment: {},
      identifier: 'supervisor',
      ...supervisord,
    },
    httpServers: [],
    supervisorctl: null,
    rpcInterfaces: [],
    groups,
    includes: [],
    warnings: [],
    infos: [],
  };
}
