// The dashboard in a real browser: Debian's Chromium, driven by playwright-core. Screenshots land in
// packages/http/test-artifacts/dashboard/ (gitignored) for a human to look at.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH, hasChromium, launchChromium } from '@supctl/test-utils';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { createFakeSupervisor } from './fake-supervisor.ts';
import { serveDashboard } from './serve.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard/', import.meta.url));
const WAIT = { timeout: 10_000 };
const XSS_NAME = '<img src=x onerror=alert(1)>';

function fakeDaemon() {
  return createFakeSupervisor(
    [
      { name: 'cat', stdout: 'cat: reading stdin\ncat: ready\n', uptime: 3725 },
      { name: 'web_0', group: 'web', uptime: 90061 },
      { name: 'web_1', group: 'web', uptime: 412 },
      { name: 'web_2', group: 'web', state: 'STOPPED' },
      { name: 'crash', state: 'FATAL' },
      { name: XSS_NAME, group: 'evil', state: 'STOPPED' },
    ],
    { transitionMs: 150 },
  );
}

/** Records what would betray a problem: dialogs (XSS), page errors, requests to other origins. */
function watch(page: Page, origin: string) {
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) {
      problems.push(`request to ${request.url()}`);
    }
  });
  return problems;
}

const row = (page: Page, ns: string) => page.locator(`tr.proc[data-ns="${ns}"]`);

describe.skipIf(!hasChromium)('dashboard in headless Chromium', () => {
  test('stop a process and see it change without a reload; tail a log and see a new line', async () => {
    const fake = fakeDaemon();
    await using server = await serveDashboard({
      api: fake.api,
      identification: 'demo-host',
      version: '4.2.5',
    });
    await using context = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
    const page = await context.newPage();
    const problems = watch(page, server.url);

    await page.goto(`${server.url}/`);
    await page.locator('#live.on').waitFor(WAIT);
    await expect(row(page, 'cat').locator('.badge').textContent()).resolves.toBe('running');
    await expect(page.locator('td.name', { hasText: XSS_NAME }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'status.png'), fullPage: true });

    // A marker on window survives only if the page is not reloaded.
    await page.evaluate('window.__notReloaded = true');
    await row(page, 'cat').locator('button[value="stop"]').click();
    await page.locator('tr.proc[data-ns="cat"][data-state="STOPPED"]').waitFor(WAIT);
    await page.locator('#message', { hasText: 'Process cat stopped' }).waitFor(WAIT);
    await expect(row(page, 'cat').locator('.badge').textContent()).resolves.toBe('stopped');
    await expect(row(page, 'cat').locator('button[value="start"]').count()).resolves.toBe(1);
    expect(fake.state('cat')).toBe('STOPPED');

    // A change that starts in the daemon, not in this page.
    fake.setState('web:web_2', 'STARTING');
    await page.locator('tr.proc[data-ns="web:web_2"][data-state="STARTING"]').waitFor(WAIT);
    await expect(page.locator('#summary').textContent()).resolves.toBe(
      '2 running · 2 stopped · 1 fatal · 1 starting',
    );
    await expect(page.evaluate('window.__notReloaded')).resolves.toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'status-after-stop.png'), fullPage: true });

    // The tail view: the log so far, then what the process prints next.
    await row(page, 'cat').locator('td.name a').click();
    await page.waitForURL(/tail\.html\?processname=cat/, WAIT);
    await page.locator('#live.on').waitFor(WAIT);
    await page.locator('#log', { hasText: 'cat: ready' }).waitFor(WAIT);
    fake.print('cat', 'cat: just printed <b>this</b> line\n');
    await page.locator('#log', { hasText: 'cat: just printed <b>this</b> line' }).waitFor(WAIT);
    await page.screenshot({ path: join(ARTIFACTS, 'tail.png') });

    expect(problems).toEqual([]);
  });

  test('phone-sized screen: no sideways scrolling, every action reachable', async () => {
    const fake = fakeDaemon();
    await using server = await serveDashboard({
      api: fake.api,
      identification: 'demo-host',
      version: '4.2.5',
    });
    await using context = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
    const page = await context.newPage();
    const problems = watch(page, server.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/`);
    await page.locator('#live.on').waitFor(WAIT);
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    const stop = row(page, 'web:web_0').locator('button[value="stop"]');
    await expect(stop.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'status-phone.png'), fullPage: true });
    await stop.click();
    await page.locator('tr.proc[data-ns="web:web_0"][data-state="STOPPED"]').waitFor(WAIT);

    await page.goto(`${server.url}/tail.html?processname=cat`);
    await page.locator('#live.on').waitFor(WAIT);
    await page.screenshot({ path: join(ARTIFACTS, 'tail-phone.png') });
    expect(problems).toEqual([]);
  });

  test('without JavaScript: the first response has everything, and the forms still act', async () => {
    const fake = fakeDaemon();
    await using server = await serveDashboard({
      api: fake.api,
      identification: 'demo-host',
      version: '4.2.5',
    });
    await using context = await launchChromium();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    await page.goto(`${server.url}/`);
    await expect(row(page, 'crash').locator('.badge').textContent()).resolves.toBe('fatal');
    await expect(row(page, 'web:web_0').locator('td.uptime').textContent()).resolves.toMatch(
      /^1 day, 1:01:0\d$/,
    );
    await row(page, 'web:web_2').locator('button[value="start"]').click();
    await page.waitForURL(/\?message=Process%20web%3Aweb_2%20started/, WAIT);
    await page.locator('#message', { hasText: 'Process web:web_2 started' }).waitFor(WAIT);
    await expect(row(page, 'web:web_2').getAttribute('data-state')).resolves.toBe('RUNNING');
  });
});

if (!hasChromium)
  test.skip(`browser tests skipped: ${CHROMIUM_PATH} is missing (apt-get install -y chromium)`, () => {});
