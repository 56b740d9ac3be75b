// A small, strict XML 1.0 reader for XML-RPC requests: well-formedness is checked, the five
// predefined entities and character references are the only references, and a DOCTYPE (so any DTD,
// entity declaration or external reference) is refused outright: no XML bomb can expand here.
// Elements are handed to `onClose` bottom-up, the way ElementTree's iterparse does for Supervisor.

/** Why a request body is not an XML document this reader accepts. */
export class XmlError extends Error {
  override readonly name = 'XmlError';
}

/** An element as `onClose` sees it: its text before the first child, and its closed children. */
export interface XmlElement<V> {
  readonly tag: string;
  /** Character data before the first child element (comments skipped); `null` if there was none. */
  text: string | null;
  /** What `onClose` returned for each child element, in order. */
  readonly children: V[];
}

// Characters XML 1.0 allows; C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF are not.
const INVALID_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9._:\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\n]*/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Parses `source` and calls `onClose` for every element when its end tag is read (children before
 * parents); returns what `onClose` returned for the root element. Throws {@link XmlError}.
 */
export function parseXml<V>(source: string, onClose: (element: XmlElement<V>) => V): V {
  // XML's end-of-line handling happens before parsing: CRLF and lone CR become LF.
  const src = source.indexOf('\r') >= 0 ? source.replace(/\r\n?/g, '\n') : source;
  if (INVALID_CHAR.test(src)) throw new XmlError('not well-formed (invalid token)');
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = src.length;
  const stack: XmlElement<V>[] = [];
  let root: { value: V } | null = null;

  const fail = (what: string): never => {
    throw new XmlError(`${what} at offset ${i}`);
  };
  const skipSpace = () => {
    SPACE.lastIndex = i;
    SPACE.exec(src);
    i = SPACE.lastIndex;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) return fail('expected a name');
    i = NAME.lastIndex;
    return m[0];
  };
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (/[^ \t\n]/.test(text)) fail('text outside the root element');
      return;
    }
    if (top.children.length === 0) top.text = top.text === null ? text : top.text + text;
  };
  const readReference = (): string => {
    const end = src.indexOf(';', i);
    if (end < 0 || end - i > 12) return fail('malformed reference');
    const ref = src.slice(i + 1, end);
    i = end + 1;
    if (ref.startsWith('#')) {
      const cp = /^#x[0-9a-fA-F]+$/.test(ref)
        ? Number.parseInt(ref.slice(2), 16)
        : /^#[0-9]+$/.test(ref)
          ? Number(ref.slice(1))
          : Number.NaN;
      if (!isXmlCodePoint(cp)) return fail('reference to invalid character number');
      return String.fromCodePoint(cp);
    }
    const named = PREDEFINED[ref];
    if (named === undefined) return fail(`undefined entity &${ref};`);
    return named;
  };
  // Attribute values are checked and dropped: XML-RPC has no attributes.
  const readAttributes = () => {
    const seen = new Set<string>();
    for (;;) {
      const before = i;
      skipSpace();
      const c = src[i];
      if (c === '>' || c === '/' || c === undefined) return;
      if (i === before) fail('expected white space before an attribute');
      const name = readName();
      if (seen.has(name)) fail(`duplicate attribute ${name}`);
      seen.add(name);
      skipSpace();
      if (src[i] !== '=') fail('expected =');
      i++;
      skipSpace();
      const quote = src[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = src.indexOf(quote as string, i + 1);
      if (end < 0) fail('unterminated attribute value');
      for (let j = i + 1; j < end; j++) {
        if (src[j] === '<') fail('< in an attribute value');
        if (src[j] === '&') {
          i = j;
          readReference();
          j = i - 1;
        }
      }
      i = end + 1;
    }
  };

  if (src.startsWith('<?xml', i) && /[ \t\n?]/.test(src[i + 5] ?? '')) {
    const end = src.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  while (i < n) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      let text = src.slice(i, textEnd);
      if (text.includes(']]>')) fail(']]> in character data');
      if (text.includes('&')) {
        let out = '';
        let k = i;
        while (k < textEnd) {
          const amp = src.indexOf('&', k);
          if (amp < 0 || amp >= textEnd) {
            out += src.slice(k, textEnd);
            break;
          }
          out += src.slice(k, amp);
          i = amp;
          out += readReference();
          k = i;
        }
        text = out;
      }
      i = textEnd;
      addText(text);
    }
    if (lt < 0) break;
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      if (src.slice(i + 4, end).includes('--')) fail('-- in a comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) fail('CDATA outside the root element');
      const end = src.indexOf(']]>', i + 9);
      if (end < 0) fail('unterminated CDATA section');
      addText(src.slice(i + 9, end));
      i = end + 3;
    } else if (src.startsWith('<!', i)) {
      // <!DOCTYPE …> and every other declaration: no DTDs, so no entity can be defined.
      fail('DTDs and declarations are not accepted');
    } else if (src.startsWith('<?', i)) {
      i += 2;
      const target = readName();
      if (target.toLowerCase() === 'xml') fail('XML declaration not at the start');
      const end = src.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (src[i + 1] === '/') {
      i += 2;
      const tag = readName();
      skipSpace();
      if (src[i] !== '>') fail('expected >');
      i++;
      const element = stack.pop();
      if (!element || element.tag !== tag) fail(`mismatched tag </${tag}>`);
      const value = onClose(element as XmlElement<V>);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(value);
      else root = { value };
    } else {
      if (root) fail('junk after document element');
      i++;
      const tag = readName();
      readAttributes();
      const element: XmlElement<V> = { tag, text: null, children: [] };
      if (src[i] === '/' && src[i + 1] === '>') {
        i += 2;
        const value = onClose(element);
        const parent = stack[stack.length - 1];
        if (parent) parent.children.push(value);
        else root = { value };
      } else if (src[i] === '>') {
        i++;
        stack.push(element);
      } else {
        fail('expected > or />');
      }
    }
  }
  if (stack.length) fail('no element found (unclosed tags)');
  if (!root) fail('no element found');
  return (root as { value: V }).value;
}
