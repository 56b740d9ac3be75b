// Python's getopt.getopt, which supervisord parses its command line with: short options may be
// clustered (-nc file, -cfile), long options may be abbreviated to a unique prefix and take
// `--opt=value` or `--opt value`, and options end at the first positional argument or `--`.

export interface OptionSpec {
  /** Short letter, e.g. 'c'; `takesValue` decides whether it wants an argument. */
  readonly short?: string;
  /** Long name without dashes. */
  readonly long?: string;
  readonly takesValue: boolean;
}

/** A parsed option: `flag` is as written (`-c` or `--configuration`). */
export interface ParsedOption {
  readonly spec: OptionSpec;
  readonly flag: string;
  readonly value: string | undefined;
}

/** A command-line mistake, with getopt's wording (`option -x not recognized`). */
export class GetoptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GetoptError';
  }
}

export function getopt(
  args: readonly string[],
  specs: readonly OptionSpec[],
): { options: ParsedOption[]; rest: string[] } {
  const options: ParsedOption[] = [];
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    i++;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const exact = specs.find((s) => s.long === name);
      const matches = exact ? [exact] : specs.filter((s) => s.long?.startsWith(name));
      if (matches.length === 0) throw new GetoptError(`option --${name} not recognized`);
      if (matches.length > 1) throw new GetoptError(`option --${name} not a unique prefix`);
      const spec = matches[0]!;
      let value: string | undefined;
      if (spec.takesValue) {
        if (eq >= 0) value = arg.slice(eq + 1);
        else {
          if (i >= args.length) throw new GetoptError(`option --${spec.long} requires argument`);
          value = args[i++];
        }
      } else if (eq >= 0) throw new GetoptError(`option --${spec.long} must not have an argument`);
      options.push({ spec, flag: `--${spec.long}`, value });
      continue;
    }
    let j = 1;
    while (j < arg.length) {
      const letter = arg[j++]!;
      const spec = specs.find((s) => s.short === letter);
      if (!spec) throw new GetoptError(`option -${letter} not recognized`);
      if (!spec.takesValue) {
        options.push({ spec, flag: `-${letter}`, value: undefined });
        continue;
      }
      let value = arg.slice(j);
      if (value === '') {
        if (i >= args.length) throw new GetoptError(`option -${letter} requires argument`);
        value = args[i++]!;
      }
      options.push({ spec, flag: `-${letter}`, value });
      break;
    }
  }
  return { options, rest: args.slice(i) };
}
