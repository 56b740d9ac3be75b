import type { SourceLocation } from './ini-reader.ts';

/** `autorestart=`: restart always, never, or only after an exit code not in `exitcodes`. */
export type AutoRestart = true | false | 'unexpected';

/** Where one output channel of a process is written. */
export type LogTarget =
  | { readonly kind: 'auto' }
  | { readonly kind: 'none' }
  | { readonly kind: 'file'; readonly path: string };

/** Main-log levels, by config name, with Supervisor's numbers. */
export const LOG_LEVELS = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
} as const;
export type LogLevelName = keyof typeof LOG_LEVELS;

/** One output channel (`stdout_*` or `stderr_*` keys). */
export interface ChannelConfig {
  /** @default { kind: 'auto' } */
  readonly logfile: LogTarget;
  /** Rotate when the file reaches this size; 0 = never. @default 52428800 (50MB) */
  readonly logfileMaxBytes: number;
  /** @default 10 */
  readonly logfileBackups: number;
  /** >0 turns on capture mode (PROCESS_COMMUNICATION events). @default 0 */
  readonly captureMaxBytes: number;
  /** Emit PROCESS_LOG events for every chunk. @default false */
  readonly eventsEnabled: boolean;
  /** @default false */
  readonly syslog: boolean;
}

/** Which kind of section a process came from. */
export type ProgramKind = 'program' | 'eventlistener' | 'fcgi-program';

/** One process, after numprocs expansion and every `%` expansion. */
export interface ProcessConfig {
  /** The expanded `process_name`. */
  readonly name: string;
  /** The section's name after the prefix (`[program:web]` → `web`). */
  readonly programName: string;
  readonly kind: ProgramKind;
  readonly command: string;
  /** @default null */
  readonly directory: string | null;
  /** @default null (inherit) */
  readonly umask: number | null;
  /** @default 999 */
  readonly priority: number;
  /** @default true */
  readonly autostart: boolean;
  /** @default 'unexpected' */
  readonly autorestart: AutoRestart;
  /** @default 1 */
  readonly startSecs: number;
  /** @default 3 */
  readonly startRetries: number;
  /** @default [0] */
  readonly exitCodes: readonly number[];
  /** Signal name without SIG. @default 'TERM' */
  readonly stopSignal: string;
  /** @default 10 */
  readonly stopWaitSecs: number;
  /** @default false */
  readonly stopAsGroup: boolean;
  /** @default stopAsGroup */
  readonly killAsGroup: boolean;
  /** @default null */
  readonly user: string | null;
  /** @default false */
  readonly redirectStderr: boolean;
  readonly stdout: ChannelConfig;
  readonly stderr: ChannelConfig;
  /** `[supervisord] environment` merged with the program's own (the program wins). */
  readonly environment: Readonly<Record<string, string>>;
  /** `SUPERVISOR_SERVER_URL` for the child; null = AUTO. @default null */
  readonly serverUrl: string | null;
  readonly processNum: number;
  readonly numprocs: number;
  /** The section header that defined this program. */
  readonly source: SourceLocation;
}

interface GroupBase {
  readonly name: string;
  /** @default 999 (eventlisteners: -1) */
  readonly priority: number;
  /** In Supervisor's order: each program's processes by priority, programs as listed. */
  readonly processes: readonly ProcessConfig[];
  readonly source: SourceLocation;
}

/** A group formed by one `[program:x]` (its processes are x's numprocs). */
export interface ProgramGroupConfig extends GroupBase {
  readonly kind: 'program';
}

/** A `[group:x]` section gathering the processes of the programs it lists. */
export interface HeterogeneousGroupConfig extends GroupBase {
  readonly kind: 'group';
  readonly programs: readonly string[];
}

/** An `[eventlistener:x]` pool. */
export interface EventListenerPoolConfig extends GroupBase {
  readonly kind: 'eventlistener';
  /** Upper-cased event type names, as written (duplicates removed). */
  readonly events: readonly string[];
  /** @default 10 */
  readonly bufferSize: number;
  /** @default 'supervisor.dispatchers:default_handler' */
  readonly resultHandler: string;
}

/** A FastCGI socket passed as fd 0 to every process of the group. */
export type FcgiSocket =
  | { readonly family: 'unix'; readonly path: string; readonly owner: string | null; readonly mode: number }
  | { readonly family: 'inet'; readonly host: string; readonly port: number };

