// [fcgi-program:x] end to end: the built supd makes each group's listening socket and hands it to
// the group's processes as stdin. Driven by Debian's real supervisorctl and by the native client;
// where Debian's supervisord is installed, the same session runs against it and the transcripts
// and the main logs' socket lines are compared.
import { execFile } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { spawnerKind } from '@supctl/core';
import { connect, Fault } from '@supctl/rpc';
import { readUntilClosed as ask, fixtureCommand, freePort, makeTempDir, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { BASE_CONF, BIN, readLog, runE2e, startSupd, waitForLog } from './helpers.ts';

const SUPERVISORCTL = '/usr/bin/supervisorctl';
const SUPERVISORD = '/usr/bin/supervisord';
const hasCtl = existsSync(SUPERVISORCTL);
const hasSupervisord = existsSync(SUPERVISORD);
const helper = spawnerKind() === 'native';
if (!helper) console.warn('fcgi e2e tests skipped: the native helper of @supctl/core is not built here');
if (!hasCtl) console.warn('fcgi supervisorctl session skipped: /usr/bin/supervisorctl is not installed');

async function listenOn(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

function writeConfig(dir: string, port: number): string {
  const file = join(dir, 'sd.conf');
  writeFileSync(
    file,
    `${BASE_CONF}[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://%(here)s/s.sock
[fcgi-program:web]
command=${fixtureCommand('serve-stdin')}
socket=unix://%(here)s/%(program_name)s.sock
socket_mode=0660
process_name=%(program_name)s_%(process_num)s
numprocs=2
startsecs=0
[fcgi-program:api]
command=${fixtureCommand('serve-stdin')}
socket=tcp://127.0.0.1:${port}
autostart=false
startsecs=0
`,
  );
  return file;
}

function ctl(file: string, ...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(SUPERVISORCTL, ['-c', file, ...args], { timeout: 20_000 }, (_error, stdout, stderr) =>
      resolve(stdout + stderr),
    );
  });
}

// One session against a daemon (`supd` or supervisord) in the foreground: what supervisorctl
// printed, what the sockets answered, and the main log's socket, spawn and stop lines, with pids,
// times and the port made neutral.
async function session(daemon: readonly string[], port: number) {
  await using dir = makeTempDir();
  const file = writeConfig(dir.path, port);
  await using d = startSupd(['-n', '-c', file], dir.path, daemon);
  const log = join(dir.path, 'sd.log');
  await waitForLog(log, /success: web_1 entered RUNNING state/);
  const sock = join(dir.path, 'web.sock');
  const out: string[] = [];
  const pid = async (name: string) => Number((await ctl(file, 'pid', name)).trim());
  const pids = [await pid('web:web_0'), await pid('web:web_1')];
  out.push(`web.sock mode ${(statSync(sock).mode & 0o777).toString(8)}`);
  const answer = await ask(sock);
  out.push(`web answers from a web process: ${pids.map((p) => `pid ${p}\n`).includes(answer)}`);
  out.push(`api before start: ${await ask(port)}`);
  out.push(await ctl(file, 'start', 'api'));
  out.push(`api answers from api: ${(await ask(port)) === `pid ${await pid('api')}\n`}`);
  out.push(await ctl(file, 'stop', 'web:web_0'));
  out.push(`web answers from web_1: ${(await ask(sock)) === `pid ${pids[1]}\n`}`);
  out.push(await ctl(file, 'stop', 'web:*', 'api'));
  out.push(`web after stop: ${await ask(sock)}, file left: ${existsSync(sock)}`);
  out.push(`api after stop: ${await ask(port)}`);
  out.push(await ctl(file, 'status'));
  out.push(await ctl(file, 'shutdown'));
  await d.exited();
  const lines = readLog(log)
    .split('\n')
    .filter((l) => /socket [a-z]+:|spawned:|stopped:/.test(l))
    .map((l) =>
      l
        .replace(/^\S+ \S+ /, '')
        .replace(/pid \d+/, 'pid N')
        .replaceAll(dir.path, '<dir>')
        .replaceAll(String(port), '<port>'),
    );
  const transcript = out
    .join('\n')
    .replace(/(pid|uptime) [\d:]+/g, '$1 N')
    .replace(/STOPPED\s+\S+ \d+ \d+:\d+ [AP]M/g, 'STOPPED   <time>')
    .replaceAll(String(port), '<port>');
  return { transcript, lines };
}

