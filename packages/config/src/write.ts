// Writing a [program:x] section that Supervisor (and parse) read back to the same values.

import { ValueProblem } from './errors.ts';
import { isPySpace } from './python.ts';
import { toProcessOrGroupName } from './values.ts';

/** A value as a section can hold it. */
export type IniValue = string | number | boolean | readonly number[] | Readonly<Record<string, string>>;

const ENV_WORD = /^[A-Za-z0-9_/.+\-():]+$/;

function fail(section: string, key: string, why: string): never {
  throw new TypeError(`cannot write [${section}] ${key}: ${why}`);
}

function environmentText(section: string, env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => {
      if (!ENV_WORD.test(k))
        fail(section, 'environment', `key ${JSON.stringify(k)} must match ${ENV_WORD.source}`);
      if (ENV_WORD.test(v)) return `${k}=${v}`;
      if (!v.includes('"')) return `${k}="${v}"`;
      if (!v.includes("'")) return `${k}='${v}'`;
      return fail(section, 'environment', `value of ${k} has both ' and " (Supervisor cannot quote it)`);
    })
    .join(',');
}

function valueText(section: string, key: string, value: IniValue): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) fail(section, key, `${value} is not an integer`);
    return String(value);
  }
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return environmentText(section, value as Readonly<Record<string, string>>);
  return value as string;
}

// A line of a value must survive the reader: no surrounding whitespace, no inline comment.
function checkLine(section: string, key: string, line: string, first: boolean): void {
  if (line !== line.trim() || (line.length && (isPySpace(line[0]!) || isPySpace(line.at(-1)!)))) {
    fail(section, key, `${JSON.stringify(line)} has leading or trailing whitespace, which Supervisor strips`);
  }
  for (let i = 1; i < line.length; i++) {
    if ((line[i] === ';' || line[i] === '#') && isPySpace(line[i - 1]!)) {
      fail(section, key, `${JSON.stringify(line)} has whitespace before ${line[i]}, which starts a comment`);
    }
  }
  if (!first && (line.startsWith(';') || line.startsWith('#'))) {
    fail(section, key, `continuation line ${JSON.stringify(line)} would be read as a comment`);
  }
}

/**
 * A `[program:name]` section with the given options (Supervisor's key spelling), one per line.
 * Values are Supervisor text: `%(program_name)s` templates stay as written, so a literal `%`
 * must be given as `%%` (`%%%%` in stdout_logfile/stderr_logfile, which are expanded twice).
 * Throws a TypeError naming the key when a value cannot be written so it reads back the same.
 * @example
 * formatProgramSection('web', { command: 'node server.js', numprocs: 2, process_name: '%(program_name)s_%(process_num)d' })
 */
export function formatProgramSection(name: string, options: Readonly<Record<string, IniValue>>): string {
  const section = `program:${name}`;
  try {
    if (toProcessOrGroupName(name) !== name || name === '')
      fail(section, 'name', 'is empty or has surrounding whitespace');
  } catch (e) {
    if (e instanceof ValueProblem) fail(section, 'name', e.message);
    throw e;
  }
  const lines = [`[${section}]`];
  for (const [rawKey, value] of Object.entries(options)) {
    const key = rawKey.toLowerCase();
    if (!/^[a-z0-9_.-]+$/.test(key)) fail(section, rawKey, 'is not a valid key');
    const text = valueText(section, key, value);
    if (text.endsWith('\n')) fail(section, key, 'ends with a newline, which Supervisor drops');
    const parts = text.split('\n');
    parts.forEach((line, i) => {
      checkLine(section, key, line, i === 0);
    });
    const [first, ...rest] = parts;
    const head = first!.startsWith(';') || first!.startsWith('#') ? `${key} =${first}` : `${key} = ${first}`;
    lines.push([head.trimEnd(), ...rest.map((l) => (l === '' ? '' : `    ${l}`))].join('\n'));
  }
  return `${lines.join('\n')}\n`;
}
