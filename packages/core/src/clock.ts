/**
 * Milliseconds on a monotonic clock, for durations: startsecs, backoff, read pacing. Not
 * `performance.now()`, whose first use loads node:perf_hooks, which the daemon needs for nothing
 * else (about 0.4 MiB of RSS, issue 5).
 * @example
 * const started = monotonicMs();
 * const elapsedMs = monotonicMs() - started;
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
