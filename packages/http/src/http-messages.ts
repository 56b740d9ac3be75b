// Medusa's fixed pieces: reason phrases, the error page, the Date header, URL unquoting.

/** Medusa's reason phrases for the codes supd sends. */
export const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  301: 'Moved Permanently',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Time-out',
  411: 'Length Required',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'HTTP Version not supported',
};

/** The reason phrase for `status` (medusa's table), `Unknown` outside it. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

/**
 * Medusa's error page, CRLF line ends (134 bytes for 404).
 *
 * @example
 * errorBody(404); // '<head>\r\n<title>Error response</title>\r\n…<p>Error code 404.\r\n<p>Message: Not Found.\r\n</body>\r\n'
 */
export function errorBody(status: number): string {
  return `<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code ${status}.\r\n<p>Message: ${reasonPhrase(status)}.\r\n</body>\r\n`;
}

let cachedSecond = -1;
let cachedDate = '';

/** RFC 1123 date as medusa's `build_http_date` writes it; cached for the current second. */
export function httpDate(ms: number = Date.now()): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = new Date(second * 1000).toUTCString();
  }
  return cachedDate;
}

/** Python's `urllib.parse.unquote`: %XX runs are decoded as UTF-8, invalid bytes become U+FFFD. */
export function unquote(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = Buffer.alloc(run.length / 3);
    for (let k = 0; k < bytes.length; k++) bytes[k] = Number.parseInt(run.slice(k * 3 + 1, k * 3 + 3), 16);
    return bytes.toString('utf8');
  });
}
