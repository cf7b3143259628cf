import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockHeldError, SemaphoreFullError, acquireLock, createSemaphore, readKey } from '../src/index.js';
import { type TestConsul, startTestConsul } from './consul-target.js';

let t: TestConsul;
beforeEach(async () => {
  t = await startTestConsul();
});
afterEach(async () => {
  await t.close();
});

describe('acquireLock', () => {
  it('refuses a second holder with CONSUL_LOCK_HELD naming the current holder', async () => {
    const key = `${t.prefix}/rollout/prod/lock`;
    const lock = await acquireLock(t.consul, { key, holder: 'rollout by alice', ttl: '10s' });
    expect(lock.holder).toBe('rollout by alice');
    const entry = (await readKey(t.consul, key)).entry;
    expect(entry?.session).toBe(lock.sessionId);
    const error = await acquireLock(t.consul, { key, holder: 'rollout by bob', ttl: '10s' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect(error).toMatchObject({ code: 'CONSUL_LOCK_HELD', holder: 'rollout by alice' });
    expect((error as Error).message).toContain('rollout by alice');
    await lock.release();
    await lock.release(); // idempotent
    expect((await readKey(t.consul, key)).entry?.session).toBeUndefined();
    const again = await acquireLock(t.consul, { key, holder: 'rollout by bob', ttl: '10s' });
    expect(again.lost).toBe(false);
    await again.release();
  });

  it('waits for the holder when waitMs is given', async () => {
    const key = `${t.prefix}/wait/lock`;
    const first = await acquireLock(t.consul, { key, holder: 'first', ttl: '10s' });
    const second = acquireLock(t.consul, { key, holder: 'second', ttl: '10s', waitMs: 10_000 });
    setTimeout(() => void first.release(), 100);
    const lock = await second;
    expect(lock.holder).toBe('second');
    expect((await readKey(t.consul, key)).entry?.session).toBe(lock.sessionId);
    await lock.release();
  });

  it('fires onLost and aborts its signal when the session is invalidated', async () => {
    const key = `${t.prefix}/lost/lock`;
    const lock = await acquireLock(t.consul, { key, holder: 'me', ttl: '10s' });
    const reason = new Promise<string>((resolve) => lock.onLost(resolve));
    await t.consul.session.destroy(lock.sessionId);
    expect(await reason).toMatch(/taken over|deleted|expired/);
    expect(lock.lost).toBe(true);
    expect(lock.signal.aborted).toBe(true);
    await lock.release();
  });

  it('validates key, holder and ttl', async () => {
    await expect(acquireLock(t.consul, { key: '/abs', holder: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(acquireLock(t.consul, { key: 'k', holder: 'a\nb' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(acquireLock(t.consul, { key: 'k', holder: 'x', ttl: 'soon' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('createSemaphore', () => {
  it('admits up to N holders, names them when full, and frees a slot on release', async () => {
    const sem = createSemaphore(t.consul, { prefix: `${t.prefix}/sem`, limit: 2, ttl: '10s' });
    const a = await sem.acquire({ holder: 'node-a' });
    const b = await sem.acquire({ holder: 'node-b' });
    expect((await sem.holders()).sort()).toEqual(['node-a', 'node-b']);
    const error = await sem.acquire({ holder: 'node-c' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SemaphoreFullError);
    expect(error).toMatchObject({ code: 'CONSUL_SEMAPHORE_FULL' });
    expect((error as SemaphoreFullError).holders.sort()).toEqual(['node-a', 'node-b']);
    const waiting = sem.acquire({ holder: 'node-c', waitMs: 10_000 });
    await a.release();
    const c = await waiting;
    expect((await sem.holders()).sort()).toEqual(['node-b', 'node-c']);
    await b.release();
    await c.release();
    expect(await sem.holders()).toEqual([]);
  });

  it('reclaims the slot of a holder whose session died', async () => {
    const sem = createSemaphore(t.consul, { prefix: `${t.prefix}/sem2`, limit: 1, ttl: '10s' });
    const dead = await sem.acquire({ holder: 'crashed' });
    await t.consul.session.destroy(dead.sessionId);
    const next = await sem.acquire({ holder: 'survivor', waitMs: 5_000 });
    expect(await sem.holders()).toEqual(['survivor']);
    await next.release();
    await dead.release();
  });

  it('refuses contenders that disagree on the limit', async () => {
    const prefix = `${t.prefix}/sem3`;
    const one = await createSemaphore(t.consul, { prefix, limit: 1 }).acquire({ holder: 'a' });
    await expect(createSemaphore(t.consul, { prefix, limit: 3 }).acquire({ holder: 'b' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await one.release();
  });
});
