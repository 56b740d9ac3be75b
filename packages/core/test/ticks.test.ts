import type { TickEvent } from '@supctl/events';
import { waitFor } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { startTicks } from '../src/index.ts';

test('TICK_5 fires at the next 5-second boundary, not before, with when = the boundary', async () => {
  // A fake clock 30 ms before a boundary that is also a 60 and 3600 boundary.
  const boundary = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
  const offset = boundary - 30 - Date.now();
  const events: TickEvent[] = [];
  const stop = startTicks(
    (e) => events.push(e),
    () => Date.now() + offset,
  );
  try {
    expect(events).toEqual([]);
    await waitFor(() => events.length === 3, { timeoutMs: 2000 });
    const when = boundary / 1000;
    expect(events.map((e) => e.type).sort()).toEqual(['TICK_3600', 'TICK_5', 'TICK_60']);
    expect(new Set(events.map((e) => e.when))).toEqual(new Set([when]));
  } finally {
    stop();
  }
});
