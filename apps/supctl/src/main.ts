// supctl's entry: one place maps commands to exit codes. Today it has `check`; supervisorctl's
// commands and the TUI come with their issues.
import { type Output, runCheck } from './check.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';

const USAGE = `Usage: supctl <command> [options]

Commands:
  check [FILE]   read a Supervisor config as supd will and report every problem

supervisorctl's commands (status, start, stop, ...) and the live terminal UI are not
implemented yet.
`;

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

export function run(args: string[], output: Output = io): ExitCode {
  const [command, ...rest] = args;
  if (command === 'check') return runCheck(rest, output);
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    output.out(USAGE);
    return EXIT.OK;
  }
  output.err(`*** Unknown syntax: ${args.join(' ')}\n${USAGE}`);
  return EXIT.BAD_ARGUMENTS;
}

export async function main(args: string[]): Promise<void> {
  process.exitCode = run(args);
}
