// XML-RPC as Supervisor 4.2.5 reads and writes it (spec §2): requests are unmarshalled with
// supervisor.xmlrpc's rules (unknown type tags give their text, <nil/> gives null, <boolean> is true
// only for "1"), responses are written byte for byte as Python's xmlrpc.client marshaller does.
import { parseXml, type XmlElement, XmlError } from './xml-parse.ts';

/** A decoded `methodCall`. */
export interface XmlRpcCall {
  /** The raw `<methodName>` text; `null` when missing or empty (supervisord answers 400). */
  readonly method: string | null;
  readonly params: unknown[];
}

/** A value that Supervisor's marshaller cannot write (null, an int beyond 32 bits): HTTP 500. */
export class XmlRpcEncodeError extends Error {
  override readonly name = 'XmlRpcEncodeError';
}

// Each element's "text" after iterparse's per-tag unmarshaller ran (children first).
type Node = { readonly tag: string; readonly value: unknown; readonly kids: Node[] };

const INT_TEXT = /^[ \t\n\r\f\v]*[+-]?\d+(?:_\d+)*[ \t\n\r\f\v]*$/;
const FLOAT_TEXT =
  /^\s*[+-]?(?:(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)\s*$/i;
const DATETIME_TEXT = /^(\d{4})(\d{2})(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function bad(what: string): never {
  throw new XmlError(what);
}

function parseIntText(text: string | null): number {
  if (text === null || !INT_TEXT.test(text)) return bad('invalid <int>');
  return Number(text.trim().replaceAll('_', ''));
}

function parseDouble(text: string | null): number {
  if (text === null || !FLOAT_TEXT.test(text)) return bad('invalid <double>');
  const t = text.trim().replaceAll('_', '').toLowerCase();
  if (t.endsWith('nan')) return Number.NaN;
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

function parseDate(text: string | null): Date {
  const m = DATETIME_TEXT.exec(text ?? '');
  if (!m) return bad('invalid <dateTime.iso8601>');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 61)
    return bad('invalid <dateTime.iso8601>');
  return date;
}

// Python's base64.decodebytes: characters outside the alphabet are skipped, bad padding fails.
function decodeBase64(text: string): Buffer {
  const data = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const body = data.replace(/=+$/, '');
  if (body.includes('=')) {
    const first = body.indexOf('=');
    if (first % 4 < 2) return bad('invalid <base64>');
  }
  const chars = body.replaceAll('=', '').length;
  if (chars % 4 === 1) return bad('invalid <base64>');
  if (chars % 4 !== 0 && data.length - body.length < 4 - (chars % 4)) return bad('invalid <base64>: padding');
  return Buffer.from(body.replaceAll('=', ''), 'base64');
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function unmarshall(element: XmlElement<Node>): Node {
  const { tag, text, children: kids } = element;
  let value: unknown;
  switch (tag) {
    case 'int':
    case 'i4':
      value = parseIntText(text);
      break;
    case 'boolean':
      value = text === '1';
      break;
    case 'string':
      value = text ?? '';
      break;
    case 'double':
      value = parseDouble(text);
      break;
    case 'dateTime.iso8601':
      value = parseDate(text);
      break;
    case 'base64':
      try {
        value = strictUtf8.decode(decodeBase64(text ?? ''));
      } catch (e) {
        if (e instanceof XmlError) throw e;
        bad('<base64> is not UTF-8');
      }
      break;
    case 'array':
    case 'param':
      if (!kids[0]) bad(`empty <${tag}>`);
      value = kids[0].value;
      break;
    case 'data':
      value = kids.map((k) => k.value);
      break;
    case 'struct': {
      const struct: Record<string, unknown> = {};
      for (const member of kids) {
        if (member.kids.length !== 2) bad('a struct <member> needs a name and a value');
        const [name, item] = member.kids as [Node, Node];
        setKey(struct, typeof name.value === 'string' ? name.value : String(name.value ?? ''), item.value);
      }
      value = struct;
      break;
    }
    case 'value':
      value = kids[0] ? kids[0].value : (text ?? '');
      break;
    default:
      // Unknown tags (i8, nil, name, methodName, …) keep their raw text, None when empty.
      value = text;
  }
  return { tag, value, kids };
}

/**
 * Decodes an XML-RPC `methodCall` body with Supervisor's rules. Throws {@link XmlError} for
 * anything supervisord answers with HTTP 400 (not well-formed, a DTD, a bad `<int>`, …).
 *
 * @example
 * decodeCall("<methodCall><methodName>supervisor.getState</methodName></methodCall>");
 * // { method: 'supervisor.getState', params: [] }
 */
export function decodeCall(body: string): XmlRpcCall {
  let method: string | null = null;
  let params: unknown[] | null = null;
  parseXml<Node>(body, (element) => {
    const node = unmarshall(element);
    if (node.tag === 'methodName') method = element.text;
    else if (node.tag === 'params') params = node.kids.map((k) => k.value);
    return node;
  });
  return { method: method || null, params: params ?? [] };
}

const ESCAPE = /[&<>]/;
// Only &, < and > are escaped, as Python does: control characters go out raw (spec §2.2).
function escapeText(text: string): string {
  if (!ESCAPE.test(text)) return text;
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const s = String(value);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

function encodeBase64Lines(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let out = '';
  for (let k = 0; k < b64.length; k += 76) out += `${b64.slice(k, k + 76)}\n`;
  return out;
}

// String concatenation (V8 ropes) is faster here than collecting parts in an array.
function encodeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `<value><string>${escapeText(value)}</string></value>\n`;
    case 'number':
      if (Number.isInteger(value)) {
        if (value < INT32_MIN || value > INT32_MAX) throw new XmlRpcEncodeError('int exceeds XML-RPC limits');
        return `<value><int>${value}</int></value>\n`;
      }
      return `<value><double>${pythonFloat(value)}</double></value>\n`;
    case 'boolean':
      return value ? '<value><boolean>1</boolean></value>\n' : '<value><boolean>0</boolean></value>\n';
    case 'bigint':
      if (value < INT32_MIN || value > INT32_MAX) throw new XmlRpcEncodeError('int exceeds XML-RPC limits');
      return `<value><int>${value}</int></value>\n`;
    case 'object': {
      if (value === null) break;
      if (Array.isArray(value)) {
        let out = '<value><array><data>\n';
        for (const item of value) out += encodeValue(item);
        return `${out}</data></array></value>\n`;
      }
      if (value instanceof Date) {
        const iso = value.toISOString();
        const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 19)}`;
        return `<value><dateTime.iso8601>${stamp}</dateTime.iso8601></value>\n`;
      }
      if (value instanceof Uint8Array)
        return `<value><base64>\n${encodeBase64Lines(value)}</base64></value>\n`;
      let out = '<value><struct>\n';
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        out += `<member>\n<name>${escapeText(key)}</name>\n${encodeValue((value as Record<string, unknown>)[key])}</member>\n`;
      }
      return `${out}</struct></value>\n`;
    }
  }
  throw new XmlRpcEncodeError(`cannot marshal ${value === null ? 'None' : typeof value} objects`);
}

/**
 * Writes a `methodResponse` carrying `value`, as Python's `xmlrpc.client.dumps(…, methodresponse=1)`.
 * Throws {@link XmlRpcEncodeError} for null/undefined or an integer outside 32 bits.
 *
 * @example
 * encodeResponse({ statecode: 1, statename: 'RUNNING' });
 */
export function encodeResponse(value: unknown): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${encodeValue(value)}</param>\n</params>\n</methodResponse>\n`;
}

/**
 * Writes a fault `methodResponse`.
 *
 * @example
 * encodeFault({ faultCode: 10, faultString: 'BAD_NAME: nope' });
 */
export function encodeFault(fault: { readonly faultCode: number; readonly faultString: string }): string {
  const struct = encodeValue({ faultCode: fault.faultCode, faultString: fault.faultString });
  return `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n${struct}</fault>\n</methodResponse>\n`;
}
