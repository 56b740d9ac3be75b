// `supctl check [file]`: read a config as supd will and report every problem with file:line,
// or summarise what would run. supervisorctl has no such command; it is supctl's own.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeConfig, type Config, findConfigFile, formatIssue } from '@supctl/config';
import { EXIT, type ExitCode } from './exit-codes.ts';

export const CHECK_USAGE = `Usage: supctl check [options] [FILE]

Read a Supervisor config as supd will: report every error (file:line [section] option) and
warning, or list the groups and processes it defines.

Options:
  -c, --configuration FILE  the config file (default: supervisord's search order)
      --fragment            allow a conf.d file without a [supervisord] section
      --no-host-checks      do not check log directories and users on this machine
  -q, --quiet               print problems only
  -h, --help                show this help
`;

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

function summary(config: Config): string {
  const rows = [['GROUP', 'PROCESS', 'PRIORITY', 'AUTOSTART', 'COMMAND']];
  for (const g of config.groups) {
    for (const p of g.processes) {
      const name = g.name === p.name ? p.name : `${g.name}:${p.name}`;
      rows.push([
        g.kind === 'eventlistener' ? `${g.name} (listener)` : g.name,
        name,
        `${g.priority}:${p.priority}`,
        p.autostart ? 'yes' : 'no',
        p.command.replace(/\n/g, ' '),
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function runCheck(args: string[], io: Output): ExitCode {
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  function parse() {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        configuration: { type: 'string', short: 'c' },
        fragment: { type: 'boolean' },
        'no-host-checks': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  }
  try {
    ({ values, positionals } = parse());
  } catch (e) {
    io.err(`Error: ${(e as Error).message}\n${CHECK_USAGE}`);
    return EXIT.BAD_ARGUMENTS;
  }
  if (values.help) {
    io.out(CHECK_USAGE);
    return EXIT.OK;
  }
  if (positionals.length > 1) {
    io.err(`Error: check takes one config file, got ${positionals.length}\n${CHECK_USAGE}`);
    return EXIT.BAD_ARGUMENTS;
  }
  const file = values.configuration ?? positionals[0] ?? findConfigFile(process.argv[1] ?? 'supctl');
  if (file === undefined) {
    io.err('Error: No config file found at default paths; give one: supctl check FILE\n');
    return EXIT.BAD_ARGUMENTS;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`Error: ${code === 'ENOENT' ? `could not find config file ${file}` : (e as Error).message}\n`);
    return EXIT.BAD_ARGUMENTS;
  }
  const result = analyzeConfig(text, {
    path: file,
    requireSupervisordSection: !values.fragment,
    ...(values['no-host-checks'] ? { host: false as const } : {}),
  });
  for (const w of result.warnings) io.err(`warning: ${formatIssue({ ...w, detail: w.message })}\n`);
  if (!result.config) {
    for (const issue of result.issues) io.err(`error: ${formatIssue(issue)}\n`);
    io.err(`${file}: ${result.issues.length} error${result.issues.length === 1 ? '' : 's'}\n`);
    return EXIT.BAD_ARGUMENTS;
  }
  const processes = result.config.groups.reduce((n, g) => n + g.processes.length, 0);
  if (!values.quiet) {
    io.out(`${summary(result.config)}\n`);
    io.out(
      `${file}: OK, ${plural(result.config.groups.length, 'group')}, ${plural(processes, 'process', 'processes')}, ${plural(result.warnings.length, 'warning')}\n`,
    );
  }
  return EXIT.OK;
}
