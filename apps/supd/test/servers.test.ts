// supd's listeners in-process, on a real unix socket: what happens before a connection's first
// bytes tell native from HTTP.
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { UnixHttpServerConfig } from '@supctl/config';
import { type ApiImplementation, connect as rpcConnect } from '@supctl/rpc';
import { makeTempDir } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { openServers } from '../src/servers.ts';

function unixServer(file: string): UnixHttpServerConfig {
  return {
    family: 'unix',
    section: 'unix_http_server',
    name: null,
    file,
    chmod: 0o700,
    chown: null,
    username: null,
    password: null,
    source: { file: 'supervisord.conf', line: 1 },
  };
}

function open(path: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

test('a connection that sends nothing is closed after firstBytesTimeoutMs; a client that spoke stays', async () => {
  await using dir = makeTempDir();
  const file = join(dir.path, 's.sock');
  const servers = await openServers({
    configs: [unixServer(file)],
    api: { 'supervisor.getState': () => ({ statecode: 1, statename: 'RUNNING' }) } as ApiImplementation,
    logger: { log() {} },
    io: { stderr() {} },
    firstBytesTimeoutMs: 200,
  });
  try {
    await using client = await rpcConnect(`unix://${file}`);
    const silent = await open(file);
    await silent.closed;
    // The client, which spoke at once, is still connected and answered.
    expect(client.state).toBe('open');
    expect(await client.call('supervisor.getState')).toEqual({ statecode: 1, statename: 'RUNNING' });
  } finally {
    await servers.close();
  }
});
