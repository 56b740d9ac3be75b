// HTTP Basic as medusa's auth_handler reads it, with Supervisor's plain / {SHA} passwords.
import { type AuthConfig, checkCredentials } from '@supctl/rpc';

/** What to answer: go on (`'ok'`), or the status medusa sends (400 bad base64, 401, 500 no colon). */
export type AuthOutcome = 'ok' | 400 | 401 | 500;

// base64.decodebytes: skips characters outside the alphabet, fails on bad padding.
function decodeBase64Strictly(text: string): Buffer | null {
  const data = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const firstPad = data.indexOf('=');
  const body = firstPad < 0 ? data : data.slice(0, firstPad);
  const pads = firstPad < 0 ? 0 : data.length - firstPad;
  if (body.length % 4 === 1) return null;
  if (body.length % 4 !== 0 && pads < 4 - (body.length % 4)) return null;
  return Buffer.from(body, 'base64');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks an `Authorization` header value against `auth` (undefined: no auth configured).
 *
 * @example
 * checkBasicAuth({ username: 'u', password: 'p' }, 'Basic dTpw'); // 'ok'
 */
export function checkBasicAuth(auth: AuthConfig | undefined, header: string | undefined): AuthOutcome {
  if (!auth) return 'ok';
  const m = header === undefined ? null : /^([^ ]+) (.*)$/s.exec(header);
  if (!m) return 401;
  if ((m[1] as string).toLowerCase() !== 'basic') return 401;
  const bytes = decodeBase64Strictly(m[2] as string);
  if (!bytes) return 400;
  let decoded: string;
  try {
    decoded = strictUtf8.decode(bytes);
  } catch {
    return 400;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return 500;
  return checkCredentials(auth, decoded.slice(0, colon), decoded.slice(colon + 1)) ? 'ok' : 401;
}
