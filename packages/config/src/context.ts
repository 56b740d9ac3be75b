// Shared state of one parse: the raw sections, the expansion names, and every issue and warning.
import { type ConfigIssue, formatIssue, ValueProblem } from './errors.ts';
import type { HostChecks } from './host.ts';
import { getRawOption, type RawIni, type RawOption, type SourceLocation } from './ini-reader.ts';
import { expandUser } from './paths.ts';
import {
  BadFormatError,
  type ExpansionLayers,
  type Expansions,
  MissingNameError,
  mergeLayers,
  percentFormat,
} from './percent-format.ts';
import { pyRepr } from './python.ts';
import type { ConfigWarning } from './types.ts';

/** Thrown to abandon the current section after its issue was recorded. */
export class SectionFailed extends Error {}

/** What one lookup found: the text (expanded unless asked not to) and where it came from. */
export interface Found {
  readonly value: string;
  /** undefined when the default was used. */
  readonly raw: RawOption | undefined;
}

export interface ParseContextOptions {
  readonly ini: RawIni;
  readonly mainFile: string;
  readonly here: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly hostNodeName: string;
  readonly host: HostChecks | undefined;
}

export class ParseContext {
  readonly ini: RawIni;
  readonly mainFile: string;
  readonly here: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly hostNodeName: string;
  readonly host: HostChecks | undefined;
  /** `ENV_*` names; grows with `[supervisord] environment=` as Supervisor's does. */
  readonly envExpansions: Record<string, string> = {};
  readonly issues: ConfigIssue[] = [];
  readonly warnings: ConfigWarning[] = [];
  readonly infos: string[] = [];
  /** `[supervisord] environment`, merged under every program's own. */
  globalEnvironment: Readonly<Record<string, string>> = {};
  /** Sections whose errors get Supervisor's ` in section '…' (file: '…')` suffix. */
  suffixSection: string | undefined;

  constructor(o: ParseContextOptions) {
    this.ini = o.ini;
    this.mainFile = o.mainFile;
    this.here = o.here;
    this.cwd = o.cwd;
    this.env = o.env;
    this.hostNodeName = o.hostNodeName;
    this.host = o.host;
    for (const [k, v] of Object.entries(o.env)) if (v !== undefined) this.envExpansions[`ENV_${k}`] = v;
  }

  /** Location of a section header (for problems with no single option). */
  sectionLocation(section: string): SourceLocation {
    const s = this.ini.sections.get(section);
    return s ? { file: s.file, line: s.line } : { file: this.mainFile, line: 1 };
  }

  /** Record a problem. `at` is the option that holds the bad value, if any. */
  problem(args: {
    section?: string;
    option?: string;
    at?: SourceLocation | undefined;
    detail: string;
    supervisorMessage: string;
  }): void {
    const at = args.at ?? (args.section ? this.sectionLocation(args.section) : { file: this.mainFile });
    let supervisorMessage = args.supervisorMessage;
    if (this.suffixSection && args.section === this.suffixSection) {
      const file = this.ini.sections.get(this.suffixSection)?.file ?? this.mainFile;
      supervisorMessage += ` in section ${pyRepr(this.suffixSection)} (file: ${pyRepr(file)})`;
    }
    this.issues.push({
      ...at,
      section: args.section,
      option: args.option,
      detail: args.detail,
      supervisorMessage,
    });
  }

  warn(w: Omit<ConfigWarning, 'message'> & { message: string }): void {
    this.warnings.push(w);
  }

  /** Python %-expansion with Supervisor's error texts; throws SectionFailed after recording. */
  expand(
    text: string,
    names: Expansions | ExpansionLayers,
    what: string,
    section: string,
    raw?: RawOption,
    option?: string,
  ): string {
    try {
      return percentFormat(text, names);
    } catch (e) {
      if (e instanceof MissingNameError) {
        const available = Object.keys(Array.isArray(names) ? mergeLayers(names) : names).sort();
        const own = available.filter((n) => !n.startsWith('ENV_'));
        this.problem({
          section,
          option,
          at: raw,
          detail: `%(${e.key}) in ${pyRepr(text)} names nothing that can be expanded here (available: ${own.join(', ')} and ENV_<name> for each environment variable)`,
          supervisorMessage: `Format string ${pyRepr(text)} for ${pyRepr(what)} contains names (${e.message}) which cannot be expanded. Available names: ${available.join(', ')}`,
        });
      } else if (e instanceof BadFormatError) {
        this.problem({
          section,
          option,
          at: raw,
          detail: `bad %-format in ${pyRepr(text)}: ${e.message} (write %% for a literal %)`,
          supervisorMessage: `Format string ${pyRepr(text)} for ${pyRepr(what)} is badly formatted: ${e.message}`,
        });
      } else throw e;
      throw new SectionFailed();
    }
  }

  /**
   * Supervisor's `saneget`: the option (or `[DEFAULT]`), else `fallback`, expanded against
   * `ENV_*` plus `names` unless `expand` is false. Returns undefined for a missing option
   * with no fallback.
   */
  get(
    section: string,
    key: string,
    fallback: string | undefined,
    names: Expansions = {},
    expand = true,
  ): Found | undefined {
    const raw = getRawOption(this.ini, section, key);
    const text = raw?.value ?? fallback;
    if (text === undefined) return undefined;
    if (!expand || !text.includes('%')) return { value: text, raw };
    const value = this.expand(text, [this.envExpansions, names], `${section}.${key}`, section, raw, key);
    return { value, raw };
  }

  /** Run a converter; on failure record the problem and throw SectionFailed. */
  convert<T>(section: string, key: string | undefined, found: Found, fn: (v: string) => T): T {
    try {
      return fn(found.value);
    } catch (e) {
      if (!(e instanceof ValueProblem)) throw e;
      this.problem({
        section,
        option: key,
        at: found.raw,
        detail: e.message,
        supervisorMessage: e.supervisorMessage,
      });
      throw new SectionFailed();
    }
  }

  /** `get` + `convert` for an option with a default. */
  option<T>(section: string, key: string, fallback: string, fn: (v: string) => T, names: Expansions = {}): T {
    return this.convert(section, key, this.get(section, key, fallback, names)!, fn);
  }

  /** Run `fn`; if it recorded a problem (SectionFailed), carry on with `fallback`. */
  attempt<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof SectionFailed) return fallback;
      throw e;
    }
  }

  /** os.path.expanduser */
  expandUser(path: string): string {
    return expandUser(path, this.env, this.host);
  }

  describe(issue: ConfigIssue): string {
    return formatIssue(issue);
  }
}
