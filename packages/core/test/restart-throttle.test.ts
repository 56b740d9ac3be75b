import { describe, expect, test } from 'vitest';
import { RestartThrottle } from '../src/restart-throttle.ts';

describe('RestartThrottle', () => {
  test('allows perStep restarts per step, then says how long to wait', () => {
    const t = new RestartThrottle(1000, 3);
    for (const now of [0, 10, 20]) {
      expect(t.delay(now)).toBe(0);
      t.take(now);
    }
    expect(t.delay(30)).toBe(970);
    expect(t.delay(1000)).toBe(0);
    t.take(1000);
    expect(t.delay(1005)).toBe(5);
  });
});
