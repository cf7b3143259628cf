import { describe, expect, it } from 'vitest';
import { backoffDelay, sleep } from '../src/index.js';

/** Counts the listeners added to `signal` minus those removed. */
function countListeners(signal: AbortSignal): () => number {
  let count = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<typeof add>) => {
    count++;
    add(...args);
  }) as typeof add;
  signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
    count--;
    remove(...args);
  }) as typeof remove;
  return () => count;
}

describe('sleep', () => {
  it('waits about the time asked', async () => {
    const t0 = performance.now();
    await sleep(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('resolves at once for a signal that is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const t0 = performance.now();
    await sleep(60_000, controller.signal);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('resolves early when the signal aborts while waiting, and leaves no listener behind', async () => {
    const controller = new AbortController();
    const listeners = countListeners(controller.signal);
    const t0 = performance.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await waiting;
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(listeners()).toBe(0);

    // A wait that runs out removes its listener too.
    const other = new AbortController();
    const otherListeners = countListeners(other.signal);
    await sleep(5, other.signal);
    expect(otherListeners()).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('full jitter stays within [min/2, min·2^(attempt−1)] and the cap', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(5_000, 100 * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(attempt);
        expect(d).toBeGreaterThanOrEqual(50);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('equal jitter waits at least half the ceiling', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, { minMs: 200, maxMs: 10_000, jitter: 'equal' });
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it('grows with the attempt and spreads clients (not one fixed value)', () => {
    const mean = (attempt: number) => {
      let sum = 0;
      for (let i = 0; i < 2_000; i++) sum += backoffDelay(attempt, { minMs: 100, maxMs: 100_000 });
      return sum / 2_000;
    };
    expect(mean(5)).toBeGreaterThan(mean(2) * 3);
    expect(new Set(Array.from({ length: 50 }, () => backoffDelay(4))).size).toBeGreaterThan(10);
  });

  it('never overflows for huge attempt numbers', () => {
    expect(backoffDelay(10_000, { maxMs: 30_000 })).toBeLessThanOrEqual(30_000);
    expect(Number.isFinite(backoffDelay(10_000))).toBe(true);
  });
});
