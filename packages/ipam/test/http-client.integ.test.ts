import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Static } from '@sinclair/typebox';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createIpamClient,
  type HistoryEntry,
  type IpamClient,
  type IpamHistoryEntrySchema,
  IpamHttpError,
  type IpamPoolSchema,
  type IpamPoolWithUsage,
  type IpamPoolWithUsageSchema,
  type IpamPrefixSchema,
  type IpamTransferNetSchema,
  type Pool,
  type Prefix,
  type TransferNet,
} from '../src/index.js';

// The response schemas say what the types say (checked by `pnpm --filter @fleet/ipam typecheck`).
expectTypeOf<Static<typeof IpamPrefixSchema>>().toEqualTypeOf<Prefix>();
expectTypeOf<Static<typeof IpamPoolSchema>>().toEqualTypeOf<Pool>();
expectTypeOf<Static<typeof IpamPoolWithUsageSchema>>().toMatchTypeOf<IpamPoolWithUsage>();
expectTypeOf<Static<typeof IpamTransferNetSchema>>().toEqualTypeOf<TransferNet>();
expectTypeOf<Omit<Static<typeof IpamHistoryEntrySchema>, 'action'>>().toEqualTypeOf<Omit<HistoryEntry, 'action'>>();

// A real HTTP server in the test answers each request from a script, so the client's retries, its reading of
// error answers and its checking of success answers run over real sockets.
type Answer = (req: IncomingMessage, res: ServerResponse) => void;

const prefix: Prefix = {
  id: 1,
  vrf: 'default',
  prefix: '10.0.0.0/24',
  family: 4,
  length: 24,
  kind: 'assignment',
  parentId: null,
  description: '',
  function: '',
  status: 'active',
  tags: [],
  node: null,
  expiresAt: null,
  pool: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'admin',
};

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const unavailable = (headers: Record<string, string> = {}) =>
  json(503, { code: 'DATABASE_UNAVAILABLE', message: 'the database is away', details: {} }, headers);

describe('IPAM HTTP client against a scripted HTTP server', () => {
  let server: Server;
  let baseUrl: string;
  let script: Answer[] = [];
  let seen: string[] = [];
  let client: IpamClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        const answer = script.shift() ?? json(500, { code: 'SCRIPT_EMPTY', message: 'no answer scripted' });
        answer(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(async () => {
    await client?.close();
    script = [];
    seen = [];
  });
  const connect = (options: { retries?: number; validateResponses?: boolean } = {}) => {
    client = createIpamClient({ baseUrl, token: 't0ken', retryBaseMs: 1, ...options });
    return client;
  };

  it('retries an idempotent request after 503 and returns the answer that follows', async () => {
    script = [unavailable(), unavailable(), json(200, [prefix])];
    await expect(connect().listPrefixes()).resolves.toEqual([prefix]);
    expect(seen).toEqual(Array(3).fill('GET /api/v1/ipam/prefixes'));
  });

  it('retries after a connection that breaks without an answer', async () => {
    script = [(req) => req.socket.destroy(), json(200, prefix)];
    await expect(connect().lookup('10.0.0.1')).resolves.toEqual(prefix);
    expect(seen).toEqual(Array(2).fill('GET /api/v1/ipam/lookup/10.0.0.1'));
  });

  it('waits at least as long as Retry-After asks before the next attempt', async () => {
    script = [json(429, { code: 'SLOW_DOWN', message: 'later' }, { 'retry-after': '1' }), json(200, [])];
    const started = performance.now();
    await expect(connect().history()).resolves.toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(seen).toHaveLength(2);
  });

  it('does not sit out a long Retry-After on its own: a 429 asking for minutes is thrown at once', async () => {
    script = [json(429, { code: 'TOO_MANY_REQUESTS', message: 'wait' }, { 'retry-after': '120' })];
    const error = await connect()
      .listPools()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpamHttpError);
    expect(error).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429, kind: 'unavailable', retryable: false });
    expect((error as IpamHttpError).details.retryAfterMs).toBe(120_000);
    expect(seen).toHaveLength(1);
  });

  it('never repeats an operation the contract does not mark idempotent', async () => {
    script = [unavailable()];
    const error = await connect()
      .allocate({ what: 'address', pool: 'bmc' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, retryable: true });
    expect(seen).toEqual(['POST /api/v1/ipam/allocate']);
  });

  it('gives up after its retries with the last answer as a typed error', async () => {
    script = [unavailable(), unavailable(), unavailable({ 'retry-after': '0' })];
    const error = await connect({ retries: 2 })
      .nextFree()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpamHttpError);
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', kind: 'unavailable', operation: 'nextFree' });
    expect(seen).toHaveLength(3);
  });

  it("reads an error answer's code, kind and details the shared way, without retrying", async () => {
    script = [
      json(409, { code: 'IPAM_CONFLICT', message: 'overlaps 10.0.0.0/24', details: { prefix: '10.0.0.0/24' } }),
    ];
    const error = await connect()
      .listPrefixes()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'IPAM_CONFLICT',
      message: 'overlaps 10.0.0.0/24',
      kind: 'conflict',
      retryable: false,
      details: { prefix: '10.0.0.0/24', operation: 'listPrefixes', status: 409, method: 'GET' },
    });
    expect(seen).toHaveLength(1);
  });

  it('refuses a success answer that does not match the contract with IPAM_BAD_RESPONSE', async () => {
    script = [json(200, [{ ...prefix, family: '4', tags: 'none' }])];
    const error = await connect()
      .listPrefixes()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpamHttpError);
    expect(error).toMatchObject({ code: 'IPAM_BAD_RESPONSE', kind: 'internal', retryable: false });
    expect((error as Error).message).toMatch(/listPrefixes .* does not match the contract at \/0\/(family|tags)/);

    script = [json(201, { removed: 'all' })];
    await expect(connect().removePrefix(3)).rejects.toMatchObject({
      code: 'IPAM_BAD_RESPONSE',
      details: { at: '/removed' },
    });

    script = [(_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"next": ')];
    await expect(connect().nextFree()).rejects.toMatchObject({
      code: 'IPAM_BAD_RESPONSE',
      message: expect.stringContaining('not JSON'),
    });
  });

  it('accepts every answer shape of allocate, and hands back unchecked bodies when validation is off', async () => {
    const transfer = { net: { ...prefix, prefix: '10.0.9.0/31', length: 31 }, a: '10.0.9.0', b: '10.0.9.1' };
    script = [json(201, prefix), json(201, [prefix, prefix]), json(201, transfer)];
    const c = connect();
    await expect(c.allocate({ what: 'address', pool: 'p' })).resolves.toEqual(prefix);
    await expect(c.allocate({ what: 'address', pool: 'p', count: 2 })).resolves.toEqual([prefix, prefix]);
    await expect(c.allocate({ what: 'transfer', pool: 'p' })).resolves.toEqual(transfer);

    script = [json(200, { surprise: true })];
    await expect(connect({ validateResponses: false }).listPools()).resolves.toEqual({ surprise: true });
  });
});
