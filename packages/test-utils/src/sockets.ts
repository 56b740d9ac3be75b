import { connect, createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now: the kernel's pick, released again
 * for the daemon under test. (To hold a port busy, listen on 0 and keep the server.)
 * @example
 * const port = await freePort(); // then `port=127.0.0.1:${port}` in a config
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Connects to a unix socket path or a port on 127.0.0.1 and resolves with what the server sends
 * before it closes the connection, or with the error code (`ECONNREFUSED`, …).
 * @example
 * await readUntilClosed('/run/app.sock'); // 'pid 123\n', or 'ECONNREFUSED' when nobody listens
 */
export function readUntilClosed(address: string | number): Promise<string> {
  return new Promise((resolve) => {
    const socket = typeof address === 'string' ? connect(address) : connect(address, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
