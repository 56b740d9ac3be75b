import type { ProcessConfig } from '@supctl/config';

/** What {@link buildChildEnv} needs besides the process config. */
export interface ChildEnvOptions {
  /** supd's own environment. @default process.env */
  readonly baseEnv?: NodeJS.ProcessEnv;
  readonly groupName: string;
  /** `SUPERVISOR_SERVER_URL` when the process config says AUTO; unset when null. @default null */
  readonly serverUrl?: string | null;
}

/**
 * The child's environment, lowest precedence first: supd's environment → `SUPERVISOR_ENABLED`,
 * `SUPERVISOR_SERVER_URL`, `SUPERVISOR_PROCESS_NAME`, `SUPERVISOR_GROUP_NAME` → the config's
 * environment (`[supervisord]` merged with the program's, the program winning).
 * @example
 * buildChildEnv(config, { groupName: 'web', baseEnv: {} }).SUPERVISOR_ENABLED; // '1'
 */
export function buildChildEnv(config: ProcessConfig, options: ChildEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.baseEnv ?? process.env)) {
    if (value !== undefined) env[key] = value;
  }
  env.SUPERVISOR_ENABLED = '1';
  const serverUrl = config.serverUrl ?? options.serverUrl ?? null;
  if (serverUrl !== null) env.SUPERVISOR_SERVER_URL = serverUrl;
  env.SUPERVISOR_PROCESS_NAME = config.name;
  env.SUPERVISOR_GROUP_NAME = options.groupName;
  Object.assign(env, config.environment);
  return env;
}
