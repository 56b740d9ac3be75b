import { EventProtocolError } from './protocol-error.ts';

// Python's str.split() with no argument splits on runs of these (str.isspace()).
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Parses a line of `key:value` tokens, such as an envelope header or the first line of a payload,
 * into a record of strings, like `supervisor.childutils.get_headers`: the line is split on
 * whitespace (as Python's `str.split()`), and each token at its first `:`. A later duplicate key
 * wins. Unlike childutils, a value may itself contain `:`; a token with no `:` at all throws
 * {@link EventProtocolError}.
 *
 * @example
 * parseTokenLine('processname:cat groupname:cat pid:42');
 * // { processname: 'cat', groupname: 'cat', pid: '42' }
 */
export function parseTokenLine(line: string): Record<string, string> {
  const tokens: Record<string, string> = Object.create(null);
  for (const token of line.split(PY_WHITESPACE)) {
    if (token === '') continue;
    const colon = token.indexOf(':');
    if (colon === -1) {
      throw new EventProtocolError(`token '${token}' has no ':' (expected key:value)`, line);
    }
    tokens[token.slice(0, colon)] = token.slice(colon + 1);
  }
  return tokens;
}

/**
 * Joins `[key, value]` pairs into a token line, one space apart, in the order given: the inverse of
 * {@link parseTokenLine}.
 *
 * @example
 * formatTokenLine([['when', 1795497550]]); // 'when:1795497550'
 */
export function formatTokenLine(pairs: readonly (readonly [string, string | number])[]): string {
  return pairs.map(([key, value]) => `${key}:${value}`).join(' ');
}
