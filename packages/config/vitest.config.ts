import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    name: '@supctl/config',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: ['../../vitest.setup.ts'],
  },
});
