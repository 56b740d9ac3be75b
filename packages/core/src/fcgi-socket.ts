import { closeSync } from 'node:fs';
import type { FcgiGroupConfig } from '@supctl/config';
import type { MainLogger } from './main-log.ts';
import { nativeHelper } from './native-spawn.ts';
import { lookupGroup, lookupUser } from './users.ts';

/**
 * A FastCGI socket that could not be made, in supervisord's words:
 * `Could not create FastCGI socket tcp://127.0.0.1:9000: [Errno 98] Address already in use`.
 */
export class FcgiSocketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FcgiSocketError';
  }
}

/**
 * The listening socket of an `[fcgi-program:x]` group, as supervisord's socket manager keeps it:
 * made when the first of the group's children is spawned, handed to each child as its stdin (fd
 * 0), closed when the last of them has exited (a unix socket's file stays, and is replaced at the
 * next start). `Creating socket <url>` and `Closing socket <url>` go to the main log at info.
 *
 * A child that is restarted at once when it exits keeps the socket open in between (supervisord
 * closes and makes it again, refusing connections meanwhile). Needs the native helper: Node
 * cannot hold a listening socket without accepting on it.
 * @example
 * const socket = new FcgiSocket(group, logger);
 * socket.check(); // fails early, as supervisord does when it loads the config
 * const fd = socket.acquire(); // the child's stdin
 * socket.release(); // when that child has exited
 */
export class FcgiSocket {
  readonly url: string;
  readonly #config: FcgiGroupConfig;
  readonly #logger: MainLogger;
  #fd = -1;
  #users = 0;

  constructor(config: FcgiGroupConfig, logger: MainLogger) {
    this.url = config.socketUrl;
    this.#config = config;
    this.#logger = logger;
  }

  /** Makes the socket and closes it again: supervisord's test when it creates the group. */
  check(): void {
    this.acquire();
    this.release();
  }

  /** The socket's descriptor, made now if no child holds it. Throws {@link FcgiSocketError}. */
  acquire(): number {
    if (this.#users === 0) {
      this.#logger.log('info', `Creating socket ${this.url}`);
      this.#fd = this.#create();
    }
    this.#users += 1;
    return this.#fd;
  }

  /** One child is done with the socket; the last one closes it. */
  release(): void {
    if (this.#users === 0) return;
    this.#users -= 1;
    if (this.#users === 0) this.#close();
  }

  /** Closes the socket whoever holds it (the group is going away). */
  close(): void {
    this.#users = 0;
    this.#close();
  }

  #close(): void {
    if (this.#fd < 0) return;
    this.#logger.log('info', `Closing socket ${this.url}`);
    const fd = this.#fd;
    this.#fd = -1;
    closeSync(fd);
  }

  #create(): number {
    const native = nativeHelper();
    const fail = (why: string): never => {
      throw new FcgiSocketError(`Could not create FastCGI socket ${this.url}: ${why}`);
    };
    if (native === null) {
      return fail("FastCGI sockets need @supctl/core's native helper (Linux), which is not built here");
    }
    const { socket } = this.#config;
    const backlog = this.#config.socketBacklog ?? -1;
    try {
      if (socket.family === 'inet') return native.listenSocket(socket.host, socket.port, backlog);
      const owner = this.#owner(fail);
      return native.listenSocket(socket.path, -1, backlog, socket.mode, owner.uid, owner.gid);
    } catch (error) {
      if (error instanceof FcgiSocketError) throw error;
      const { errno, syscall, message } = error as Error & { errno?: number; syscall?: string };
      if (typeof errno !== 'number' || syscall === undefined) throw error;
      return fail(pythonError(errno, syscall, message, socket.family === 'unix' ? socket.path : ''));
    }
  }

  // Who owns a unix socket: socket_owner (user[:group]), else the group's user (with the user's
  // group), else whoever runs supd.
  #owner(fail: (why: string) => never): { uid: number; gid: number } {
    const { socket } = this.#config;
    if (socket.family !== 'unix') return { uid: -1, gid: -1 };
    if (socket.owner !== null) {
      const colon = socket.owner.indexOf(':');
      const userName = colon < 0 ? socket.owner : socket.owner.slice(0, colon);
      const user = lookupUser(userName) ?? fail(`no such user ${userName}`);
      if (colon < 0) return { uid: user.uid, gid: -1 };
      const groupName = socket.owner.slice(colon + 1);
      return { uid: user.uid, gid: lookupGroup(groupName) ?? fail(`no such group ${groupName}`) };
    }
    // supervisord hands the socket to the program's user only when that is not itself.
    const name = this.#config.processes[0]?.user ?? null;
    if (name === null) return { uid: -1, gid: -1 };
    const user = lookupUser(name) ?? fail(`no such user ${name}`);
    if (user.uid === process.getuid?.()) return { uid: -1, gid: -1 };
    return { uid: user.uid, gid: user.gid };
  }
}

// How Python words the failure supervisord reports: `[Errno 98] Address already in use`; with
// the path where a file operation failed, and the socket file's chown and chmod in its own words.
function pythonError(errno: number, syscall: string, message: string, path: string): string {
  if (syscall === 'getaddrinfo') return `[Errno ${errno}] ${message}`;
  if (syscall === 'bind' && message.endsWith('File name too long') && path !== '')
    return 'AF_UNIX path too long';
  const text = `[Errno ${errno}] ${message.slice(syscall.length + 2)}`;
  switch (syscall) {
    case 'unlink':
      return `${text}: '${path}'`;
    case 'chown':
      return `Could not change ownership of socket file: ${text}: '${path}'`;
    case 'chmod':
      return `Could not change permissions of socket file: ${text}: '${path}'`;
    default:
      return text;
  }
}
