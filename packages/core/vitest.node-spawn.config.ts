// The engine's behaviour tests again with node:child_process doing the spawning (SUPCTL_SPAWN=node),
// the path taken where the native helper is not built: both must behave as Supervisor does.
import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    name: '@supctl/core (node:child_process spawn)',
    env: { SUPCTL_SPAWN: 'node' },
    include: [
      'test/managed-process.test.ts',
      'test/supervisor.test.ts',
      'test/output-channel.test.ts',
      'test/spawn-child.test.ts',
      'test/fcgi-socket.test.ts',
      'test/event-pool.test.ts',
      'test/from-ini.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
