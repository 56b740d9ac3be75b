// Debian's Chromium for browser tests, driven by playwright-core (no browser download), with the
// flags this network needs (no background connections) and a fresh profile per launch.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether browser tests can run here (they skip, by name, where not). */
export const hasChromium: boolean = existsSync(CHROMIUM_PATH);

/**
 * A headless Chromium context; `await using` closes it and deletes its profile.
 * @example await using browser = await launchChromium(); const page = await browser.newPage();
 */
export async function launchChromium(
  viewport = { width: 1280, height: 760 },
): Promise<BrowserContext & AsyncDisposable> {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'supctl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
  });
  return Object.assign(context, {
    async [Symbol.asyncDispose]() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  });
}
