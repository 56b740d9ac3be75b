/** Where a client connects: a unix socket path, or a TCP host and port. */
export type ServerAddress = { readonly path: string } | { readonly host: string; readonly port: number };

/**
 * Parses `unix:///path/to.sock`, `tcp://host:port` or `http://host:port` (supervisorctl's
 * `serverurl` form: the same port serves HTTP and the native protocol).
 *
 * @example
 * parseServerUrl('unix:///run/supd.sock'); // { path: '/run/supd.sock' }
 * parseServerUrl('tcp://127.0.0.1:9001'); // { host: '127.0.0.1', port: 9001 }
 */
export function parseServerUrl(url: string): ServerAddress {
  if (typeof url !== 'string') {
    throw new TypeError(`server URL: expected a string like 'unix:///run/supd.sock', got ${typeof url}`);
  }
  if (url.startsWith('unix://')) {
    const path = url.slice('unix://'.length);
    if (!path)
      throw new TypeError(`server URL '${url}' has no socket path; expected 'unix:///path/to/supd.sock'`);
    return { path };
  }
  const match = /^(tcp|http):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(url);
  if (!match) {
    throw new TypeError(
      `server URL '${url}' is not supported; expected 'unix:///path/to/supd.sock' or 'tcp://host:port'`,
    );
  }
  const host = match[2]!.replace(/^\[(.*)\]$/, '$1');
  const port = match[3] === undefined ? (match[1] === 'http' ? 80 : Number.NaN) : Number(match[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TypeError(`server URL '${url}' needs a port between 1 and 65535, e.g. 'tcp://${host}:9001'`);
  }
  return { host, port };
}
