import type { DashboardResponse } from './types.ts';

const REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Headers of every dashboard page (Supervisor's view headers, plus a strict content policy). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html;charset=utf-8',
  Pragma: 'no-cache',
  'Cache-Control': 'no-cache',
  Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
  // No inline script or style anywhere: even an escaping bug could not run code.
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Writes a complete response with its `Content-Length`. */
export function send(
  response: DashboardResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array,
  head = false,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, { ...headers, 'Content-Length': String(bytes.byteLength) });
  response.end(head ? undefined : bytes);
}

/** Medusa's error page (the body supervisord sends for 400/404/500), CRLF line ends. */
export function errorBody(status: number): string {
  const reason = REASONS[status] ?? 'Error';
  return `<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code ${status}.\r\n<p>Message: ${reason}.\r\n</body>\r\n`;
}

/** An error response in supervisord's format. */
export function sendError(response: DashboardResponse, status: number): void {
  send(response, status, { 'Content-Type': 'text/html' }, errorBody(status));
}
