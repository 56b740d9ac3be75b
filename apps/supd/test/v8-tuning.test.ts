// The V8 settings supd applies for a daemon's memory (src/v8-tuning.ts).
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import { collectStartupGarbage } from '../src/v8-tuning.ts';

test('collectStartupGarbage collects what is unreachable, and leaves gc unexposed', async () => {
  let garbage: object | null = { start: 'up' };
  const ref = new WeakRef(garbage);
  garbage = null;
  // A WeakRef holds its target until the end of the job that made it.
  await new Promise((resolve) => setImmediate(resolve));
  collectStartupGarbage();
  expect(ref.deref()).toBeUndefined();
  expect(runInNewContext('typeof gc')).toBe('undefined');
});
