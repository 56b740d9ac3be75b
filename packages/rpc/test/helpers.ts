import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from '@supctl/test-utils';
import {
  type ApiImplementation,
  type ConnectOptions,
  connect,
  createRpcServer,
  type RpcClient,
  type RpcServer,
  type RpcServerOptions,
} from '../src/index.ts';
import { type FakeApi, makeFakeApi } from './fake-api.ts';

export interface Served extends AsyncDisposable {
  readonly server: RpcServer;
  readonly url: string;
  readonly path: string;
  readonly fake: FakeApi;
  readonly warnings: string[];
  connect(options?: ConnectOptions): Promise<RpcClient>;
}

/** A server on a unix socket in a fresh temp dir (or on 127.0.0.1 with `tcp`), with a fake API. */
export async function serve(
  options: Partial<RpcServerOptions> & { tcp?: boolean; overrides?: Partial<ApiImplementation> } = {},
): Promise<Served> {
  const dir = makeTempDir('rpc-');
  const fake = makeFakeApi(options.overrides);
  const warnings: string[] = [];
  const server = createRpcServer({
    api: fake.api,
    logger: { warn: (message) => warnings.push(message) },
    ...options,
  });
  const path = join(dir.path, 's.sock');
  const url = await server.listen(options.tcp ? { host: '127.0.0.1', port: 0 } : { path });
  const clients: RpcClient[] = [];
  return {
    server,
    url,
    path,
    fake,
    warnings,
    async connect(connectOptions) {
      const client = await connect(url, connectOptions);
      clients.push(client);
      return client;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(clients.map((client) => client.close()));
      await server.close();
      await dir.close();
    },
  };
}

/** A raw socket to the server, collecting everything it receives. */
export interface RawConnection extends AsyncDisposable {
  readonly socket: Socket;
  received(): Buffer;
  readonly closed: Promise<void>;
}

export async function rawConnect(path: string): Promise<RawConnection> {
  const socket = netConnect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    received: () => Buffer.concat(chunks),
    closed,
    async [Symbol.asyncDispose]() {
      socket.destroy();
      await closed;
    },
  };
}
