// The entry points: parse a config's text (following its [include]s) or load a file.
import { readFileSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ParseContext } from './context.ts';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { globPaths } from './glob.ts';
import { createSystemHostChecks, type HostChecks } from './host.ts';
import {
  createRawIni,
  formatSyntaxProblems,
  getRawOption,
  type RawIni,
  rawOptionKeys,
  readIniText,
  type SyntaxProblem,
} from './ini-reader.ts';
import { knownKeys, SECTION_PREFIXES, suggest } from './known-keys.ts';
import { parseGroups } from './parse-groups.ts';
import { parseHttpServers, parseRpcInterfaces, parseSupervisorctl } from './parse-servers.ts';
import { parseSupervisordSection } from './parse-supervisord.ts';
import { existingUser } from './paths.ts';
import { pyRepr } from './python.ts';
import type { Config, IncludeResult } from './types.ts';

export interface ParseOptions {
  /** The file's name, used in messages and for `%(here)s` (its directory). */
  readonly path: string;
  /** supd's environment, for `%(ENV_X)s`. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `%(host_node_name)s`. @default os.hostname() */
  readonly hostNodeName?: string;
  /** Directory relative paths (socket files) resolve against. @default process.cwd() */
  readonly cwd?: string;
  /**
   * Checks against the machine (directories of log files, users); `false` assumes they
   * pass, to check a config meant for another machine. @default the real filesystem and users
   */
  readonly host?: HostChecks | false;
  /**
   * Require a `[supervisord]` section, as supervisord does. Set false to check a conf.d
   * fragment on its own. @default true
   */
  readonly requireSupervisordSection?: boolean;
}

/** Everything a parse found, without throwing: for linters and editors. */
export interface ParseResult {
  /** Present when there are no issues. */
  readonly config: Config | undefined;
  readonly issues: readonly ConfigIssue[];
  readonly warnings: Config['warnings'];
}

function syntaxIssue(problems: SyntaxProblem[]): ConfigIssue[] {
  const supervisorMessage = formatSyntaxProblems(problems);
  return problems.map((p, i) => ({
    file: p.file,
    line: p.line,
    detail:
      p.kind === 'no-section-header'
        ? `${pyRepr(p.text.replace(/\n$/, ''))} comes before any [section] header`
        : `cannot read ${pyRepr(p.text.replace(/\n$/, ''))} (expected key = value, a [section] header, or an indented continuation line)`,
    supervisorMessage: i === 0 ? supervisorMessage : supervisorMessage,
  }));
}

// Supervisor replaces %(here)s textually after each file is read, in every section.
function expandHere(ini: RawIni, here: string): void {
  for (const section of ini.sections.values()) {
    for (const key of rawOptionKeys(ini, section.name)) {
      const opt = getRawOption(ini, section.name, key)!;
      if (opt.value.includes('%(here)s')) {
        section.options.set(key, { ...opt, value: opt.value.replaceAll('%(here)s', here) });
      }
    }
  }
}

function pathJoin(base: string, pattern: string): string {
  if (pattern.startsWith('/')) return pattern;
  return base.endsWith('/') ? base + pattern : `${base}/${pattern}`;
}

// Offset of the first byte that is not part of valid UTF-8, or -1.
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += len;
  }
  return -1;
}

function decode(bytes: Uint8Array, file: string): string | ConfigIssue {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.startsWith('\ufeff') ? text.slice(1) : text;
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    const line = bytes.subarray(0, bad).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
    const hex = (bytes[bad] ?? 0).toString(16).padStart(2, '0');
    return {
      file,
      line,
      detail: `is not valid UTF-8 (byte 0x${hex} at offset ${bad}); save the file as UTF-8`,
      supervisorMessage: `'utf-8' codec can't decode byte 0x${hex} in position ${bad}`,
    };
  }
}

interface IncludeState {
  readonly ctx: ParseContext;
  readonly ini: RawIni;
  readonly includes: IncludeResult[];
  readonly stack: string[];
}

