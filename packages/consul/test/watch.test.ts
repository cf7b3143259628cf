import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type KvEntry,
  backoffDelay,
  clearHalt,
  deleteKey,
  parseHalt,
  setHalt,
  watchHalt,
  watchKey,
  writeKey,
} from '../src/index.js';
import { type TestConsul, startTestConsul } from './consul-target.js';

let t: TestConsul;
beforeEach(async () => {
  t = await startTestConsul();
});
afterEach(async () => {
  await t.close();
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} not seen within ${ms} ms`)), ms)),
  ]);
}

describe('watchKey', () => {
  it('reports the current value, then each change, then stops on abort', async () => {
    const key = `${t.prefix}/watched`;
    const seen: Array<string | null | undefined> = [];
    const controller = new AbortController();
    let notify: () => void = () => {};
    const next = () => new Promise<void>((r) => (notify = r));
    let wait = next();
    const done = watchKey(t.consul, key, {
      signal: controller.signal,
      waitMs: 30_000,
      onChange: (entry: KvEntry | undefined) => {
        seen.push(entry === undefined ? undefined : entry.value);
        notify();
      },
    });
    await wait;
    wait = next();
    await writeKey(t.consul, key, 'a');
    await wait;
    wait = next();
    await writeKey(t.consul, `${t.prefix}/unrelated`, 'x');
    await writeKey(t.consul, key, 'b');
    await wait;
    wait = next();
    await deleteKey(t.consul, key);
    await wait;
    controller.abort();
    await done;
    expect(seen).toEqual([undefined, 'a', 'b', undefined]);
  });

  it.skipIf(Boolean(process.env.CONSUL_HTTP_ADDR))('uses blocking queries, and reconnects with backoff after an outage', async () => {
    const double = t.target.double!;
    const key = `${t.prefix}/outage`;
    const values: Array<string | null | undefined> = [];
    const errors: number[] = [];
    const controller = new AbortController();
    let notify: () => void = () => {};
    let wait = new Promise<void>((r) => (notify = r));
    const done = watchKey(t.consul, key, {
      signal: controller.signal,
      waitMs: 30_000,
      backoff: { minMs: 20, maxMs: 100 },
      onError: (_e, attempt) => errors.push(attempt),
      onChange: (entry) => {
        values.push(entry?.value);
        notify();
      },
    });
    await wait;
    const mine = () => double.requests.filter((r) => decodeURIComponent(r.path) === `/v1/kv/${key}`);
    // Let the first blocking request reach the double before counting.
    await within(
      (async () => {
        while (!mine().some((r) => r.query.index !== undefined)) await new Promise((r) => setTimeout(r, 10));
      })(),
      5000,
      'first blocking request',
    );
    const before = mine().length;
    expect(before).toBe(2); // one plain read, one blocking read
    await new Promise((r) => setTimeout(r, 200));
    // Idle for 200 ms: a poller would have sent many requests; a blocking watch sends none.
    expect(mine().length).toBe(before);
    expect(mine().at(-1)?.query.wait).toBe('30000ms');
    await double.suspend();
    await new Promise((r) => setTimeout(r, 150));
    await double.resume();
    wait = new Promise<void>((r) => (notify = r));
    await writeKey(t.consul, key, 'after-outage');
    await within(wait, 5000, 'change after reconnect');
    controller.abort();
    await done;
    expect(errors.length).toBeGreaterThan(0);
    expect(values).toEqual([undefined, 'after-outage']);
  });
});

describe('watchHalt', () => {
  it('resolves as soon as the halt key is set, with the reason', async () => {
    const key = `${t.prefix}/rollout/prod/halt`;
    const onHalt: string[] = [];
    const watch = watchHalt(t.consul, key, { onHalt: (s) => onHalt.push(s.reason) });
    await new Promise((r) => setTimeout(r, 50));
    expect(watch.current()).toBeUndefined();
    await setHalt(t.consul, key, 'disk alarms on rack r12', 'alice');
    // The watch holds a 60 s blocking query; only a server-side wake-up can make this finish in time.
    const state = await within(watch.halted, 2000, 'halt');
    expect(state).toMatchObject({ key, reason: 'disk alarms on rack r12' });
    expect(onHalt).toEqual(['disk alarms on rack r12']);
    watch.stop();
    await clearHalt(t.consul, key);
  });

  it('is halted at once when the key is already set; stop() settles with undefined otherwise', async () => {
    const key = `${t.prefix}/halt2`;
    await writeKey(t.consul, key, 'maintenance');
    const watch = watchHalt(t.consul, key);
    expect((await watch.halted)?.reason).toBe('maintenance');
    watch.stop();
    const idle = watchHalt(t.consul, `${t.prefix}/never`);
    idle.stop();
    expect(await idle.halted).toBeUndefined();
  });

  it('treats empty, 0 and false as not halted', () => {
    const entry = (value: string | null) => ({ key: 'k', value, flags: 0, createIndex: 1, modifyIndex: 2, lockIndex: 0 });
    expect(parseHalt(undefined)).toBeUndefined();
    for (const v of [null, '', '0', 'false', ' false ']) expect(parseHalt(entry(v))).toBeUndefined();
    expect(parseHalt(entry('{"reason":"x"}'))?.reason).toBe('x');
    expect(parseHalt(entry('true'))?.reason).toBe('true');
  });

  it('rejects multi-line reasons', async () => {
    await expect(setHalt(t.consul, `${t.prefix}/h`, 'a\nb')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('backoffDelay', () => {
  it('stays within [min/2, max] and grows its ceiling with attempts', () => {
    for (let attempt = 1; attempt < 20; attempt++) {
      const d = backoffDelay(attempt, { minMs: 100, maxMs: 1000 });
      expect(d).toBeGreaterThanOrEqual(50);
      expect(d).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** (attempt - 1)));
    }
  });
});
