import { createIpamClient, type IpamClient, IpamHttpError, ipamOperations } from '@fleet/ipam';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIpamRoutes } from '../src/ipam-routes.js';
import { type Running, startServer } from './setup.js';

let running: Running;
let client: IpamClient;

beforeAll(async () => {
  running = await startServer();
  client = createIpamClient({ baseUrl: running.url, token: running.adminAuth.slice('Bearer '.length) });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await running?.stop();
});

/** Each `METHOD path` that registerIpamRoutes registers (HEAD is fastify's automatic twin of GET). */
async function registeredIpamRoutes(): Promise<string[]> {
  const app = Fastify();
  const out: string[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') out.push(`${method} ${route.url}`);
  });
  await registerIpamRoutes(
    app,
    running.server.ipam,
    async () => true,
    () => 'test',
  );
  await app.ready();
  await app.close();
  return out.sort();
}

describe('the IPAM HTTP contract', () => {
  it('lists every route registerIpamRoutes registers, and nothing else', async () => {
    const table = Object.values(ipamOperations)
      .map((op) => `${op.method} ${op.path}`)
      .sort();
    expect(await registeredIpamRoutes()).toEqual(table);
  });

  it('has every operation mounted on the running server', () => {
    for (const op of Object.values(ipamOperations)) {
      expect(running.server.app.hasRoute({ method: op.method, url: op.path }), `${op.method} ${op.path}`).toBe(true);
    }
  });
});

describe('createIpamClient against the real server', () => {
  it('creates and lists a pool, allocates and releases an address', async () => {
    const pool = await client.addPool({ name: 'h-ipamapi-lo', description: 'client test', defaultLengthV4: 32 });
    expect(pool.name).toBe('h-ipamapi-lo');
    await client.addPrefix({ prefix: '10.77.0.0/24', kind: 'assignment', pool: 'h-ipamapi-lo' });
    const pools = await client.listPools();
    const listed = pools.find((p) => p.name === 'h-ipamapi-lo');
    expect(listed?.usage).toBeDefined();

    const next = await client.nextFree({ pool: 'h-ipamapi-lo' });
    const got = await client.allocate({ what: 'address', pool: 'h-ipamapi-lo', node: 'n1', function: 'loopback' });
    expect(Array.isArray(got)).toBe(false);
    const prefix = (got as { prefix: string }).prefix;
    expect(prefix).toBe(next.next?.prefix);
    expect(prefix.startsWith('10.77.0.')).toBe(true);
    expect((await client.lookup(prefix.split('/')[0]!)).prefix).toBe(prefix);
    expect((await client.searchPrefixes({ node: 'n1' })).map((p) => p.prefix)).toContain(prefix);

    expect(await client.release({ prefix })).toEqual({ released: 1 });
    expect((await client.searchPrefixes({ node: 'n1' })).map((p) => p.prefix)).not.toContain(prefix);
    expect((await client.history({ limit: 10 })).length).toBeGreaterThan(0);
    expect(await client.exportPlan('csv')).toContain('10.77.0.0/24');
  });

  it('maps a 409 conflict to a typed error of kind conflict', async () => {
    await client.addPrefix({ prefix: '10.78.0.0/24', kind: 'reservation' });
    const error = await client.addPrefix({ prefix: '10.78.0.0/24', kind: 'reservation' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpamHttpError);
    const e = error as IpamHttpError;
    expect(e.status).toBe(409);
    expect(e.kind).toBe('conflict');
    expect(e.code).toMatch(/^IPAM_/);
    expect(e.retryable).toBe(false);
    expect(e.details.operation).toBe('addPrefix');
  });

  it('maps a 400 invalid body to a typed error of kind invalid', async () => {
    const error = await client.allocate({ what: 'address', pool: 'h-ipamapi-lo', count: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpamHttpError);
    const e = error as IpamHttpError;
    expect(e.status).toBe(400);
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toContain('count');
  });

  it('maps a missing address to not-found and bad credentials to unauthenticated', async () => {
    const missing = await client.lookup('192.0.2.1').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'IPAM_NOT_FOUND', status: 404, kind: 'not-found' });
    const anon = createIpamClient({ baseUrl: running.url, basic: { username: 'admin', password: 'wrong-password' } });
    try {
      const denied = await anon.listPools().catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(IpamHttpError);
      expect((denied as IpamHttpError).status).toBe(401);
      expect((denied as IpamHttpError).kind).toBe('unauthenticated');
      expect((denied as IpamHttpError).message).not.toContain('wrong-password');
    } finally {
      await anon.close();
    }
  });

  it('reports a server that does not answer as unavailable', async () => {
    const dead = createIpamClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 5_000 });
    try {
      const error = await dead.listPools().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'IPAM_UNREACHABLE', status: 0, kind: 'unavailable', retryable: true });
    } finally {
      await dead.close();
    }
  });
});
