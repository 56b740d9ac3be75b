// Each package works from its packed tarball alone: `exports`, types and bins as a user gets
// them from the registry (installed offline from the tarballs, nothing from the workspace).
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const PACKAGES = [
  'packages/config',
  'packages/events',
  'packages/core',
  'packages/rpc',
  'packages/http',
  'apps/supd',
  'apps/supctl',
];
const built = PACKAGES.every((pkg) => existsSync(join(ROOT, pkg, 'dist/index.js')));
// `pnpm test` builds first; a bare `vitest run` without a build skips (CI never does: it fails).
const run = built || process.env.CI === 'true';
const dir = mkdtempSync(join(tmpdir(), 'supctl-packed-'));

function pnpm(args: string[], cwd: string): string {
  // Under `pnpm test`, npm_execpath is pnpm itself; otherwise go through npx with the pinned version.
  const execpath = process.env.npm_execpath;
  if (execpath?.includes('pnpm'))
    return execFileSync(process.execPath, [execpath, ...args], { cwd, encoding: 'utf8' });
  return execFileSync('npx', ['-y', 'pnpm@10.34.9', ...args], { cwd, encoding: 'utf8' });
}

beforeAll(() => {
  if (!run) return;
  for (const pkg of PACKAGES) {
    if (!existsSync(join(ROOT, pkg, 'dist/index.js'))) {
      throw new Error(`${pkg}/dist is missing: build first (npx -y pnpm@10.34.9 build)`);
    }
    pnpm(['pack', '--pack-destination', dir], join(ROOT, pkg));
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const tarballs = PACKAGES.map((pkg) => {
    const { name, version } = JSON.parse(readFileSync(join(ROOT, pkg, 'package.json'), 'utf8'));
    return `./${name.replace('@', '').replace('/', '-')}-${version}.tgz`;
  });
  // Offline, the one registry dependency comes from the copy pnpm installed here (packed as the
  // registry's tarball is; its optional native accelerator is left out, as on a platform without one).
  const msgpackr = resolve(ROOT, 'packages/rpc/node_modules/msgpackr');
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, msgpackr], {
    encoding: 'utf8',
  });
  tarballs.push(`./${packed.trim().split('\n').at(-1)}`);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], {
    cwd: dir,
    stdio: 'pipe',
  });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(run)('installed from tarballs', () => {
  test.each([
    ['@supctl/config', ['parse', 'load', 'analyzeConfig', 'ConfigError', 'formatProgramSection']],
    ['@supctl/events', ['PROCESS_STATES', 'formatEventPayload', 'ListenerOutputParser']],
    ['@supctl/core', ['Supervisor']],
    ['@supctl/rpc', ['connect', 'createRpcServer', 'Fault', 'cacheEncoding']],
    ['@supctl/http', ['serveConnection', 'mountDashboard']],
    ['supd', ['main', 'runSupd']],
  ])('%s exports what its README shows, with types', (name, exports) => {
    const script = `import * as m from '${name}'; console.log(JSON.stringify(Object.keys(m)));`;
    const keys = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' }),
    );
    expect(keys).toEqual(expect.arrayContaining(exports));
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'));
    expect(existsSync(join(dir, 'node_modules', name, pkg.exports['.'].types))).toBe(true);
    expect(pkg.dependencies ?? {}).not.toMatchObject({
      '@supctl/config': expect.stringContaining('workspace'),
    });
  });

  test.runIf(existsSync(join(ROOT, `packages/core/native/${process.platform}-${process.arch}/spawn.node`)))(
    "@supctl/core's native spawn helper ships in the tarball and loads from it",
    () => {
      const script = `import { spawnerKind } from '@supctl/core'; console.log(spawnerKind());`;
      const kind = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(kind.trim()).toBe('native');
    },
  );

  test('the supd bin runs its programs, and the rpc client talks to it', async () => {
    writeFileSync(
      join(dir, 'supd.conf'),
      '[supervisord]\nlogfile=%(here)s/supd.log\npidfile=%(here)s/supd.pid\n[unix_http_server]\nfile=%(here)s/supd.sock\n[program:sleeper]\ncommand=sleep 300\nstartsecs=0\n',
    );
    const supd = spawn(join(dir, 'node_modules/.bin/supd'), ['-n', '-s', '-c', 'supd.conf'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    supd.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise((resolve) => supd.once('exit', resolve));
    try {
      // The installed client, polling until supd listens and its program is RUNNING.
      const script = `import { connect } from '@supctl/rpc';
        for (const deadline = Date.now() + 20000; ; await new Promise((r) => setTimeout(r, 50))) {
          try {
            const client = await connect('unix://${join(dir, 'supd.sock')}');
            const [info] = await client.call('supervisor.getAllProcessInfo');
            await client.close();
            if (info.statename === 'RUNNING') { console.log(info.name, info.statename); break; }
          } catch (error) { if (Date.now() > deadline) throw error; }
        }`;
      let out = '';
      try {
        out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
          cwd: dir,
          encoding: 'utf8',
        });
      } catch (error) {
        throw new Error(`the client failed; supd's stderr: ${stderr || '(nothing)'}`, { cause: error });
      }
      expect(out).toBe('sleeper RUNNING\n');
    } finally {
      supd.kill('SIGTERM');
      await exited;
    }
  });

  // npx installs under root's 0700 home; supd drops to a user who cannot read it. Everything it
  // loads later (XML-RPC, the dashboard's files, the native helper) must be loaded before.
  const nobody = /^nobody:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'));
  test.runIf(process.getuid?.() === 0 && nobody)(
    'installed where only root may read, supd run by root with -u nobody serves XML-RPC, the dashboard and spawns natively',
    async () => {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const work = mkdtempSync(join(tmpdir(), 'supctl-packed-user-'));
      chmodSync(work, 0o777); // nobody writes the logs and the socket here
      const socketPath = join(work, 'supd.sock');
      writeFileSync(
        join(work, 'supd.conf'),
        '[supervisord]\nlogfile=%(here)s/supd.log\npidfile=%(here)s/supd.pid\nchildlogdir=%(here)s\n[unix_http_server]\nfile=%(here)s/supd.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[program:sleeper]\ncommand=sleep 300\nstartsecs=0\n',
      );
      const supd = spawn(
        join(dir, 'node_modules/.bin/supd'),
        ['-n', '-s', '-c', 'supd.conf', '-u', 'nobody'],
        {
          cwd: work,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      supd.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      const exited = new Promise((resolve) => supd.once('exit', resolve));
      const get = (path: string, body?: string) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = request(
            {
              socketPath,
              path,
              method: body ? 'POST' : 'GET',
              headers: body ? { 'Content-Type': 'text/xml' } : {},
            },
            (res) => {
              let text = '';
              res.setEncoding('utf8').on('data', (d: string) => (text += d));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      try {
        const log = join(work, 'supd.log');
        for (const deadline = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 50))) {
          if (existsSync(log) && readFileSync(log, 'utf8').includes('success: sleeper entered RUNNING'))
            break;
          if (Date.now() > deadline || supd.exitCode !== null)
            throw new Error(`sleeper not RUNNING; supd's stderr: ${stderr || '(nothing)'}`);
        }
        const uidOf = (pid: number) =>
          Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        expect(uidOf(supd.pid!)).toBe(Number(nobody![1]));
        const state = await get(
          '/RPC2',
          '<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName><params></params></methodCall>',
        );
        expect(state).toMatchObject({
          status: 200,
          text: expect.stringContaining('<string>RUNNING</string>'),
        });
        expect((await get('/dashboard/style.css')).status).toBe(200);
        expect((await get('/dashboard/app.js')).status).toBe(200);
        // The native helper holds a pidfd per child; node:child_process would not.
        const fds = readdirSync(`/proc/${supd.pid}/fd`).map((fd) => {
          try {
            return readlinkSync(`/proc/${supd.pid}/fd/${fd}`);
          } catch {
            return '';
          }
        });
        if (existsSync(join(ROOT, `packages/core/native/${process.platform}-${process.arch}/spawn.node`)))
          expect(fds).toContain('anon_inode:[pidfd]');
        expect(stderr).toBe('');
      } finally {
        supd.kill('SIGTERM');
        await exited;
        rmSync(work, { recursive: true, force: true });
      }
    },
  );

  test('the supctl bin runs: check on the bundled example', () => {
    const out = execFileSync(
      join(dir, 'node_modules/.bin/supctl'),
      ['check', join(ROOT, 'examples/supervisord.conf')],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(/examples\/supervisord\.conf: OK, 2 groups, 4 processes, 0 warnings/);
  });
});

if (!run)
  test.skip('packed-tarball tests skipped: packages are not built (run npx -y pnpm@10.34.9 build)', () => {
    console.warn('packed-tarball tests skipped: no dist/ (build first)');
  });
