import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MachineDbError,
  createMachineDbClient,
  operationList,
  operations,
  resolveMachineDbClientOptions,
} from '../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function stub(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the client covers the API one to one', () => {
  it('has a method named after every operation of the contract', () => {
    const client = createMachineDbClient({ baseUrl: 'http://127.0.0.1:1' });
    const missing = operationList
      .map((op) => op.id)
      .filter((id) => typeof (client as unknown as Record<string, unknown>)[id] !== 'function');
    expect(missing).toEqual([]);
    expect(operationList.length).toBe(Object.keys(operations).length);
  });

  it('has an iterator for every paginated list operation', () => {
    const client = createMachineDbClient({ baseUrl: 'http://127.0.0.1:1' }) as unknown as Record<string, unknown>;
    const paginated = operationList.filter((op) => JSON.stringify(op.response).includes('nextCursor'));
    const iterators: Record<string, string> = {
      listNodes: 'iterateNodes',
      listHistory: 'iterateHistory',
      listNodeHistory: 'iterateNodeHistory',
      listUsers: 'iterateUsers',
      listTokens: 'iterateTokens',
    };
    expect(paginated.map((op) => op.id).filter((id) => typeof client[iterators[id] ?? `missing:${id}`] !== 'function')).toEqual([]);
  });
});

describe('resolveMachineDbClientOptions', () => {
  it('fills defaults and names bad fields', () => {
    expect(resolveMachineDbClientOptions({ baseUrl: 'http://a:1' })).toMatchObject({ timeoutMs: 10_000, retries: 3 });
    expect(() => resolveMachineDbClientOptions({ baseUrl: 'nope' })).toThrow(/baseUrl/);
    expect(() => resolveMachineDbClientOptions({ baseUrl: 'ftp://a' })).toThrow(/http/);
    expect(() => resolveMachineDbClientOptions({ baseUrl: 'http://u:p@a' })).toThrow(/credentials/);
    expect(() => resolveMachineDbClientOptions({ baseUrl: 'http://a', token: 'a b' })).toThrow(/token/);
    expect(() => resolveMachineDbClientOptions({ baseUrl: 'http://a', retries: -1 })).toThrow(/retries/);
  });
});

