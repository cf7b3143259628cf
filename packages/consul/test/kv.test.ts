import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CasConflictError,
  ConsulRequestError,
  ConsulValueError,
  casJson,
  createConsul,
  readJson,
  readKey,
  resolveConsulOptions,
  writeJson,
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

describe('resolveConsulOptions', () => {
  it('fills defaults and refuses bad fields with the field name', () => {
    expect(resolveConsulOptions({})).toMatchObject({ host: '127.0.0.1', port: 8500, secure: false, timeoutMs: 10_000 });
    expect(() => resolveConsulOptions({ port: 70000 })).toThrow(/port/);
    expect(() => resolveConsulOptions({ host: 'a b' })).toThrow(/host/);
    expect(() => resolveConsulOptions({ token: 'x\ny' })).toThrow(/token/);
  });
});

describe('JSON KV helpers', () => {
  it('writes and reads JSON with its ModifyIndex; absent keys read as undefined', async () => {
    const key = `${t.prefix}/state`;
    expect(await readJson(t.consul, key)).toBeUndefined();
    expect(await writeJson(t.consul, key, { done: ['n1'] })).toBe(true);
    const read = await readJson<{ done: string[] }>(t.consul, key);
    expect(read?.value).toEqual({ done: ['n1'] });
    expect(read?.modifyIndex).toBeGreaterThan(0);
    expect(await writeJson(t.consul, key, { done: [] }, { cas: read!.modifyIndex + 1000 })).toBe(false);
    expect(await writeJson(t.consul, key, { done: ['n1', 'n2'] }, { cas: read!.modifyIndex })).toBe(true);
  });

  it('validates on read and reports non-JSON values with CONSUL_BAD_VALUE', async () => {
    const key = `${t.prefix}/bad`;
    await writeKey(t.consul, key, 'not json');
    await expect(readJson(t.consul, key)).rejects.toBeInstanceOf(ConsulValueError);
    await writeJson(t.consul, key, { n: 'x' });
    const validate = (v: unknown) => {
      if (typeof (v as { n?: unknown }).n !== 'number') throw new Error('n must be a number');
      return v as { n: number };
    };
    await expect(readJson(t.consul, key, { validate })).rejects.toMatchObject({ code: 'CONSUL_BAD_VALUE' });
  });

  it('casJson serialises concurrent read-modify-write updates', async () => {
    const key = `${t.prefix}/counter`;
    await Promise.all(
      Array.from({ length: 8 }, () => casJson<number>(t.consul, key, (n) => (n ?? 0) + 1, { attempts: 100 })),
    );
    expect((await readJson<number>(t.consul, key))?.value).toBe(8);
    const unchanged = await casJson<number>(t.consul, key, () => undefined);
    expect(unchanged).toEqual({ value: 8, changed: false });
  });

  it('casJson gives up with CONSUL_CAS_CONFLICT when another writer always wins', async () => {
    const key = `${t.prefix}/contended`;
    await writeJson(t.consul, key, 0);
    let competing = 100;
    const error = await casJson<number>(
      t.consul,
      key,
      async (n) => {
        // A competing writer lands between our read and our CAS write, every time.
        await writeJson(t.consul, key, ++competing);
        return (n ?? 0) + 1;
      },
      { attempts: 3 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CasConflictError);
    expect(error).toMatchObject({ code: 'CONSUL_CAS_CONFLICT' });
    expect((await readJson<number>(t.consul, key))?.value).toBe(103);
  });

  it('blocking readKey returns the new value after a write', async () => {
    const key = `${t.prefix}/blocking`;
    await writeKey(t.consul, key, 'one');
    const first = await readKey(t.consul, key);
    const pending = readKey(t.consul, key, { index: first.index, waitMs: 10_000 });
    await writeKey(t.consul, key, 'two');
    const second = await pending;
    expect(second.entry?.value).toBe('two');
    expect(second.index).toBeGreaterThan(first.index);
  });

  it('turns transport failures into CONSUL_REQUEST_FAILED without leaking the token', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    const consul = createConsul({ port: 1, token: 'super-secret-token', timeoutMs: 2000 });
    const error = await readKey(consul, 'x').catch((e: unknown) => e);
    consul.destroy();
    expect(error).toBeInstanceOf(ConsulRequestError);
    expect((error as ConsulRequestError).code).toBe('CONSUL_REQUEST_FAILED');
    expect(String((error as Error).message)).not.toContain('super-secret-token');
  });
});

describe.skipIf(Boolean(process.env.CONSUL_HTTP_ADDR))('ACL token (double only)', () => {
  it('sends the token on every call', async () => {
    const secured = await startTestConsul({ aclToken: 'tok-1' });
    try {
      expect(await writeJson(secured.consul, 'a', 1)).toBe(true);
      const anonymous = createConsul({ port: secured.target.port });
      await expect(readKey(anonymous, 'a')).rejects.toMatchObject({ status: 403 });
      anonymous.destroy();
    } finally {
      await secured.close();
    }
  });
});
