// Automatic restarts are immediate, but a crash loop must not turn into a spawn storm that
// starves supd's event loop (timers, clients). Two limits, both measured in backoff steps (1 s):
// a process that exits by itself restarts at most once per step (supervisord's loop restarts an
// EXITED process on its next pass, about once a second), and all processes together get at most
// `perStep` immediate restarts per step. A child killed by a signal (kill -9) restarts at once.

/** The shared budget of one supervisor. */
export class RestartThrottle {
  readonly #stepMs: number;
  readonly #perStep: number;
  readonly #recent: number[] = [];

  constructor(stepMs: number, perStep = 100) {
    this.#stepMs = stepMs;
    this.#perStep = perStep;
  }

  /** Milliseconds to wait before one more automatic restart may happen (0 = now). */
  delay(now: number): number {
    while (this.#recent.length && this.#recent[0]! <= now - this.#stepMs) this.#recent.shift();
    if (this.#recent.length < this.#perStep) return 0;
    return this.#recent[0]! + this.#stepMs - now;
  }

  /** Record a restart that happens now. */
  take(now: number): void {
    this.#recent.push(now);
  }
}
