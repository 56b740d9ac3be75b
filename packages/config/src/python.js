// Small, exact re-creations of the Python built-ins whose behaviour leaks into Supervisor's
// config dialect: str.isspace/strip, int(), int(x, 8) and repr() of a string.
const PY_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);
/** Python's `str.isspace()` for one character. */
export function isPySpace(ch) {
  return PY_SPACE.has(ch.charCodeAt(0));
}
/** Python's `str.strip()` with no argument (Unicode whitespace as Python defines it). */
export function pyStrip(s) {
  let start = 0;
  let end = s.length;
  while (start < end && PY_SPACE.has(s.charCodeAt(start))) start++;
  while (end > start && PY_SPACE.has(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}
/** Python's `str.rstrip()`. */
export function pyRstrip(s) {
  let end = s.length;
  while (end > 0 && PY_SPACE.has(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}
/** Python's `str.strip(chars)`. */
export function pyStripChars(s, chars) {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start])) start++;
  while (end > start && chars.includes(s[end - 1])) end--;
  return s.slice(start, end);
}
/** Python's `repr()` of a str: single quotes unless the text has ' and no ". */
export function pyRepr(s) {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (!isPrintable(ch, cp)) {
      if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}
// Python's str.isprintable(): not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (space excepted).
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
function isPrintable(ch, cp) {
  return cp === 0x20 || !NON_PRINTABLE.test(ch);
}
const ND = /^\p{Nd}$/u;
// Value of a Unicode decimal digit: Nd characters come in aligned runs of ten starting at zero.
function digitValue(cp) {
  let start = cp;
  while (ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}
/**
 * Python's `int(s)` / `int(s, base)` for a string: surrounding whitespace, a sign, `_` between
 * digits, any Unicode decimal digit; for base 8 an optional `0o` prefix. Returns `undefined`
 * where Python raises ValueError.
 */
export function pyInt(s, base = 10) {
  let t = pyStrip(s);
  let sign = 1;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  if (base === 8 && /^0[oO]/.test(t)) {
    t = t.slice(2);
    if (t.startsWith('_')) t = t.slice(1);
  }
  if (t === '' || t.startsWith('_') || t.endsWith('_') || t.includes('__')) return undefined;
  let value = 0;
  for (const ch of t) {
    if (ch === '_') continue;
    const cp = ch.codePointAt(0);
    let d;
    if (cp >= 0x30 && cp <= 0x39) d = cp - 0x30;
    else if (cp > 0x7f && ND.test(ch)) d = digitValue(cp);
    else return undefined;
    if (d >= base) return undefined;
    value = value * base + d;
  }
  return sign * value;
}
/** The message of Python's `int()` ValueError for `s`. */
export function pyIntError(s) {
  return `invalid literal for int() with base 10: ${pyRepr(s)}`;
}
//# sourceMappingURL=python.js.map
