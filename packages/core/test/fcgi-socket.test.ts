// [fcgi-program:x]: the group's listening socket, made by the engine and handed to every child as
// its stdin, with supervisord's lifetime (made at the first spawn, closed after the last exit).
// Real sockets and real children: the serve-stdin fixture accepts on its stdin.
import { mkdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { parse } from '@supctl/config';
import {
  readUntilClosed as ask,
  fixtureCommand,
  freePort,
  makeTempDir,
  type TempDir,
  waitFor,
} from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { FcgiSocketError, Supervisor, SupervisorError, spawnerKind } from '../src/index.ts';
import { nativeHelper } from '../src/native-spawn.ts';

const helper = nativeHelper() !== null;
if (!helper) {
  console.warn('fcgi-socket tests skipped: the native helper is not built here (FastCGI sockets need it)');
}

async function occupy(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

// What a process's stdin is: `socket:[inode]`.
const stdinOf = (pid: number) => readlinkSync(`/proc/${pid}/fd/0`);

function supervisorFor(dir: TempDir, sections: string): { supervisor: Supervisor; lines: string[] } {
  const text = `[supervisord]\nchildlogdir = ${dir.path}\n${sections}`;
  const config = parse(text, { path: join(dir.path, 'supervisord.conf'), env: {} });
  const lines: string[] = [];
  const supervisor = new Supervisor(config, {
    backoffStepMs: 50,
    logger: { log: (level, m) => lines.push(`${level} ${m}`) },
  });
  return { supervisor, lines };
}

describe.skipIf(!helper)(`[fcgi-program:x] sockets (${spawnerKind()} spawner)`, () => {
  test('a unix socket: every process accepts on it, it lives from the first spawn to the last exit', async () => {
    await using dir = makeTempDir();
    const path = join(dir.path, 'web.sock');
    writeFileSync(path, 'stale'); // what a previous run may leave: replaced
    const { supervisor, lines } = supervisorFor(
      dir,
      `[fcgi-program:web]
command = ${fixtureCommand('serve-stdin')}
socket = unix://${dir.path}/%(program_name)s.sock
socket_mode = 0660
process_name = %(program_name)s_%(process_num)s
numprocs = 2
startsecs = 0
`,
    );
    await using _ = supervisor;
    await supervisor.start();
    const [web0, web1] = supervisor.getGroup('web').processes;
    await waitFor(() => web0!.state === 'RUNNING' && web1!.state === 'RUNNING', { what: 'both RUNNING' });
    // The group's creation tried the socket first, as supervisord's does, then the first spawn made it.
    const url = `unix://${path}`;
    expect(lines.filter((l) => l.includes('socket'))).toEqual([
      `info Creating socket ${url}`,
      `info Closing socket ${url}`,
      `info Creating socket ${url}`,
    ]);
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o660);
    const pids = [web0!.pid, web1!.pid];
    await waitFor(async () => pids.map((p) => `pid ${p}\n`).includes(await ask(path)), {
      what: 'an answer',
      timeoutMs: 10_000,
    });
    expect(() => web0!.sendStdin('x')).toThrow(new SupervisorError('NO_FILE', 'web_0'));

    await web0!.stop();
    expect(pids.map((p) => `pid ${p}\n`)).toContain(await ask(path));
    expect(await ask(path)).toBe(`pid ${web1!.pid}\n`);
    expect(lines.filter((l) => l.includes('Closing socket'))).toHaveLength(1);
    await web1!.stop();
    expect(lines.at(-1)).toBe(`info Closing socket ${url}`);
    expect(await ask(path)).toBe('ECONNREFUSED');
    expect(statSync(path).isSocket()).toBe(true); // supervisord leaves the file too

    await supervisor.startGroup('web', { wait: true });
    expect(await ask(path)).toMatch(/^pid \d+\n$/);
  });

  test('a TCP socket, kept open while a killed child restarts at once', async () => {
    await using dir = makeTempDir();
    const port = await freePort();
    const { supervisor, lines } = supervisorFor(
      dir,
      `[fcgi-program:api]
command = ${fixtureCommand('serve-stdin')}
socket = tcp://127.0.0.1:${port}
socket_backlog = 16
startsecs = 0
autorestart = true
`,
    );
    await using _ = supervisor;
    await supervisor.start();
    const api = supervisor.getProcess('api');
    await waitFor(async () => (await ask(port)) === `pid ${api.pid}\n`, {
      what: 'an answer',
      timeoutMs: 10_000,
    });
    const before = api.pid;
    const socket = stdinOf(before);
    expect(socket).toMatch(/^socket:\[\d+\]$/);
    const closings = lines.filter((l) => l.includes('Closing socket')).length;
    process.kill(before, 'SIGKILL');
    await waitFor(() => api.pid !== 0 && api.pid !== before, { what: 'a new child' });
    expect(await ask(port)).toBe(`pid ${api.pid}\n`);
    // The same socket (inode), never closed in between.
    expect(stdinOf(api.pid)).toBe(socket);
    expect(lines.filter((l) => l.includes('Closing socket'))).toHaveLength(closings);
  });

  test('a socket that cannot be made: the group fails at creation, a later spawn fails with spawnerr', async () => {
    await using dir = makeTempDir();
    const busy = await occupy();
    const port = portOf(busy);
    try {
      const sections = `[fcgi-program:a]
command = ${fixtureCommand('serve-stdin')}
socket = unix://${dir.path}/a.sock
autostart = false
[fcgi-program:api]
command = ${fixtureCommand('serve-stdin')}
socket = tcp://127.0.0.1:${port}
startsecs = 0
startretries = 1
`;
      const first = supervisorFor(dir, sections);
      await using _first = first.supervisor;
      const message = `Could not create FastCGI socket tcp://127.0.0.1:${port}: [Errno 98] Address already in use`;
      await expect(first.supervisor.start()).rejects.toThrow(new FcgiSocketError(message));
      // All or nothing: group a, made before api failed, is gone again.
      expect(first.supervisor.groups).toEqual([]);

      // Free at creation, taken before the start: the spawn fails, and the engine carries on.
      await new Promise((r) => busy.close(r));
      const later = supervisorFor(dir, sections.replace('startsecs', 'autostart = false\nstartsecs'));
      await using _later = later.supervisor;
      await later.supervisor.start();
      const again = await occupy(port);
      try {
        const api = later.supervisor.getProcess('api');
        await expect(api.start()).rejects.toThrow(new SupervisorError('SPAWN_ERROR', 'api'));
        expect(api.info().spawnerr).toBe(message);
        await waitFor(() => api.state === 'FATAL', { what: 'FATAL' });
        expect(later.lines).toContain(`info spawnerr: ${message}`);
      } finally {
        await new Promise((r) => again.close(r));
      }
    } finally {
      if (busy.listening) await new Promise((r) => busy.close(r));
    }
  });

  test.each([
    ['a directory in the way', 'taken', (path: string) => `[Errno 21] Is a directory: '${path}'`],
    ['a path too long for a unix socket', 'x'.repeat(120), () => 'AF_UNIX path too long'],
  ])('%s: the error in Python’s words, as supervisord’s', async (_, name, why) => {
    await using dir = makeTempDir();
    const path = join(dir.path, name);
    if (name === 'taken') mkdirSync(path);
    const { supervisor } = supervisorFor(
      dir,
      `[fcgi-program:web]\ncommand = ${fixtureCommand('serve-stdin')}\nsocket = unix://${path}\n`,
    );
    await using _s = supervisor;
    await expect(supervisor.start()).rejects.toThrow(
      `Could not create FastCGI socket unix://${path}: ${why(path)}`,
    );
  });

  test.skipIf(process.getuid?.() !== 0)('socket_owner, and the user= of the program by default', async () => {
    await using dir = makeTempDir();
    const { supervisor } = supervisorFor(
      dir,
      `[fcgi-program:a]
command = ${fixtureCommand('sleep-forever')}
socket = unix://${dir.path}/a.sock
socket_owner = nobody:nogroup
autostart = false
[fcgi-program:b]
command = ${fixtureCommand('sleep-forever')}
socket = unix://${dir.path}/b.sock
socket_owner = nobody
autostart = false
[fcgi-program:c]
command = ${fixtureCommand('sleep-forever')}
socket = unix://${dir.path}/c.sock
user = nobody
autostart = false
`,
    );
    await using _ = supervisor;
    await supervisor.start();
    const owner = (name: string) => {
      const s = statSync(join(dir.path, `${name}.sock`));
      return [s.uid, s.gid];
    };
    // As supervisord: user and group; the user alone (group kept); the program's user and group.
    expect(owner('a')).toEqual([65534, 65534]);
    expect(owner('b')).toEqual([65534, 0]);
    expect(owner('c')).toEqual([65534, 65534]);
    expect(statSync(join(dir.path, 'a.sock')).mode & 0o777).toBe(0o700);
  });
});