// Reads the [include] files of one file; returns false when a file could not be read.
function processIncludes(
  state: IncludeState,
  files: { value: string; file: string; line: number },
  base: string,
  names: Record<string, string>,
): boolean {
  const { ctx, ini } = state;
  let patterns: string;
  try {
    patterns = ctx.expand(files.value, names, 'include.files', 'include', { ...files }, 'files');
  } catch {
    return true;
  }
  for (const raw of patterns.split(
    /[\s\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/,
  )) {
    if (raw === '') continue;
    const pattern = pathJoin(base, raw);
    const matched = globPaths(pattern).sort();
    state.includes.push({ pattern, matched });
    if (matched.length === 0) {
      ctx.warn({
        origin: 'supervisor',
        file: files.file,
        line: files.line,
        section: 'include',
        option: 'files',
        message: `No file matches via include "${pattern}"`,
      });
      continue;
    }
    for (const file of matched) {
      let real: string;
      try {
        real = realpathSync(file);
      } catch {
        real = file;
      }
      if (state.stack.includes(real)) {
        ctx.warn({
          origin: 'supctl',
          file: files.file,
          line: files.line,
          section: 'include',
          option: 'files',
          message: `include cycle: ${[...state.stack, real].join(' -> ')}; ${file} is not read again`,
        });
        continue;
      }
      ctx.infos.push(`Included extra file "${file}" during parsing`);
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        ctx.issues.push({
          file: files.file,
          line: files.line,
          section: 'include',
          option: 'files',
          detail: `cannot read included file ${pyRepr(file)}: ${(e as Error).message}`,
          supervisorMessage: `could not read config file ${file}`,
        });
        return false;
      }
      const text = decode(bytes, file);
      if (typeof text !== 'string') {
        ctx.issues.push(text);
        return false;
      }
      const before = ini.sections.get('include')?.options.get('files');
      const problems = readIniText(text, file, ini);
      if (problems.length) {
        ctx.issues.push(...syntaxIssue(problems));
        return false;
      }
      const fileDir = dirname(resolve(ctx.cwd, file));
      expandHere(ini, fileDir);
      const nested = ini.sections.get('include')?.options.get('files');
      if (nested && nested !== before && nested.file === file) {
        ctx.warn({
          origin: 'supctl',
          file,
          line: nested.line,
          section: 'include',
          option: 'files',
          message: `[include] in an included file: supd reads these files too (relative to ${fileDir}), supervisord would ignore them`,
        });
        state.stack.push(real);
        const ok = processIncludes(state, nested, fileDir, names);
        state.stack.pop();
        if (!ok) return false;
      }
    }
  }
  return true;
}

function lint(ctx: ParseContext): void {
  for (const section of ctx.ini.sections.values()) {
    const keys = knownKeys(section.name);
    if (keys === undefined) {
      const guess = suggest(
        section.name.split(':')[0]!,
        SECTION_PREFIXES.map((p) => p.replace(/:$/, '')),
      );
      ctx.warn({
        origin: 'supctl',
        file: section.file,
        line: section.line,
        section: section.name,
        message: `unknown section [${section.name}] is ignored${guess ? ` (did you mean [${guess}${section.name.includes(':') ? section.name.slice(section.name.indexOf(':')) : ''}]?)` : ''}`,
      });
      continue;
    }
    if (keys === null) continue;
    for (const [key, opt] of section.options) {
      if (keys.includes(key)) continue;
      const guess = suggest(key, keys);
      ctx.warn({
        origin: 'supctl',
        file: opt.file,
        line: opt.line,
        section: section.name,
        option: key,
        message: `unknown option ${key} is ignored${guess ? ` (did you mean ${guess}?)` : ''}`,
      });
    }
  }
  for (const [key, opt] of ctx.ini.defaults) {
    ctx.warn({
      origin: 'supctl',
      file: opt.file,
      line: opt.line,
      section: 'DEFAULT',
      option: key,
      message: `[DEFAULT] ${key} applies to every section, including [rpcinterface:supervisor], which makes supervisord refuse to start`,
    });
  }
}

/**
 * Parse a config without throwing: every issue and warning, and the config when there are
 * no issues.
 */
