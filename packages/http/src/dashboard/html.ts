// Every interpolation into HTML goes through `html`, which escapes it unless it is already `Html`,
// so a process name or a log line can never become markup.

/** A string of HTML that is already safe to insert. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for an HTML text node or a quoted attribute value.
 *
 * @example
 * escapeHtml('<a href="x">'); // '&lt;a href=&quot;x&quot;&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function toHtml(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(toHtml).join('');
  return escapeHtml(String(part));
}

/**
 * A template tag that escapes every interpolated value (arrays are joined, `null`/`undefined`/
 * `false` render nothing, `Html` goes in as is).
 *
 * @example
 * html`<td>${name}</td>`.value; // name escaped
 */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < parts.length; i++) out += toHtml(parts[i]!) + strings[i + 1]!;
  return new Html(out);
}
