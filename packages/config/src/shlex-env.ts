// `environment=` values: Python's shlex.shlex in non-POSIX mode with extra word characters
// `/.+-():`, consumed as KEY = VALUE then one skipped token (normally the comma).
import { ValueProblem } from './errors.ts';
import { pyRepr, pyStripChars } from './python.ts';

const WORD = /^[A-Za-z0-9_/.+\-():]$/;
const SPACE = ' \t\r\n';
const QUOTES = `'"`;

// Tokens of shlex.shlex(text) (non-POSIX, '#' comments): quotes stay in the token.
function shlexTokens(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  const skipLine = () => {
    const nl = text.indexOf('\n', i);
    i = nl < 0 ? text.length : nl + 1;
  };
  while (i < text.length) {
    const ch = text[i++]!;
    if (SPACE.includes(ch)) continue;
    if (ch === '#') {
      skipLine();
      continue;
    }
    if (QUOTES.includes(ch)) {
      const end = text.indexOf(ch, i);
      if (end < 0) throw new ValueProblem('no closing quotation', 'No closing quotation');
      tokens.push(text.slice(i - 1, end + 1));
      i = end + 1;
      continue;
    }
    if (!WORD.test(ch)) {
      tokens.push(ch);
      continue;
    }
    // A word: word characters and quote characters; a comment is skipped without ending it.
    let token = ch;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '#') {
        skipLine();
        continue;
      }
      if (!WORD.test(c) && !QUOTES.includes(c)) break;
      token += c;
      i++;
    }
    tokens.push(token);
  }
  return tokens;
}

/**
 * Parse `KEY=val,KEY2="a,b"` as Supervisor does (including its silent truncations:
 * `A=hello world` gives `{A: 'hello'}`).
 * @example parseEnvironment('A="x,y",B=plain') // { A: 'x,y', B: 'plain' }
 */
export function parseEnvironment(text: string): Record<string, string> {
  const tokens = shlexTokens(text);
  const env: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 4) {
    const [key, eq, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (key === undefined || eq !== '=' || value === undefined) {
      throw new ValueProblem(
        `cannot read KEY=value pairs from ${pyRepr(text)} (expected KEY=value,KEY2="value 2"; quote values with spaces, commas or $)`,
        `Unexpected end of key/value pairs in value '${text}'`,
      );
    }
    env[key] = pyStripChars(value, QUOTES);
  }
  return env;
}
