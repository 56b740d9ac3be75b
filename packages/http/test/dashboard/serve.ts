// A real HTTP server for the dashboard, mounted the way the HTTP layer mounts it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboard } from '../../src/dashboard/create-dashboard.ts';
import type { DashboardOptions, DashboardRequest } from '../../src/dashboard/types.ts';

export interface DashboardServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

async function toRequest(req: IncomingMessage): Promise<DashboardRequest> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: req.method ?? 'GET',
    path: decodeURIComponent(url.pathname),
    query: url.search.slice(1),
    headers,
    body: Buffer.concat(chunks),
  };
}

export async function serveDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const dashboard = createDashboard(options);
  const server = createServer(async (req, res) => {
    const handled = await dashboard.handle(await toRequest(req), {
      writeHead: (status, headers) => res.writeHead(status, headers),
      write: (chunk) => res.write(chunk),
      end: (chunk) => (chunk === undefined ? res.end() : res.end(chunk)),
      onClose: (callback) => res.once('close', callback),
    });
    if (!handled) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      await dashboard.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
