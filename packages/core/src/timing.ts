/** How a retry loop spaces its attempts: exponential growth from `minMs`, capped at `maxMs`, with jitter. */
export interface BackoffOptions {
  /** The first delay's ceiling. Default 100 ms. */
  minMs?: number;
  /** The longest delay. Default 5 000 ms. */
  maxMs?: number;
  /**
   * `full` (default): a random delay in [`minMs`/2, ceiling], which spreads many clients retrying at once.
   * `equal`: in [ceiling/2, ceiling], when each retry must wait at least half the nominal time.
   */
  jitter?: 'full' | 'equal';
}

/**
 * The delay before retry number `attempt` (1 for the first retry): the ceiling min(`maxMs`, `minMs`·2^(attempt−1))
 * with the chosen jitter. The one backoff formula of the project: clients, agents and watches all use it.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const min = options.minMs ?? 100;
  const max = options.maxMs ?? 5_000;
  const ceiling = Math.min(max, min * 2 ** Math.min(Math.max(0, attempt - 1), 52));
  if (options.jitter === 'equal') return ceiling / 2 + Math.random() * (ceiling / 2);
  return Math.min(ceiling, Math.max(min / 2, Math.random() * ceiling));
}

/**
 * Waits `ms` milliseconds, or less when `signal` aborts: it resolves at once for a signal that is already
 * aborted and never rejects, so a loop checks `signal.aborted` after it. No timer is left behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
