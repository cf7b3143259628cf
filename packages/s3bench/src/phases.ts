import { backoffDelay, sleep } from '@fleet/core';
import type { S3Result } from './client.js';

/** The parts of a run; every request of every part is counted in {@link PhaseResult}. */
export type PhaseName = 'setup' | 'prefill' | 'measure' | 'cleanup';

/** Requests and failures of one phase (failed attempts that were retried count as errors too). */
export interface PhaseResult {
  /** Requests sent, retries included. */
  requests: number;
  /** Requests that failed, retried or not. */
  errors: number;
  /** Requests sent again after a retryable failure. */
  retries: number;
  /** Operations given up on after the last retry (or failing with an error not worth retrying). */
  failed: number;
  errorsByKind: Record<string, number>;
}

export function emptyPhase(): PhaseResult {
  return { requests: 0, errors: 0, retries: 0, failed: 0, errorsByKind: {} };
}

/**
 * What S3 asks clients to retry: 5xx (InternalError, 503 SlowDown), 429, `SlowDown` under any status,
 * connection resets and timeouts. A refused connection or a 4xx is an answer, not a hiccup.
 */
export function isRetryable(res: S3Result): boolean {
  return (
    res.status >= 500 ||
    res.status === 429 ||
    res.errorCode === 'SlowDown' ||
    res.errorKind === 'reset' ||
    res.errorKind === 'timeout'
  );
}

export interface RetryPolicy {
  /** Attempts in all (first included). */
  tries: number;
  /** First backoff (ms); doubled each retry, capped at `maxDelayMs`, each wait in [half, whole] of that (equal jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { tries: 5, baseDelayMs: 50, maxDelayMs: 2000 };

/** Counts every request of one phase and sends with retries and backoff. */
export class PhaseCounter {
  readonly result: PhaseResult = emptyPhase();

  /** Counts one request's outcome. */
  count(res: S3Result): void {
    this.result.requests++;
    if (!res.ok) {
      this.result.errors++;
      const kind = res.errorKind ?? 'other';
      this.result.errorsByKind[kind] = (this.result.errorsByKind[kind] ?? 0) + 1;
    }
  }

  /**
   * Sends with `send` until it succeeds, fails for good, or runs out of tries; counts every attempt. The
   * first attempt is chained with one `then` (no async frame): prefill sends every upload through here.
   */
  send(send: () => Promise<S3Result>, policy: RetryPolicy = DEFAULT_RETRY): Promise<S3Result> {
    let first: Promise<S3Result>;
    try {
      first = send();
    } catch (error) {
      // A thrown error rejects, as it did when this was an async function.
      return Promise.reject(error);
    }
    return first.then((res) => {
      this.count(res);
      if (res.ok) return res;
      return this.#retry(send, res, policy);
    });
  }

  async #retry(send: () => Promise<S3Result>, first: S3Result, policy: RetryPolicy): Promise<S3Result> {
    let res = first;
    for (let attempt = 1; attempt < policy.tries && !res.ok && isRetryable(res); attempt++) {
      await sleep(backoffDelay(attempt, { minMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: 'equal' }));
      this.result.retries++;
      res = await send();
      this.count(res);
    }
    if (!res.ok) this.result.failed++;
    return res;
  }
}
