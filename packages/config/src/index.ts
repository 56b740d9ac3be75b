export type { ConvertResult, PathType, ValueType } from './convert.ts';
export { convertPath, convertValue } from './convert.ts';
export type { ConfigIssue } from './errors.ts';
export { ConfigError, formatIssue } from './errors.ts';
export { defaultConfigPaths, findConfigFile } from './find-config.ts';
export type { HostChecks } from './host.ts';
export { createSystemHostChecks, permissiveHostChecks } from './host.ts';
export type { SourceLocation } from './ini-reader.ts';
export type { ParseOptions, ParseResult } from './parse.ts';
export { analyzeConfig, load, parse } from './parse.ts';
export { pyRepr } from './python.ts';
export { parseEnvironment } from './shlex-env.ts';
export { isValidSignalNumber, lookupSignal, SIGNAL_NUMBERS, signalName } from './signals.ts';
export type {
  AutoRestart,
  ChannelConfig,
  Config,
  ConfigWarning,
  EventListenerPoolConfig,
  FcgiGroupConfig,
  FcgiSocket,
  GroupConfig,
  HeterogeneousGroupConfig,
  HttpServerConfig,
  IncludeResult,
  InetHttpServerConfig,
  LogLevelName,
  LogTarget,
  ProcessConfig,
  ProgramGroupConfig,
  ProgramKind,
  RpcInterfaceConfig,
  SupervisorctlConfig,
  SupervisordConfig,
  UnixHttpServerConfig,
} from './types.ts';
export { LOG_LEVELS } from './types.ts';
export type { IniValue } from './write.ts';
export { formatProgramSection } from './write.ts';
