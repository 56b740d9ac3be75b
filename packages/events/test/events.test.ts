import { describe, expect, expectTypeOf, test } from 'vitest';
import {
  type ConcreteEventTypeName,
  type EventOfType,
  isConcreteEventType,
  PROCESS_STATE_NAMES,
  type ProcessStateExitedEvent,
  processStateEventType,
  type SupervisorEvent,
  TICK_PERIODS,
  tickWhen,
} from '../src/index.ts';

describe('typed events', () => {
  test('one union member per concrete event type', () => {
    expectTypeOf<SupervisorEvent['type']>().toEqualTypeOf<ConcreteEventTypeName>();
    expectTypeOf<EventOfType<'PROCESS_STATE_EXITED'>>().toEqualTypeOf<ProcessStateExitedEvent>();
  });

  test.each(PROCESS_STATE_NAMES)('entering %s emits a concrete event type', (state) => {
    const type = processStateEventType(state);
    expect(type).toBe(`PROCESS_STATE_${state}`);
    expect(isConcreteEventType(type)).toBe(true);
  });
});

describe('tickWhen', () => {
  test('periods', () => {
    expect(TICK_PERIODS).toEqual({ TICK_5: 5, TICK_60: 60, TICK_3600: 3600 });
  });

  // spec 4.5: when = floor(now / N) * N, verified when:1795497550, when:1795497060.
  test.each<[keyof typeof TICK_PERIODS, number, number]>([
    ['TICK_5', 1_795_497_553_250, 1795497550],
    ['TICK_5', 1_795_497_555_000, 1795497555],
    ['TICK_5', 1_795_497_554_999, 1795497550],
    ['TICK_60', 1_795_497_119_999, 1795497060],
    ['TICK_3600', 1_795_497_060_000, 1795496400],
    ['TICK_3600', 0, 0],
  ])('%s at %i ms is %i', (type, epochMs, when) => {
    expect(tickWhen(type, epochMs)).toBe(when);
  });
});
