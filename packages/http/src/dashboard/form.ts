/**
 * Supervisor's form data: the query string plus, for POST, an urlencoded body. A key repeated in
 * the query keeps its first value, in the body its last; body values override query values.
 *
 * @example
 * parseForm('action=stop&action=start', 'processname=web').get('action'); // 'stop'
 */
export function parseForm(query: string, body: string | undefined): Map<string, string> {
  const form = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(query)) if (!form.has(key)) form.set(key, value);
  if (body !== undefined) for (const [key, value] of new URLSearchParams(body)) form.set(key, value);
  return form;
}

/** The request body as text (Supervisor decodes it as UTF-8). */
export function bodyText(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined || typeof body === 'string') return body;
  return new TextDecoder().decode(body);
}