export function analyzeConfig(text: string, options: ParseOptions): ParseResult {
  const cwd = options.cwd ?? process.cwd();
  const here = dirname(resolve(cwd, options.path));
  const ini = createRawIni();
  const host = options.host === false ? undefined : (options.host ?? createSystemHostChecks());
  const ctx = new ParseContext({
    ini,
    mainFile: options.path,
    here,
    cwd,
    env: options.env ?? process.env,
    hostNodeName: options.hostNodeName ?? hostname(),
    host,
  });
  const done = (config: Config | undefined): ParseResult => ({
    config: ctx.issues.length ? undefined : config,
    issues: ctx.issues,
    warnings: ctx.warnings,
  });
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const problems = readIniText(body, options.path, ini);
  if (problems.length) {
    ctx.issues.push(...syntaxIssue(problems));
    return done(undefined);
  }
  const includes: IncludeResult[] = [];
  const include = ini.sections.get('include');
  if (include) {
    expandHere(ini, here);
    const files = include.options.get('files') ?? ini.defaults.get('files');
    if (!files) {
      ctx.problem({
        section: 'include',
        option: 'files',
        detail: 'has no files= setting (list glob patterns, for example files = conf.d/*.conf)',
        supervisorMessage: '.ini file has [include] section, but no files setting',
      });
      return done(undefined);
    }
    let real: string;
    try {
      real = realpathSync(resolve(cwd, options.path));
    } catch {
      real = resolve(cwd, options.path);
    }
    const names = { here, host_node_name: ctx.hostNodeName, ...ctx.envExpansions };
    const state: IncludeState = { ctx, ini, includes, stack: [real] };
    if (!processIncludes(state, files, here, names)) return done(undefined);
  }
  if (!ini.sections.has('supervisord') && options.requireSupervisordSection !== false) {
    ctx.problem({
      detail: 'has no [supervisord] section (supd needs one, even an empty one)',
      supervisorMessage: '.ini file does not include supervisord section',
    });
  }
  const supervisord = parseSupervisordSection(ctx);
  const rpcInterfaces = parseRpcInterfaces(ctx);
  const groups = parseGroups(ctx);
  for (const group of groups) {
    for (const [i, p] of group.processes.entries()) {
      (group.processes as unknown[])[i] = {
        ...p,
        environment: { ...supervisord.environment, ...p.environment },
      };
    }
  }
  const httpServers = parseHttpServers(ctx);
  if (supervisord.user !== null) {
    const user = supervisord.user;
    ctx.attempt(
      () =>
        ctx.convert(
          'supervisord',
          'user',
          { value: user, raw: ini.sections.get('supervisord')?.options.get('user') },
          (v) => existingUser(ctx, v),
        ),
      undefined,
    );
  }
  const supervisorctl = parseSupervisorctl(ctx);
  lint(ctx);
  return done({
    file: options.path,
    here,
    supervisord,
    httpServers,
    supervisorctl,
    rpcInterfaces,
    groups,
    includes,
    warnings: ctx.warnings,
    infos: ctx.infos,
  });
}

/**
 * Parse a config's text as supervisord would (following its `[include]`s).
 * Throws a ConfigError listing every problem; warnings are in `config.warnings`.
 * @example
 * const config = parse('[supervisord]\n[program:web]\ncommand=node server.js\n', { path: 'supervisord.conf' });
 * config.groups[0].processes[0].command // 'node server.js'
 */
export function parse(text: string, options: ParseOptions): Config {
  const result = analyzeConfig(text, options);
  if (!result.config) throw new ConfigError(result.issues);
  return result.config;
}

/**
 * Read and parse a config file.
 * @example const config = load('/etc/supervisor/supervisord.conf');
 */
export function load(path: string, options: Omit<ParseOptions, 'path'> = {}): Config {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(resolve(options.cwd ?? process.cwd(), path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError([
      {
        file: path,
        detail: code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`,
        supervisorMessage:
          code === 'ENOENT' ? `could not find config file ${path}` : `could not read config file ${path}`,
      },
    ]);
  }
  const text = decode(bytes, path);
  if (typeof text !== 'string') throw new ConfigError([text]);
  return parse(text, { ...options, path });
}
