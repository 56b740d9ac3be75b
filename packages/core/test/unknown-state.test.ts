// RUNNING → UNKNOWN: a kill() that fails with an OS error other than ESRCH (spec 5.3). Root can
// signal anything, so the engine runs here in a child Node process that loads everything as root
// and then becomes `nobody` (the checkout may sit in a folder only root can read), and
// supervises a program that makes itself fully root (setuid-root, then setresuid(0, 0, 0)):
// stopping it then fails with EPERM. Needs root, a C compiler and the built dist of this package; skipped
// by name otherwise.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, waitFor } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { lookupUser } from '../src/users.ts';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const CONFIG_DIST = fileURLToPath(new URL('../../config/dist/index.js', import.meta.url));

function hasCompiler(): boolean {
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const nobody = lookupUser('nobody');
const ready = process.getuid?.() === 0 && nobody !== undefined && existsSync(DIST) && hasCompiler();

const ROOTIFY = `#define _GNU_SOURCE
#include <unistd.h>
int main(void) {
  if (setresuid(0, 0, 0) != 0) return 2;
  for (;;) pause();
}
`;

// Runs a Supervisor over one program and asks it to stop; prints every state and main-log line.
const ENGINE = (rootify: string, uid: number, gid: number): string => `
import { parse } from ${JSON.stringify(CONFIG_DIST)};
import { Supervisor } from ${JSON.stringify(DIST)};
const ini = '[supervisord]\\n[program:rooted]\\ncommand=${rootify}\\nstartsecs=0\\nautorestart=false\\nstdout_logfile=NONE\\nstderr_logfile=NONE\\n';
const s = new Supervisor(parse(ini, { path: '/tmp/unknown-state.conf', host: false }), {
  logger: { log: (level, message) => console.log(JSON.stringify({ level, message })) },
});
s.subscribe((e) => { if (e.type.startsWith('PROCESS_STATE_')) console.log(JSON.stringify({ state: e.type, pid: e.pid })); });
const { readFileSync } = await import('node:fs');
process.setgroups([${gid}]);
process.setgid(${gid});
process.setuid(${uid});
await s.start();
const p = s.getProcess('rooted');
await p.waitForState((state) => state === 'RUNNING');
// Until the program has made itself root, a stop would still work.
const pid = p.info().pid;
const deadline = Date.now() + 5000;
while (Date.now() < deadline && !/^Uid:\\s+0\\s/m.test(readFileSync('/proc/' + pid + '/status', 'utf8'))) {
  await new Promise((r) => setImmediate(r));
}
await p.stop({ wait: false }).catch((e) => console.log(JSON.stringify({ error: String(e) })));
console.log(JSON.stringify({ final: p.state, pid }));
process.exit(0);
`;

test.runIf(ready)(
  'a stop whose kill() fails with EPERM puts the process in UNKNOWN, with a CRIT line (root, cc)',
  async () => {
    await using dir = makeTempDir();
    chmodSync(dir.path, 0o755);
    const source = join(dir.path, 'rootify.c');
    const binary = join(dir.path, 'rootify');
    writeFileSync(source, ROOTIFY);
    execFileSync('cc', ['-o', binary, source]);
    chmodSync(binary, 0o4755); // setuid root (we are root)
    const script = join(dir.path, 'engine.mjs');
    writeFileSync(script, ENGINE(binary, nobody!.uid, nobody!.gid));
    const child = spawn(process.execPath, [script], {
      cwd: dir.path,
      env: { PATH: process.env.PATH, SUPCTL_SPAWN: process.env.SUPCTL_SPAWN },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const lines = out
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{')) // anything else (a Node error) shows in `out` below
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const final = lines.find((l) => 'final' in l) as { final: string; pid: number } | undefined;
    try {
      expect(code, out).toBe(0);
      expect(final?.final).toBe('UNKNOWN');
      expect(lines.filter((l) => 'state' in l).map((l) => l.state)).toEqual([
        'PROCESS_STATE_STARTING',
        'PROCESS_STATE_RUNNING',
        'PROCESS_STATE_UNKNOWN',
      ]);
      const crit = lines.find((l) => l.level === 'critical');
      expect(crit?.message).toMatch(
        new RegExp(`^unknown problem killing rooted \\(${final?.pid}\\):Error: kill EPERM`),
      );
    } finally {
      // The rooted program outlives its supervisor: we are root, we end it.
      if (final?.pid) {
        try {
          process.kill(final.pid, 'SIGKILL');
        } catch {}
        await waitFor(() => !existsSync(`/proc/${final.pid}`) || readState(final.pid) === 'Z', {
          timeoutMs: 5000,
        });
      }
    }
  },
);

function readState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '';
  }
}

if (!ready) {
  test.skip('RUNNING → UNKNOWN skipped: needs root, cc and a built @supctl/core (pnpm build)', () => {});
}
