import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { ShlexError, shlexSplit } from './shlex.ts';

/** A command that cannot be run, with Supervisor's spawnerr text and the fault it maps to. */
export class CommandError extends Error {
  /** NO_FILE for a missing file, NOT_EXECUTABLE for everything else (as startProcess reports). */
  readonly code: 'NO_FILE' | 'NOT_EXECUTABLE';

  constructor(code: 'NO_FILE' | 'NOT_EXECUTABLE', message: string) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
  }
}

/** A resolved command: the file to exec and the full argv (argv[0] as written). */
export interface ResolvedCommand {
  readonly file: string;
  readonly argv: readonly string[];
}

const DEFAULT_PATH = '/bin:/usr/bin:/usr/local/bin';

/**
 * Splits `command` with shlex and finds argv[0] as Supervisor does (`get_execv_args`): a name with
 * `/` is used as is, otherwise it is searched in `path` (the program's PATH, else supd's, else
 * `/bin:/usr/bin:/usr/local/bin`). Throws {@link CommandError} with the spawnerr text.
 * @example
 * resolveCommand('sleep 10', process.env.PATH); // { file: '/usr/bin/sleep', argv: ['sleep', '10'] }
 */
export function resolveCommand(command: string, path: string | undefined): ResolvedCommand {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (error) {
    if (error instanceof ShlexError) {
      throw new CommandError('NOT_EXECUTABLE', `can't parse command '${command}': ${error.message}`);
    }
    throw error;
  }
  const program = argv[0];
  if (program === undefined) throw new CommandError('NOT_EXECUTABLE', 'command is empty');
  let file: string | undefined;
  if (program.includes('/')) {
    file = program;
  } else {
    for (const dir of (path ?? DEFAULT_PATH).split(':')) {
      const candidate = join(dir, program);
      if (exists(candidate)) {
        file = candidate;
        break;
      }
    }
  }
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = file === undefined ? undefined : statSync(file);
  } catch {
    stat = undefined;
  }
  if (file === undefined || stat === undefined) {
    throw new CommandError('NO_FILE', `can't find command '${program}'`);
  }
  if (stat.isDirectory()) throw new CommandError('NOT_EXECUTABLE', `command at '${file}' is a directory`);
  if ((Number(stat.mode) & 0o111) === 0) {
    throw new CommandError('NOT_EXECUTABLE', `command at '${file}' is not executable`);
  }
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new CommandError('NOT_EXECUTABLE', `no permission to run command '${file}'`);
  }
  return { file, argv };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
