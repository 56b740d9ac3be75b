/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. @default 5000 */
  readonly timeoutMs?: number;
  /** Pause between checks. @default 5 */
  readonly intervalMs?: number;
  /** Names what is awaited in the failure message. @default 'condition' */
  readonly what?: string;
}

/**
 * Calls `check` until it returns a truthy value (which is returned) or the deadline passes. A
 * check that throws counts as "not yet". On timeout the error names the last value or error seen.
 * @example
 * const pid = await waitFor(() => proc.pid || undefined, { timeoutMs: 2000, what: 'a pid' });
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 5000, intervalMs = 5, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } = { value: undefined };
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) {
      const seen =
        'error' in last
          ? `last error: ${last.error instanceof Error ? last.error.message : String(last.error)}`
          : `last value: ${formatValue(last.value)}`;
      throw new Error(`waitFor: ${what} not met after ${timeoutMs} ms (${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function formatValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
