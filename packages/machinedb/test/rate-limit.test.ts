import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../src/index.js';

describe('LoginLimiter', () => {
  it('allows the free failures, then locks the key with doubling backoff up to the cap', () => {
    let now = 0;
    const limiter = new LoginLimiter({ freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 4000, now: () => now });
    const keys = ['user:alice', 'addr:10.0.0.7'];
    limiter.failed(keys);
    limiter.failed(keys);
    expect(() => limiter.check(keys)).not.toThrow();
    limiter.failed(keys);
    expect(() => limiter.check(['user:alice'])).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_REQUESTS', status: 429, details: { retryAfterSeconds: 1 } }),
    );
    // Another user from the same address is locked too; the same user from elsewhere as well.
    expect(() => limiter.check(['user:bob', 'addr:10.0.0.7'])).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_REQUESTS' }),
    );
    expect(() => limiter.check(['user:bob', 'addr:10.0.0.8'])).not.toThrow();
    now += 1001;
    expect(() => limiter.check(keys)).not.toThrow();
    limiter.failed(keys);
    expect(() => limiter.check(keys)).toThrow(expect.objectContaining({ details: { retryAfterSeconds: 2 } }));
    for (let i = 0; i < 10; i++) limiter.failed(keys);
    expect(() => limiter.check(keys)).toThrow(expect.objectContaining({ details: { retryAfterSeconds: 4 } }));
    // A success clears the user, not the address.
    now += 5000;
    limiter.succeeded('user:alice');
    limiter.failed(['addr:10.0.0.7']);
    expect(() => limiter.check(['user:alice'])).not.toThrow();
    expect(() => limiter.check(['addr:10.0.0.7'])).toThrow(expect.objectContaining({ code: 'TOO_MANY_REQUESTS' }));
  });
});