describe('transport behaviour (stub server)', () => {
  it('retries idempotent calls on 503 with backoff, never non-idempotent ones', async () => {
    let hits = 0;
    const url = await stub((req, res) => {
      hits += 1;
      if (hits < 3 && req.method === 'GET') {
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ code: 'INTERNAL', message: 'restarting', details: {} }));
      }
      if (req.method === 'POST') {
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ code: 'INTERNAL', message: 'restarting', details: {} }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'x', role: 'admin', source: 'token', nodeId: null }));
    });
    const client = createMachineDbClient({ baseUrl: url, token: 't0ken', retries: 3, retryBaseMs: 5 });
    expect(await client.whoami()).toMatchObject({ role: 'admin' });
    expect(hits).toBe(3);
    hits = 10;
    const before = hits;
    const error = await client.createUser({ username: 'bob', password: 'long-enough', role: 'viewer' }).catch((e: unknown) => e);
    expect(hits - before).toBe(1);
    expect(error).toMatchObject({ code: 'INTERNAL', status: 503, operation: 'createUser', kind: 'unavailable', retryable: true });
    await client.close();
  });

  it('retries an idempotent call only when the error says retryable: a 409 or 404 is answered once', async () => {
    let hits = 0;
    const url = await stub((req, res) => {
      hits += 1;
      const [status, code] = req.url?.includes('whoami') ? [409, 'CONFLICT'] : [404, 'NODE_NOT_FOUND'];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code, message: 'no', details: {} }));
    });
    const client = createMachineDbClient({ baseUrl: url, token: 't0ken', retries: 3, retryBaseMs: 1 });
    await expect(client.whoami()).rejects.toMatchObject({ status: 409, kind: 'conflict', retryable: false });
    expect(hits).toBe(1);
    await expect(client.getNode('n1')).rejects.toMatchObject({ status: 404, kind: 'not-found', retryable: false });
    expect(hits).toBe(2);
    await client.close();
  });

  it("waits at least the server's Retry-After before retrying a 503, and hands it to the caller", async () => {
    const seen: number[] = [];
    const url = await stub((req, res) => {
      seen.push(Date.now());
      if (seen.length === 1 || req.method === 'POST') {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        return res.end(JSON.stringify({ code: 'DATABASE_UNAVAILABLE', message: 'database away', details: {} }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'x', role: 'admin', source: 'token', nodeId: null }));
    });
    // A 1 ms base delay: without Retry-After the retry would follow at once.
    const client = createMachineDbClient({ baseUrl: url, token: 't0ken', retries: 2, retryBaseMs: 1 });
    expect(await client.whoami()).toMatchObject({ role: 'admin' });
    expect(seen).toHaveLength(2);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(950);
    const error = await client.createUser({ username: 'bob', password: 'long-enough', role: 'viewer' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, details: { retryAfterMs: 1000 } });
    await client.close();
  });

  it('times out a silent server with MACHINEDB_TIMEOUT and never puts the token in messages', async () => {
    const url = await stub(() => {
      /* never answers */
    });
    const client = createMachineDbClient({ baseUrl: url, token: 'very-secret-token', timeoutMs: 100, retries: 1, retryBaseMs: 5 });
    const error = (await client.whoami().catch((e: unknown) => e)) as MachineDbError;
    expect(error).toBeInstanceOf(MachineDbError);
    expect(error.code).toBe('MACHINEDB_TIMEOUT');
    expect([error.kind, error.retryable]).toEqual(['unavailable', true]);
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('very-secret-token');
    await client.close();
  });

  it('reports an unreachable server, a non-JSON body and an off-contract body distinctly', async () => {
    const dead = createMachineDbClient({ baseUrl: 'http://127.0.0.1:1', retries: 0 });
    await expect(dead.whoami()).rejects.toMatchObject({
      code: 'MACHINEDB_UNREACHABLE',
      status: 0,
      kind: 'unavailable',
      retryable: true,
    });
    await dead.close();
    await expect(dead.whoami()).rejects.toMatchObject({ code: 'MACHINEDB_CLOSED', kind: 'internal', retryable: false });
    const url = await stub((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url?.includes('whoami') ? '{"name":"x","role":"root"}' : 'not json');
    });
    const client = createMachineDbClient({ baseUrl: url, retries: 0 });
    await expect(client.whoami()).rejects.toMatchObject({ code: 'MACHINEDB_BAD_RESPONSE', kind: 'internal', retryable: false });
    await expect(client.getBootTarget('aa:bb:cc:dd:ee:ff')).rejects.toMatchObject({ code: 'MACHINEDB_BAD_RESPONSE' });
    await client.close();
  });

  it('uses a passed-in dispatcher, sends the bearer token and If-Match, and encodes path parameters', async () => {
    const seen: Array<{ url?: string; auth?: string; ifMatch?: string }> = [];
    const url = await stub((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization, ifMatch: req.headers['if-match'] as string | undefined });
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'NODE_NOT_FOUND', message: 'node "x" does not exist', details: { id: 'x' } }));
    });
    let dispatched = 0;
    const agent = new Agent().compose((dispatch) => (opts, handler) => {
      dispatched += 1;
      return dispatch(opts, handler);
    });
    const client = createMachineDbClient({ baseUrl: `${url}/prefix/`, token: 'abc', dispatcher: agent });
    const error = await client.updateNode('n-1', { tags: ['a'] }, { version: 7 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NODE_NOT_FOUND', status: 404 });
    expect((error as Error).message).toContain('node "x" does not exist');
    expect(seen[0]).toEqual({ url: '/prefix/api/v1/nodes/n-1', auth: 'Bearer abc', ifMatch: '"7"' });
    await client.withToken('other').getNode('a b').catch(() => undefined);
    expect(seen[1]).toMatchObject({ url: '/prefix/api/v1/nodes/a%20b', auth: 'Bearer other' });
    expect(dispatched).toBe(2);
    await client.close();
    await agent.close();
  });
});
