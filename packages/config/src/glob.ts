// Python's glob.glob() for [include] patterns: * ? [seq] [!seq] per path segment, hidden files
// only matched by patterns that start with a dot, no recursive **.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = /[*?[]/;

// fnmatch.translate for one segment.
function segmentRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^]*';
    else if (ch === '?') re += '[^]';
    else if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) re += '\\[';
      else {
        let body = pattern.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        else if (body.startsWith('^')) body = `\\${body}`;
        re += `[${body}]`;
        i = j;
      }
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory() || readdirSync(path) !== undefined;
  } catch {
    return false;
  }
}

/** Matches of an absolute or relative pattern, unsorted (callers sort, as Supervisor does). */
export function globPaths(pattern: string): string[] {
  if (!MAGIC.test(pattern)) return exists(pattern) ? [pattern] : [];
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let bases = [absolute ? '/' : ''];
  for (const [index, segment] of segments.entries()) {
    if (index === 0 && absolute) continue;
    const last = index === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      const dir = base === '' ? '.' : base;
      if (!MAGIC.test(segment)) {
        const candidate = base === '' ? segment : join(base, segment);
        if (last ? exists(candidate) : isDir(candidate)) next.push(candidate);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      const re = segmentRegex(segment);
      for (const name of names) {
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (!re.test(name)) continue;
        const candidate = base === '' ? name : join(base, name);
        if (last || isDir(candidate)) next.push(candidate);
      }
    }
    bases = next;
  }
  return bases;
}
