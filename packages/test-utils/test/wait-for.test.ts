import { expect, test } from 'vitest';
import { waitFor } from '../src/index.ts';

test('returns the first truthy value', async () => {
  let n = 0;
  await expect(waitFor(() => (++n >= 3 ? n : 0))).resolves.toBe(3);
});

test('fails with the last value it saw', async () => {
  await expect(waitFor(() => 0, { timeoutMs: 30 })).rejects.toThrow(
    'waitFor: condition not met after 30 ms (last value: 0)',
  );
  await expect(
    waitFor(
      () => {
        throw new Error('not yet');
      },
      { timeoutMs: 20, what: 'RUNNING' },
    ),
  ).rejects.toThrow('waitFor: RUNNING not met after 20 ms (last error: not yet)');
});
