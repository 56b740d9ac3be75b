// Medusa's request line and header parsing (supervisor/http.py's found_terminator).
import { unquote } from './http-messages.ts';

/** A parsed request head. `method` is null when the request line did not parse (400). */
export interface RequestHead {
  /** The request line as sent. */
  readonly line: string;
  readonly method: string | null;
  /** The URI, with the path part URL-unquoted when it holds a `%` (the query is left alone). */
  readonly uri: string;
  /** `'1.0'`, `'1.1'`, …; null when the request line has no `HTTP/x.y`. */
  readonly version: string | null;
  /** Header names in lower case; the first occurrence wins; continuation lines are joined. */
  readonly headers: ReadonlyMap<string, string>;
}

const REQUEST_LINE = /^([^ ]+) ([^ ]+)(?: HTTP\/([0-9.]+))?$/;

/**
 * Parses the head (everything before CRLF CRLF). Returns null when it holds only blank lines
 * (medusa then closes the connection).
 */
export function parseRequestHead(head: string): RequestHead | null {
  const lines = head.split('\r\n');
  let first = 0;
  while (first < lines.length && lines[first] === '') first++;
  if (first >= lines.length) return null;
  const line = lines[first] as string;
  const headers = new Map<string, string>();
  let last: string | null = null;
  for (let k = first + 1; k < lines.length; k++) {
    const text = lines[k] as string;
    if (text === '') continue;
    if ((text[0] === ' ' || text[0] === '\t') && last !== null) {
      headers.set(last, `${headers.get(last)}${text.slice(1)}`);
      continue;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) continue;
    const name = text.slice(0, colon).toLowerCase();
    if (headers.has(name)) {
      last = null;
      continue;
    }
    headers.set(name, text.slice(colon + 1).replace(/^[ \t]+/, ''));
    last = name;
  }
  const m = REQUEST_LINE.exec(line);
  if (!m) return { line, method: null, uri: '', version: null, headers };
  let uri = m[2] as string;
  const q = uri.lastIndexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  if (path.includes('%')) {
    const query = q < 0 ? '' : uri.slice(q + 1);
    uri = query ? `${unquote(path)}?${query}` : unquote(path);
  }
  return { line, method: m[1] as string, uri, version: m[3] ?? null, headers };
}

/** Medusa's `split_uri`: path (`;params` excluded), query without `?`. */
export function splitUri(uri: string): { path: string; query: string } {
  const m = /^([^;?#]*)(;[^?#]*)?(\?[^#]*)?(#.*)?$/s.exec(uri);
  return { path: m?.[1] ?? uri, query: m?.[3]?.slice(1) ?? '' };
}
