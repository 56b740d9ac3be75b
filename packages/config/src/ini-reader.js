// Supervisor reads its files with Python's RawConfigParser (inline comment prefixes ; and #,
// strict=False, no interpolation). This is a from-scratch reader with the same observable rules;
// see the package README for why the `ini` package can't be used here.
import { isPySpace, pyRepr, pyRstrip, pyStrip } from './python.js';
export function createRawIni() {
  return { sections: new Map(), defaults: new Map() };
}
/** Look a key up the way RawConfigParser.get does: the section first, then `[DEFAULT]`. */
export function getRawOption(ini, section, key) {
  return ini.sections.get(section)?.options.get(key) ?? ini.defaults.get(key);
}
/** Keys of a section as RawConfigParser.options() lists them (section keys, then defaults). */
export function rawOptionKeys(ini, section) {
  const keys = new Set(ini.sections.get(section)?.options.keys());
  for (const k of ini.defaults.keys()) keys.add(k);
  return [...keys];
}
// Index of the first ; or # that starts an inline comment (preceded by whitespace), or -1.
function inlineCommentStart(line) {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if ((ch === ';' || ch === '#') && (i === 0 || isPySpace(line[i - 1]))) return i;
  }
  return -1;
}
function firstNonSpace(line) {
  for (let i = 0; i < line.length; i++) if (!isPySpace(line[i])) return i;
  return 0;
}
const HEADER = /^\[([^\n]+)\]/;
/**
 * Read one file's text into `ini`. Returns the lines Python would reject; a file whose content
 * starts before any section header stops at that line (Python raises at once).
 */
export function readIniText(text, file, ini) {
  const problems = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  // Values are gathered as lists of lines and joined when the file is done, as Python does.
  const pending = new Map();
  let section;
  let option;
  let optionName;
  let indentLevel = 0;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const lineText = () =>
      n < lines.length - 1 || text.endsWith('\n') || text.endsWith('\r') ? `${raw}\n` : raw;
    const lineNo = n + 1;
    const stripped = pyStrip(raw);
    const fullComment = stripped.startsWith(';') || stripped.startsWith('#');
    const commentAt = fullComment ? 0 : inlineCommentStart(raw);
    const value = pyStrip(commentAt >= 0 ? raw.slice(0, commentAt) : raw);
    if (value === '') {
      // A blank line is part of a multi-line value (trailing ones are dropped at the end);
      // a comment-only line is skipped without ending the value.
      if (commentAt < 0 && section && optionName && option) pending.get(option)?.push('');
      continue;
    }
    const indent = firstNonSpace(raw);
    if (section && optionName && option && indent > indentLevel) {
      pending.get(option)?.push(value);
      continue;
    }
    indentLevel = indent;
    const header = HEADER.exec(value);
    if (header) {
      const name = header[1];
      if (name === 'DEFAULT') section = ini.defaults;
      else {
        let s = ini.sections.get(name);
        if (!s) {
          s = { name, file, line: lineNo, options: new Map() };
          ini.sections.set(name, s);
        }
        section = s.options;
      }
      optionName = undefined;
      option = undefined;
      continue;
    }
    if (!section) {
      problems.push({ file, line: lineNo, text: lineText(), kind: 'no-section-header' });
      return problems;
    }
    const delim = value.search(/[=:]/);
    if (delim < 0) {
      problems.push({ file, line: lineNo, text: lineText(), kind: 'bad-line' });
      continue;
    }
    const key = pyRstrip(value.slice(0, delim)).toLowerCase();
    if (key === '') problems.push({ file, line: lineNo, text: lineText(), kind: 'bad-line' });
    option = { file, line: lineNo, value: '' };
    optionName = key;
    pending.set(option, [pyStrip(value.slice(delim + 1))]);
    section.set(key, option);
  }
  for (const [opt, parts] of pending) opt.value = pyRstrip(parts.join('\n'));
  return problems;
}
/** Python's text for a file's syntax problems (what supervisord prints after `Error: `). */
export function formatSyntaxProblems(problems) {
  const first = problems[0];
  if (!first) return '';
  if (first.kind === 'no-section-header') {
    return `File contains no section headers.\nfile: ${pyRepr(first.file)}, line: ${first.line}\n${pyRepr(first.text)}`;
  }
  let msg = `Source contains parsing errors: ${pyRepr(first.file)}`;
  for (const p of problems) msg += `\n\t[line ${String(p.line).padStart(2)}]: ${pyRepr(p.text)}`;
  return msg;
}
//# sourceMappingURL=ini-reader.js.map
