import { TICK_PERIODS, type TickEvent, tickWhen } from '@supctl/events';

/**
 * Emits TICK_5, TICK_60 and TICK_3600 when the wall clock enters a new period, with one timer
 * per period set for exactly the next boundary (no polling loop). As supervisord, the first
 * period is only recorded: the first event fires at the first boundary after the start.
 * @example
 * const stop = startTicks((event) => emit(event));
 * stop();
 */
export function startTicks(emit: (event: TickEvent) => void, now: () => number = Date.now): () => void {
  const timers = new Map<TickEvent['type'], NodeJS.Timeout>();
  const schedule = (type: TickEvent['type'], last: number): void => {
    const nextMs = (last + TICK_PERIODS[type]) * 1000;
    const timer = setTimeout(
      () => {
        const when = tickWhen(type, now());
        // A timer may fire a hair early by the wall clock: wait for the boundary itself.
        if (when !== last) emit({ type, when });
        schedule(type, when === last ? last : when);
      },
      Math.max(1, nextMs - now()),
    );
    timer.unref();
    timers.set(type, timer);
  };
  for (const type of Object.keys(TICK_PERIODS) as TickEvent['type'][]) schedule(type, tickWhen(type, now()));
  return () => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
}
