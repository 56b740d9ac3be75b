// The web dashboard served by the real supd, in a real browser (Debian's Chromium via
// playwright-core): real processes, real state changes, a real log line.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@supctl/rpc';
import { freePort, hasChromium, launchChromium, makeTempDir } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { BASE_CONF, runE2e, startSupd, waitForLog } from './helpers.ts';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const WAIT = { timeout: 15_000 };

describe.runIf(runE2e && hasChromium)('supd’s web dashboard in headless Chromium', () => {
  test('stop a real process and see it change without reload; tail sees a line the process just printed', async () => {
    await using dir = makeTempDir();
    const port = await freePort();
    await writeFile(
      join(dir.path, 'sd.conf'),
      `${BASE_CONF}[inet_http_server]
port=127.0.0.1:${port}
[program:echo]
command=cat
startsecs=0
[program:sleeper]
command=sleep 300
startsecs=0
`,
    );
    await using _supd = startSupd(['-n', '-s', '-c', 'sd.conf'], dir.path);
    await waitForLog(join(dir.path, 'sd.log'), /success: sleeper entered RUNNING state/);
    await using client = await connect(`unix://${join(dir.path, 's.sock')}`);

    await using context = await launchChromium({ width: 1280, height: 720 });
    {
      await mkdir(ARTIFACTS, { recursive: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const row = (ns: string) => page.locator(`tr.proc[data-ns="${ns}"]`);

      // Server-rendered: the states are in the first response, before any script runs.
      const first = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(first).toMatch(/data-ns="sleeper"[\s\S]*(RUNNING|running)/);

      await page.goto(`http://127.0.0.1:${port}/`);
      await page.locator('#live.on').waitFor(WAIT);
      await page.evaluate('window.__notReloaded = true');
      await row('sleeper').locator('button[value="stop"]').click();
      await page.locator('tr.proc[data-ns="sleeper"][data-state="STOPPED"]').waitFor(WAIT);
      expect((await client.call('supervisor.getProcessInfo', 'sleeper')).statename).toBe('STOPPED');
      // A change made elsewhere (another client) shows up too.
      await client.call('supervisor.startProcess', 'sleeper', true);
      await page.locator('tr.proc[data-ns="sleeper"][data-state="RUNNING"]').waitFor(WAIT);
      await expect(page.evaluate('window.__notReloaded')).resolves.toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-status.png'), fullPage: true });

      await row('echo').locator('td.name a').click();
      await page.waitForURL(/tail\.html\?processname=echo/, WAIT);
      await page.locator('#live.on').waitFor(WAIT);
      await client.call('supervisor.sendProcessStdin', 'echo', 'a line echo just printed\n');
      await page.locator('#log', { hasText: 'a line echo just printed' }).waitFor(WAIT);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-tail.png') });
      expect(errors).toEqual([]);
    }
  });
});

if (!(runE2e && hasChromium))
  test.skip('dashboard e2e skipped: needs the built supd and /usr/bin/chromium', () => {
    console.warn('dashboard e2e skipped');
  });
