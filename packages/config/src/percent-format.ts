// Python's `format % mapping`, which Supervisor applies to almost every config value.
import { pyRepr } from './python.ts';

/** A value Supervisor can expand: strings (paths, ENV_*) and numbers (process_num). */
export type Expansions = Readonly<Record<string, string | number>>;

/** Names to expand, in layers (later layers win), looked up without copying them together. */
export type ExpansionLayers = readonly Expansions[];

function lookup(layers: ExpansionLayers, key: string): string | number | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (Object.hasOwn(layer, key)) return layer[key];
  }
  return undefined;
}

/** All names of the layers, merged (for error messages and a bare `%s`). */
export function mergeLayers(layers: ExpansionLayers): Expansions {
  return Object.assign({}, ...layers);
}

/** `%(name)s` named a key that is not in the expansions (Python's KeyError). */
export class MissingNameError extends Error {
  readonly key: string;
  constructor(key: string) {
    super(pyRepr(key));
    this.name = 'MissingNameError';
    this.key = key;
  }
}

/** The format string itself is malformed (Python's ValueError/TypeError text). */
export class BadFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadFormatError';
  }
}

const FLAGS = '-+ #0';
const CONVERSIONS = 'diouxXeEfFgGcrsa%';

/**
 * Format `fmt` against `values` exactly as Python's `fmt % values` with a dict.
 * @example percentFormat('%(program_name)s_%(process_num)02d', { program_name: 'web', process_num: 3 }) // 'web_03'
 */
export function percentFormat(fmt: string, values: Expansions | ExpansionLayers): string {
  const layers: ExpansionLayers = Array.isArray(values) ? values : [values as Expansions];
  if (!fmt.includes('%')) return fmt;
  let out = '';
  let i = 0;
  let usedWholeMapping = false;
  while (i < fmt.length) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    i = pct + 1;
    if (i >= fmt.length) throw new BadFormatError('incomplete format');
    let key: string | undefined;
    if (fmt[i] === '(') {
      let depth = 1;
      const start = i + 1;
      i = start;
      while (i < fmt.length && depth > 0) {
        if (fmt[i] === '(') depth++;
        else if (fmt[i] === ')') depth--;
        i++;
      }
      if (depth > 0) throw new BadFormatError('incomplete format key');
      key = fmt.slice(start, i - 1);
    }
    let flags = '';
    while (i < fmt.length && FLAGS.includes(fmt[i]!)) flags += fmt[i++];
    let width = 0;
    if (fmt[i] === '*') throw new BadFormatError('* wants int');
    while (i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9') width = width * 10 + Number(fmt[i++]);
    let precision: number | undefined;
    if (fmt[i] === '.') {
      i++;
      if (fmt[i] === '*') throw new BadFormatError('* wants int');
      precision = 0;
      while (i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9')
        precision = precision * 10 + Number(fmt[i++]);
    }
    while (i < fmt.length && 'hlL'.includes(fmt[i]!)) i++;
    if (i >= fmt.length) throw new BadFormatError('incomplete format');
    const conv = fmt[i]!;
    const convIndex = i;
    i++;
    if (conv === '%') {
      out += '%';
      continue;
    }
    if (!CONVERSIONS.includes(conv)) {
      const cp = fmt.codePointAt(convIndex)!;
      throw new BadFormatError(
        `unsupported format character ${pyRepr(String.fromCodePoint(cp))} (0x${cp.toString(16)}) at index ${convIndex}`,
      );
    }
    let value: string | number | Expansions;
    if (key === undefined) {
      // Python formats the mapping itself when a directive has no key, once.
      if (usedWholeMapping) throw new BadFormatError('not enough arguments for format string');
      usedWholeMapping = true;
      value = mergeLayers(layers);
    } else {
      const found = lookup(layers, key);
      if (found === undefined) throw new MissingNameError(key);
      value = found;
    }
    out += convert(conv, value, flags, width, precision);
  }
  return out;
}

function pyStr(value: string | number | Expansions): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  const items = Object.entries(value).map(
    ([k, v]) => `${pyRepr(k)}: ${typeof v === 'string' ? pyRepr(v) : v}`,
  );
  return `{${items.join(', ')}}`;
}

function typeName(value: string | number | Expansions): string {
  return typeof value === 'string' ? 'str' : typeof value === 'number' ? 'int' : 'dict';
}

function pad(text: string, flags: string, width: number, numeric: boolean): string {
  if (text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  if (numeric && flags.includes('0')) {
    const sign = /^[+\- ]/.test(text) ? text[0]! : '';
    const body = sign ? text.slice(1) : text;
    const prefix = /^0[xXo]/.test(body) && flags.includes('#') ? body.slice(0, 2) : '';
    return sign + prefix + body.slice(prefix.length).padStart(width - sign.length - prefix.length, '0');
  }
  return text.padStart(width);
}

function convert(
  conv: string,
  value: string | number | Expansions,
  flags: string,
  width: number,
  precision: number | undefined,
): string {
  if (conv === 's' || conv === 'r' || conv === 'a') {
    let text = conv === 's' ? pyStr(value) : typeof value === 'string' ? pyRepr(value) : pyStr(value);
    if (precision !== undefined) text = text.slice(0, precision);
    return pad(text, flags, width, false);
  }
  if (conv === 'c') {
    if (typeof value === 'number') return pad(String.fromCodePoint(value), flags, width, false);
    if (typeof value === 'string' && [...value].length === 1) return pad(value, flags, width, false);
    throw new BadFormatError('%c requires int or char');
  }
  if (typeof value !== 'number') {
    const type = typeName(value);
    if ('diu'.includes(conv))
      throw new BadFormatError(`%${conv} format: a real number is required, not ${type}`);
    if ('oxX'.includes(conv))
      throw new BadFormatError(`%${conv} format: an integer is required, not ${type}`);
    throw new BadFormatError(`must be real number, not ${type}`);
  }
  const sign = value < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const abs = Math.abs(value);
  let body: string;
  switch (conv) {
    case 'o':
      body = (flags.includes('#') ? '0o' : '') + abs.toString(8);
      break;
    case 'x':
      body = (flags.includes('#') ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      body = (flags.includes('#') ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    case 'e':
    case 'E': {
      const [m, e] = abs.toExponential(precision ?? 6).split('e');
      const exp = Number(e);
      body = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
      if (conv === 'E') body = body.toUpperCase();
      break;
    }
    case 'f':
    case 'F':
      body = abs.toFixed(precision ?? 6);
      break;
    case 'g':
    case 'G':
      body = String(Number(abs.toPrecision(precision || 6)));
      if (conv === 'G') body = body.toUpperCase();
      break;
    default:
      body = String(Math.trunc(abs));
      if (precision !== undefined) body = body.padStart(precision, '0');
  }
  return pad(sign + body, flags, width, true);
}
