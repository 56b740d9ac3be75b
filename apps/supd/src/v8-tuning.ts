// V8 settings for a long-running, mostly idle daemon (issue 5: supd's RSS). The bin applies them
// before it loads anything else, in the foreground (`-n`) and in the detached re-spawn alike:
// Node cannot exec itself with new command-line flags, and a wrapper process would cost more
// memory than it saves. These flags are read each time V8 uses them, so setting them at run time
// works (measured on Node 20; a V8 without one of them prints `unrecognized flag` and carries on).
import { setFlagsFromString } from 'node:v8';

/**
 * Set before the daemon's modules load.
 * - The young generation stays at its initial 1 MiB semi-spaces instead of growing to 16 MiB
 *   while a thousand children start (`--max-semi-space-size` can only be given at launch).
 * - No compilers during start-up: the code that loads modules and spawns the programs runs once,
 *   and compiling it to machine code (TurboFan, and Sparkplug's baseline code) pulls the
 *   compilers' own code into memory: several MiB for TurboFan, about 1 MiB for Sparkplug.
 */
export function tuneV8ForStartup(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--no-opt');
  setFlagsFromString('--no-sparkplug');
}

/** The programs are started: hot code (API calls, log capture) gets compiled again from now on. */
export function tuneV8ForRunning(): void {
  setFlagsFromString('--sparkplug');
  setFlagsFromString('--opt');
}

/**
 * A full collection once the programs are started, where the native helper's returnFreeMemory
 * is missing (supd runs it after each start, and again a second later): what start-up left
 * behind (the parsed config, a spawn's worth of objects per program) is collected now. V8 would
 * only do it when the heap next grows, which in an idle daemon may be never. About 0.4 MiB of RSS with 1,000
 * programs (A/B, three runs each). V8's own `%CollectGarbage`, compiled while natives syntax is
 * briefly allowed: exposing `gc` would take a throwaway context, itself some 140 KiB left
 * behind. A V8 without it is left alone.
 */
export function collectStartupGarbage(): void {
  let collect: () => void;
  setFlagsFromString('--allow-natives-syntax');
  try {
    collect = new Function('%CollectGarbage(0)') as () => void;
  } catch {
    return;
  } finally {
    setFlagsFromString('--no-allow-natives-syntax');
  }
  collect();
}
