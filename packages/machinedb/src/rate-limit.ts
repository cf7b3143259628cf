import { MachineDbServerError } from './errors.js';

export interface LoginLimiterOptions {
  /** Failures allowed per key before the backoff starts (default 5). */
  freeFailures?: number;
  /** First lock-out after the free failures, doubled per further failure (default 1000 ms). */
  baseDelayMs?: number;
  /** Longest lock-out (default 15 min). */
  maxDelayMs?: number;
  /** A key with no failure for this long is forgotten (default 1 h). */
  forgetAfterMs?: number;
  /** Most keys remembered; the oldest are dropped first (default 100 000). */
  maxKeys?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/**
 * Failed-login backoff per key (`user:alice`, `addr:10.0.0.7`): after `freeFailures` failures each further
 * failure locks the key for `baseDelayMs · 2^n` (capped). A success clears the user's key (not the
 * address's). In memory, per server process: several servers each keep their own count.
 */
export class LoginLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly free: number;
  private readonly base: number;
  private readonly max: number;
  private readonly forget: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: LoginLimiterOptions = {}) {
    this.free = options.freeFailures ?? 5;
    this.base = options.baseDelayMs ?? 1000;
    this.max = options.maxDelayMs ?? 15 * 60_000;
    this.forget = options.forgetAfterMs ?? 3_600_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Throws TOO_MANY_REQUESTS (429, `details.retryAfterSeconds`) while any of the keys is locked. */
  check(keys: readonly string[]): void {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      if (now - entry.lastFailure > this.forget) this.entries.delete(key);
      else wait = Math.max(wait, entry.lockedUntil - now);
    }
    if (wait > 0) {
      const retryAfterSeconds = Math.ceil(wait / 1000);
      throw new MachineDbServerError('TOO_MANY_REQUESTS', `too many failed logins: try again in ${retryAfterSeconds} s`, {
        details: { retryAfterSeconds },
      });
    }
  }

  failed(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
      entry.failures += 1;
      entry.lastFailure = now;
      const over = entry.failures - this.free;
      if (over > 0) entry.lockedUntil = now + Math.min(this.max, this.base * 2 ** Math.min(over - 1, 30));
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    while (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  succeeded(key: string): void {
    this.entries.delete(key);
  }
}