describe.runIf(runE2e && helper)('supd: [fcgi-program:x] sockets', () => {
  test.runIf(hasCtl)(
    'supervisorctl session: the sockets, their lifetime, status (compared with supervisord)',
    async () => {
      const port = await freePort();
      const supd = await session([process.execPath, BIN], port);
      expect(supd.transcript).toContain('web.sock mode 660');
      expect(supd.transcript).toContain('web answers from a web process: true');
      expect(supd.transcript).toContain('api before start: ECONNREFUSED');
      expect(supd.transcript).toContain('api answers from api: true');
      expect(supd.transcript).toContain('web answers from web_1: true');
      expect(supd.transcript).toContain('web after stop: ECONNREFUSED, file left: true');
      expect(supd.transcript).toContain('api after stop: ECONNREFUSED');
      expect(supd.lines).toEqual([
        'INFO Creating socket tcp://127.0.0.1:<port>',
        'INFO Closing socket tcp://127.0.0.1:<port>',
        'INFO Creating socket unix://<dir>/web.sock',
        'INFO Closing socket unix://<dir>/web.sock',
        'INFO Creating socket unix://<dir>/web.sock',
        "INFO spawned: 'web_0' with pid N",
        "INFO spawned: 'web_1' with pid N",
        'INFO Creating socket tcp://127.0.0.1:<port>',
        "INFO spawned: 'api' with pid N",
        'WARN stopped: web_0 (terminated by SIGTERM)',
        'WARN stopped: web_1 (terminated by SIGTERM)',
        'INFO Closing socket unix://<dir>/web.sock',
        'WARN stopped: api (terminated by SIGTERM)',
        'INFO Closing socket tcp://127.0.0.1:<port>',
      ]);
      if (!hasSupervisord) {
        console.warn('fcgi session not compared: /usr/bin/supervisord is not installed');
        return;
      }
      const reference = await session([SUPERVISORD], port);
      expect(supd.transcript).toBe(reference.transcript);
      expect(supd.lines).toEqual(reference.lines);
    },
  );

  test('the native API: a FastCGI process has no stdin to write to (NO_FILE, named as asked)', async () => {
    await using dir = makeTempDir();
    const file = writeConfig(dir.path, await freePort());
    await using supd = startSupd(['-n', '-s', '-c', file], dir.path);
    await waitForLog(join(dir.path, 'sd.log'), /success: web_1 entered RUNNING state/);
    await using client = await connect(`unix://${join(dir.path, 's.sock')}`);
    const fault = await client.call('supervisor.sendProcessStdin', 'web:web_0', 'x').catch((e: unknown) => e);
    expect(fault).toBeInstanceOf(Fault);
    expect((fault as Fault).message).toBe('NO_FILE: web:web_0');
    const stopped = await client.call('supervisor.sendProcessStdin', 'api', 'x').catch((e: unknown) => e);
    expect((stopped as Fault).message).toBe('NOT_RUNNING: api');
    expect(supd.child.exitCode).toBeNull();
  });

  test('a socket that cannot be made stops supd at start, exit 1, before its servers open', async () => {
    await using dir = makeTempDir();
    const port = await freePort();
    const busy = await listenOn(port);
    try {
      const file = writeConfig(dir.path, port);
      const supd = startSupd(['-n', '-c', file], dir.path);
      const message = `Could not create FastCGI socket tcp://127.0.0.1:${port}: [Errno 98] Address already in use`;
      expect(await supd.exited()).toBe(1);
      expect(supd.stderr()).toBe(`Error: ${message}\n`);
      expect(readLog(join(dir.path, 'sd.log'))).toContain(`CRIT ${message}\n`);
      expect(existsSync(join(dir.path, 's.sock'))).toBe(false);
      if (hasSupervisord) {
        // supervisord's traceback ends with the same words (and it exits 1 too).
        const reference = startSupd(['-n', '-c', file], dir.path, [SUPERVISORD]);
        expect(await reference.exited()).toBe(1);
        expect(reference.stderr().trim().split('\n').at(-1)).toBe(`ValueError: ${message}`);
      }
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  test('HUP: the sockets are closed with the processes and made again for the new run', async () => {
    await using dir = makeTempDir();
    const file = writeConfig(dir.path, await freePort());
    await using supd = startSupd(['-n', '-s', '-c', file], dir.path);
    const log = join(dir.path, 'sd.log');
    await waitForLog(log, /success: web_1 entered RUNNING state/);
    supd.child.kill('SIGHUP');
    await waitFor(() => (readLog(log).match(/success: web_1 entered RUNNING state/g) ?? []).length === 2, {
      what: 'web_1 RUNNING again after the HUP',
    });
    const sock = join(dir.path, 'web.sock');
    await waitFor(async () => /^pid \d+\n$/.test(await ask(sock)), { what: 'an answer after the HUP' });
    const afterHup = readLog(log).slice(readLog(log).indexOf('received SIGHUP'));
    expect(afterHup).toMatch(
      /stopped: web_\d[^\n]*\n[^\n]*stopped: web_\d[^\n]*\n[^\n]*INFO Closing socket unix:[^\n]*\n[\s\S]*INFO Creating socket unix:/,
    );
  });
});
