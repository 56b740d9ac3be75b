import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.ts';

export default defineProject({
  resolve: {
    conditions: sourceConditions,
    // The README example imports the package by name; point it at the source.
    alias: { '@supctl/rpc': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    name: '@supctl/rpc',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: ['../../vitest.setup.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
