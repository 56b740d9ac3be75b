import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { ProcessConfig } from '@supctl/config';
import { buildChildEnv } from './child-env.ts';
import { CommandError, resolveCommand } from './resolve-command.ts';
import { lookupUser } from './users.ts';

/** What {@link spawnChild} needs besides the process config. */
export interface SpawnChildOptions {
  readonly config: ProcessConfig;
  readonly groupName: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly serverUrl: string | null;
}

/**
 * A spawn that failed before a child existed. `message` is the spawnerr; `childOutput` is what
 * supervisord's forked child would have written to its stderr before exiting 127 (a bad
 * directory or user), which we write to the process log instead.
 */
export class SpawnError extends Error {
  readonly childOutput: string;

  constructor(message: string, childOutput = '') {
    super(message);
    this.name = 'SpawnError';
    this.childOutput = childOutput;
  }
}

const NOT_SPAWNED = 'supervisor: child process was not spawned\n';

/**
 * Resolves and spawns one child: in its own process group (`detached`, so a stop can reach
 * grandchildren and a Ctrl-C to supd doesn't), with stdin/stdout/stderr pipes, the environment,
 * directory, umask and user of the config. Throws {@link SpawnError} with Supervisor's text.
 * A child whose spawn fails in the kernel comes back without a pid; its `error` event follows.
 */
export function spawnChild(options: SpawnChildOptions): ChildProcess {
  const { config } = options;
  const env = buildChildEnv(config, {
    baseEnv: options.baseEnv,
    groupName: options.groupName,
    serverUrl: options.serverUrl,
  });
  let resolved: ReturnType<typeof resolveCommand>;
  try {
    resolved = resolveCommand(config.command, env.PATH);
  } catch (error) {
    if (error instanceof CommandError) throw new SpawnError(error.message);
    throw error;
  }
  let uid: number | undefined;
  let gid: number | undefined;
  if (config.user !== null) {
    const user = lookupUser(config.user);
    if (user === undefined) throw new SpawnError(`couldn't find user ${config.user}`);
    const current = process.getuid?.();
    if (current !== user.uid) {
      if (current !== 0) {
        const text = `couldn't setuid to ${user.uid}: Can't drop privilege as nonroot user`;
        throw new SpawnError(text, `supervisor: ${text}\n${NOT_SPAWNED}`);
      }
      uid = user.uid;
      gid = user.gid;
    }
  }
  if (config.directory !== null && !isDirectory(config.directory)) {
    const text = `couldn't chdir to ${config.directory}: ENOENT`;
    throw new SpawnError(text, `supervisor: ${text}\n${NOT_SPAWNED}`);
  }
  // Node has no umask option: the forked child inherits ours, and spawn() forks synchronously.
  const previousUmask = config.umask === null ? null : process.umask(config.umask);
  try {
    return spawn(resolved.file, resolved.argv.slice(1), {
      argv0: resolved.argv[0],
      cwd: config.directory ?? undefined,
      env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      uid,
      gid,
    });
  } finally {
    if (previousUmask !== null) process.umask(previousUmask);
  }
}

/** The spawnerr for an errno that made spawn() fail in the kernel. */
export function spawnErrorText(error: NodeJS.ErrnoException, config: ProcessConfig): string {
  switch (error.code) {
    case 'ENOENT':
      return `can't find command '${config.command}'`;
    case 'EACCES':
      return `no permission to run command '${config.command}'`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files to spawn '${config.name}'`;
    case 'EAGAIN':
      return `Too many processes in process table to spawn '${config.name}'`;
    default:
      return `unknown error making dispatchers for '${config.name}': ${error.code ?? error.message}`;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
