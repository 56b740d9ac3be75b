import type { ApiImplementation } from '@supctl/rpc';

/**
 * The API methods the dashboard calls. A full `ApiImplementation` (what supd serves over both
 * transports) satisfies it; tests can pass a smaller fake.
 */
export type DashboardApi = Pick<
  ApiImplementation,
  | 'supervisor.getAllProcessInfo'
  | 'supervisor.getProcessInfo'
  | 'supervisor.startProcess'
  | 'supervisor.stopProcess'
  | 'supervisor.startAllProcesses'
  | 'supervisor.stopAllProcesses'
  | 'supervisor.clearProcessLogs'
  | 'supervisor.clearAllProcessLogs'
  | 'supctl.subscribe'
  | 'supctl.tail'
>;

/** One HTTP request as the HTTP layer hands it over (after basic auth). */
export interface DashboardRequest {
  /** `GET`, `POST`, `HEAD`, … (upper case). */
  readonly method: string;
  /** The path, URL-decoded, without the query string: `/`, `/index.html`, `/tail.html`, … */
  readonly path: string;
  /** The raw query string without the `?` (still URL-encoded); `''` when there is none. */
  readonly query: string;
  /** Header names in lower case: a record (node:http's `req.headers`, joined) or a map. */
  readonly headers: Readonly<Record<string, string | undefined>> | ReadonlyMap<string, string>;
  /** The request body (POST), as bytes or already decoded as UTF-8. */
  readonly body?: string | Uint8Array;
}

/**
 * Where the dashboard writes its answer. A plain response is `writeHead` then `end(body)` (with a
 * `Content-Length` header already set); a server-sent-event stream is `writeHead`, any number of
 * `write`s, and ends when the client goes away (`onClose`) or the dashboard closes.
 */
export interface DashboardResponse {
  /** Status and headers; called exactly once, first. */
  writeHead(status: number, headers: Record<string, string>): void;
  /**
   * A chunk of the body, sent at once (no buffering: server-sent events depend on it). May return
   * a promise that resolves once the client can take more; the dashboard waits for it before it
   * writes again, so a client that stops reading holds its stream instead of filling memory
   * (any other return value, such as node:http's boolean, is ignored).
   */
  write(chunk: string | Uint8Array): void | boolean | Promise<void>;
  /** The last chunk, if any; the response is complete. */
  end(chunk?: string | Uint8Array): void;
  /** Called once when the client disconnects or the response ends. */
  onClose(callback: () => void): void;
}

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  /** The API the dashboard reads and acts through (supd passes the same object both transports serve). */
  readonly api: DashboardApi;
  /** Shown in the title and header: supervisord's `identifier`. @default 'supervisor' */
  readonly identification?: string;
  /** Shown in the footer: the Supervisor version supd reports. @default '' */
  readonly version?: string;
  /** A comment line keeps idle event streams open through proxies this often. @default 15000 */
  readonly heartbeatMs?: number;
  /** Epoch milliseconds; for tests. @default Date.now */
  readonly now?: () => number;
}

/** What {@link createDashboard} returns. */
export interface Dashboard extends AsyncDisposable {
  /**
   * Answers a request if its path belongs to the dashboard (`/`, `/index.html`, `/tail.html`,
   * `/ok.html`, `/dashboard/*`) and resolves `true`; otherwise writes nothing and resolves `false`,
   * so the HTTP layer answers (404, static files, …). Never rejects.
   */
  handle(request: DashboardRequest, response: DashboardResponse): Promise<boolean>;
  /**
   * Reads the dashboard's own files (CSS, JS) now instead of on first request: for a daemon about
   * to drop privileges to a user who may not read the package's directory.
   */
  preload(): Promise<void>;
  /** Ends every open event stream; later stream requests get 503. */
  close(): Promise<void>;
}