/** An `[fcgi-program:x]` group. */
export interface FcgiGroupConfig extends GroupBase {
  readonly kind: 'fcgi-program';
  /**
   * The socket URL as supervisord shows it: the unix path normalised, the host in lower case, the
   * port a number.
   */
  readonly socketUrl: string;
  readonly socket: FcgiSocket;
  /** @default null (SOMAXCONN) */
  readonly socketBacklog: number | null;
}

export type GroupConfig =
  | ProgramGroupConfig
  | HeterogeneousGroupConfig
  | EventListenerPoolConfig
  | FcgiGroupConfig;

/** `[supervisord]`. */
export interface SupervisordConfig {
  /** Path, or `syslog`; relative paths are relative to supd's startup directory. @default 'supervisord.log' */
  readonly logfile: string;
  /** @default 52428800 */
  readonly logfileMaxBytes: number;
  /** @default 10 */
  readonly logfileBackups: number;
  /** @default 'info' */
  readonly loglevel: LogLevelName;
  /** @default 'supervisord.pid' */
  readonly pidfile: string;
  /** @default 0o022 */
  readonly umask: number;
  /** @default false */
  readonly nodaemon: boolean;
  /** @default false */
  readonly silent: boolean;
  /** @default 1024 */
  readonly minfds: number;
  /** @default 200 */
  readonly minprocs: number;
  /** @default false */
  readonly nocleanup: boolean;
  /** @default $TMPDIR or /tmp */
  readonly childlogdir: string;
  /** @default null */
  readonly user: string | null;
  /** @default null */
  readonly directory: string | null;
  /** @default false */
  readonly stripAnsi: boolean;
  /** @default {} */
  readonly environment: Readonly<Record<string, string>>;
  /** @default 'supervisor' */
  readonly identifier: string;
}

/** `[unix_http_server]` or `[unix_http_server:name]`. */
export interface UnixHttpServerConfig {
  readonly family: 'unix';
  readonly section: string;
  readonly name: string | null;
  /** Absolute, normalised socket path. */
  readonly file: string;
  /** @default 0o700 */
  readonly chmod: number;
  /** `user` or `user:group`; null = leave as created. @default null */
  readonly chown: { readonly user: string; readonly group: string | null } | null;
  readonly username: string | null;
  readonly password: string | null;
  readonly source: SourceLocation;
}

/** `[inet_http_server]` or `[inet_http_server:name]`. */
export interface InetHttpServerConfig {
  readonly family: 'inet';
  readonly section: string;
  readonly name: string | null;
  /** Lower-cased; '' = all interfaces. */
  readonly host: string;
  readonly port: number;
  readonly username: string | null;
  readonly password: string | null;
  readonly source: SourceLocation;
}

export type HttpServerConfig = UnixHttpServerConfig | InetHttpServerConfig;

/** `[supervisorctl]`, for clients. supd itself ignores it, so problems here are warnings. */
export interface SupervisorctlConfig {
  /** @default 'http://localhost:9001' */
  readonly serverUrl: string;
  readonly username: string | null;
  readonly password: string | null;
  /** @default 'supervisor' */
  readonly prompt: string;
  readonly historyFile: string | null;
}

/** `[rpcinterface:x]`: accepted for compatibility; only Supervisor's own interface is served. */
export interface RpcInterfaceConfig {
  readonly name: string;
  readonly factory: string;
  readonly extras: Readonly<Record<string, string>>;
}

/** One `[include]` pattern and what it matched. */
export interface IncludeResult {
  /** The pattern joined to the including file's directory. */
  readonly pattern: string;
  readonly matched: readonly string[];
}

/** A problem that does not stop the config from loading. */
export interface ConfigWarning {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly section?: string;
  readonly option?: string;
  /** `supervisor`: supervisord logs the same text; `supctl`: our own lint (e.g. unknown keys). */
  readonly origin: 'supervisor' | 'supctl';
}

/** A whole config, typed and validated. */
export interface Config {
  /** The main file, as named to `load`/`parse`. */
  readonly file: string;
  /** Absolute directory of the main file (`%(here)s`). */
  readonly here: string;
  readonly supervisord: SupervisordConfig;
  readonly httpServers: readonly HttpServerConfig[];
  readonly supervisorctl: SupervisorctlConfig | null;
  readonly rpcInterfaces: readonly RpcInterfaceConfig[];
  /** Sorted by priority (stable), as Supervisor orders them. */
  readonly groups: readonly GroupConfig[];
  readonly includes: readonly IncludeResult[];
  readonly warnings: readonly ConfigWarning[];
  /** Supervisor's INFO lines from parsing (`Included extra file ...`). */
  readonly infos: readonly string[];
}
