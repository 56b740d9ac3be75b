export { CHROMIUM_PATH, hasChromium, launchChromium } from './chromium.ts';
export type { FixtureName } from './fixtures.ts';
export { FIXTURES, fixtureCommand, shellQuote } from './fixtures.ts';
export type { PidTracker } from './pids.ts';
export { isPidAlive, processesInGroups, reapLeaks, trackPids } from './pids.ts';
export type { TempDir } from './temp-dir.ts';
export { makeTempDir } from './temp-dir.ts';
export type { WaitForOptions } from './wait-for.ts';
export { waitFor } from './wait-for.ts';
