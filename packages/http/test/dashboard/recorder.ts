import type { DashboardRequest, DashboardResponse } from '../../src/dashboard/types.ts';

/** A DashboardResponse that records what was written; `disconnect()` plays a client going away. */
export interface RecordedResponse extends DashboardResponse {
  status: number | undefined;
  headers: Record<string, string>;
  readonly ended: boolean;
  /** Everything written so far, as text. */
  text(): string;
  /** The server-sent events received so far. */
  events(): Array<{ event: string; data: unknown; id?: string }>;
  disconnect(): void;
}

export function recordResponse(): RecordedResponse {
  const chunks: Buffer[] = [];
  const closers: Array<() => void> = [];
  let ended = false;
  const closeOnce = () => {
    for (const callback of closers.splice(0)) callback();
  };
  const recorded: RecordedResponse = {
    status: undefined,
    headers: {},
    get ended() {
      return ended;
    },
    writeHead(status, headers) {
      if (recorded.status !== undefined) throw new Error('writeHead called twice');
      recorded.status = status;
      recorded.headers = headers;
    },
    write(chunk) {
      if (ended) throw new Error('write after end');
      chunks.push(Buffer.from(chunk));
    },
    end(chunk) {
      if (ended) return;
      if (chunk !== undefined) chunks.push(Buffer.from(chunk));
      ended = true;
      closeOnce();
    },
    onClose(callback) {
      closers.push(callback);
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    events() {
      return recorded
        .text()
        .split('\n\n')
        .filter((block) => block.startsWith('event: '))
        .map((block) => {
          const fields = new Map(
            block
              .split('\n')
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          );
          return { event: fields.get('event')!, data: JSON.parse(fields.get('data')!), id: fields.get('id') };
        });
    },
    disconnect() {
      ended = true;
      closeOnce();
    },
  };
  return recorded;
}

/** A request with defaults: GET, no query, no headers. */
export function request(path: string, init: Partial<DashboardRequest> = {}): DashboardRequest {
  const [p, query = ''] = path.split('?', 2) as [string, string?];
  return { method: 'GET', path: p, query, headers: {}, ...init };
}
