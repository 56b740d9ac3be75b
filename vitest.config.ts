import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'packages/core/vitest.node-spawn.config.ts'],
    // Child processes and sockets: give slow CI machines room, never rely on it for timing.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
