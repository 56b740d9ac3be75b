// node:crypto is loaded on first use: a daemon without credentials configured never needs it, and
// loading it at start costs supd memory (issue 5).
const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');

/**
 * Credentials a server requires, as `[unix_http_server]`/`[inet_http_server]` spell them: the
 * password is plain text, or `{SHA}` followed by the lowercase hex SHA-1 of the password.
 */
export interface AuthConfig {
  readonly username: string;
  readonly password: string;
}

// Equal-length digests make the comparison constant-time whatever the inputs' lengths.
function sameString(a: string, b: string): boolean {
  const { createHash, timingSafeEqual } = crypto();
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/**
 * Whether `username`/`password` match `auth` (Supervisor's rules: exact username; `{SHA}<hex>`
 * compares `sha1(password)`; sending the hash itself fails). Always true when `auth` is undefined.
 *
 * @example
 * checkCredentials({ username: 'u', password: '{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef' }, 'u', '123'); // true
 */
export function checkCredentials(
  auth: AuthConfig | undefined,
  username: unknown,
  password: unknown,
): boolean {
  if (!auth) return true;
  if (typeof username !== 'string' || typeof password !== 'string') return false;
  const userOk = sameString(auth.username, username);
  const passwordOk = auth.password.startsWith('{SHA}')
    ? sameString(auth.password.slice(5), crypto().createHash('sha1').update(password, 'utf8').digest('hex'))
    : sameString(auth.password, password);
  return userOk && passwordOk;
}
