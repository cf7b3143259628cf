import { describe, expect, it } from 'vitest';
import { backoffDelay, sleep } from '../src/index.js';

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
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    const t0 = performance.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await waiting;
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(listeners).toBe(0);

    // A wait that runs out removes its listener too.
    const other = new AbortController();
    let otherListeners = 0;
    const otherAdd = other.signal.addEventListener.bind(other.signal);
    const otherRemove = other.signal.removeEventListener.bind(other.signal);
    other.signal.addEventListener = ((...args: Parameters<typeof otherAdd>) => {
      otherListeners++;
      otherAdd(...args);
    }) as typeof otherAdd;
    other.signal.removeEventListener = ((...args: Parameters<typeof otherRemove>) => {
      otherListeners--;
      otherRemove(...args);
    }) as typeof otherRemove;
    await sleep(5, other.signal);
    expect(otherListeners).toBe(0);
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
