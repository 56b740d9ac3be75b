// `supervisorctl fg`: the real client attached to a process of supd (stdin forwarded with
// sendProcessStdin, output followed through /logtail), as spec §6.2 describes.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, waitFor } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { BASE_CONF, runE2e, startSupd, waitForLog } from './helpers.ts';

const hasCtl = spawnSync('supervisorctl', ['-h'], { stdio: 'ignore' }).status === 0;

describe.runIf(runE2e && hasCtl)('supervisorctl fg against supd', () => {
  test('forwards stdin lines, shows the output, and leaves on EOF', async () => {
    await using dir = makeTempDir();
    const conf = join(dir.path, 'sd.conf');
    writeFileSync(
      conf,
      `${BASE_CONF}[supervisorctl]\nserverurl=unix://%(here)s/s.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[program:cat]\ncommand=cat\nstartsecs=0\n[program:stopped]\ncommand=cat\nautostart=false\n`,
    );
    await using _supd = startSupd(['-n', '-s', '-c', conf], dir.path);
    await waitForLog(join(dir.path, 'sd.log'), /success: cat entered RUNNING state/);

    const ctl = spawn('supervisorctl', ['-c', conf, 'fg', 'cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    ctl.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    try {
      await waitFor(() => out.includes('==> Press Ctrl-C to exit <=='), { timeoutMs: 10_000 });
      ctl.stdin.write('hello through fg\n');
      await waitFor(() => out.includes('hello through fg\n'), { timeoutMs: 10_000, what: 'the echoed line' });
      ctl.stdin.end();
      await waitFor(() => out.includes('Exiting foreground'), { timeoutMs: 10_000 });
    } finally {
      ctl.kill('SIGKILL');
    }

    const stopped = spawnSync('supervisorctl', ['-c', conf, 'fg', 'stopped'], {
      encoding: 'utf8',
      input: '',
    });
    expect([stopped.status, stopped.stdout]).toEqual([1, 'ERROR: process not running\n']);
    const none = spawnSync('supervisorctl', ['-c', conf, 'fg'], { encoding: 'utf8', input: '' });
    expect(none.status).toBe(1);
    expect(none.stdout).toContain('ERROR: no process name supplied');
  });
});

if (!(runE2e && hasCtl))
  test.skip('supervisorctl fg skipped: needs the built supd and Debian’s supervisorctl', () => {
    console.warn('supervisorctl fg skipped');
  });
