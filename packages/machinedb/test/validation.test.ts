import { type OperationId, operations } from '@fleet/machinedb-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMachineDbApp, createSqliteStore, type MachineDbApp } from '../src/index.js';
import { SERVER_KEY, sampleInventory, testAllocator } from './support.js';

interface Bad {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** The field the 400 must name. */
  field: string;
}

describe('bad input is a 400 naming the field, on every endpoint', () => {
  let server: MachineDbApp;
  let admin = '';
  let nodeToken = '';
  let nodeId = '';

  beforeAll(async () => {
    server = await createMachineDbApp({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
      bodyLimit: 64 * 1024,
      sweepIntervalMs: 0,
    });
    await server.machineDb.ensureUser({ username: 'root', password: 'root-password-1', role: 'admin' });
    admin = (await server.machineDb.login('root', 'root-password-1')).token;
    const enrolled = await server.machineDb.submitInventory(sampleInventory(1), { kind: 'enrol' });
    nodeId = enrolled.nodeId;
    nodeToken = enrolled.token ?? '';
  });
  afterAll(async () => server?.close());

  const inv = sampleInventory(9);
  const cases = (): Record<Exclude<OperationId, 'getOpenApi' | 'whoami'>, Bad[]> => ({
    login: [
      { method: 'POST', url: '/api/v1/auth/login', body: { username: 'root' }, field: 'body.password' },
      {
        method: 'POST',
        url: '/api/v1/auth/login',
        body: { username: 'root', password: 'x', otp: 1 },
        field: 'body.otp',
      },
    ],
    listUsers: [
      { method: 'GET', url: '/api/v1/users?limit=0', field: 'query.limit' },
      { method: 'GET', url: '/api/v1/users?sort=name', field: 'query.sort' },
    ],
    createUser: [
      {
        method: 'POST',
        url: '/api/v1/users',
        body: { username: 'ann', password: 'short', role: 'admin' },
        field: 'body.password',
      },
      {
        method: 'POST',
        url: '/api/v1/users',
        body: { username: 'ann', password: 'long-enough', role: 'root' },
        field: 'body.role',
      },
      {
        method: 'POST',
        url: '/api/v1/users',
        body: { username: 'Ann Smith', password: 'long-enough', role: 'admin' },
        field: 'body.username',
      },
    ],
    deleteUser: [{ method: 'DELETE', url: '/api/v1/users/Bad%20Name', field: 'params.username' }],
    listTokens: [{ method: 'GET', url: '/api/v1/tokens?limit=abc', field: 'query.limit' }],
    createToken: [
      { method: 'POST', url: '/api/v1/tokens', body: { name: 'ci', role: 'node' }, field: 'body.role' },
      {
        method: 'POST',
        url: '/api/v1/tokens',
        body: { name: 'ci', role: 'viewer', expiresInSeconds: 1 },
        field: 'body.expiresInSeconds',
      },
    ],
    revokeToken: [{ method: 'DELETE', url: '/api/v1/tokens/NOT-OK', field: 'params.tokenId' }],
    listNodes: [
      { method: 'GET', url: '/api/v1/nodes?state=bogus', field: 'query.state' },
      { method: 'GET', url: '/api/v1/nodes?mac=zz', field: 'query.mac' },
      { method: 'GET', url: '/api/v1/nodes?cursor=%2F%2F', field: 'cursor' },
      { method: 'GET', url: '/api/v1/nodes?limit=100000', field: 'query.limit' },
    ],
    getNode: [{ method: 'GET', url: '/api/v1/nodes/BAD%20ID', field: 'params.nodeId' }],
    updateNode: [
      { method: 'PATCH', url: `/api/v1/nodes/${nodeId}`, body: { location: { site: 'a' } }, field: 'body.location' },
      { method: 'PATCH', url: `/api/v1/nodes/${nodeId}`, body: { colour: 'red' }, field: 'body.colour' },
      { method: 'PATCH', url: `/api/v1/nodes/${nodeId}`, body: { hostname: 'bad_host' }, field: 'body.hostname' },
      {
        method: 'PATCH',
        url: `/api/v1/nodes/${nodeId}`,
        body: { systemDisk: { byId: '/dev/sda' } },
        field: 'body.systemDisk',
      },
      { method: 'PATCH', url: `/api/v1/nodes/${nodeId}`, body: { groups: ['web', 'web'] }, field: 'body.groups' },
    ],
    resetNodeIdentity: [
      { method: 'POST', url: `/api/v1/nodes/${nodeId}/identity-reset`, body: {}, field: 'body.reason' },
      {
        method: 'POST',
        url: `/api/v1/nodes/${nodeId}/identity-reset`,
        body: { reason: 7 },
        field: 'body.reason',
      },
    ],
    getNodeBmcCredentials: [{ method: 'GET', url: '/api/v1/nodes/BAD%20ID/bmc-credentials', field: 'params.nodeId' }],
    transitionNode: [
      {
        method: 'POST',
        url: `/api/v1/nodes/${nodeId}/transition`,
        body: { to: 'bogus', reason: 'x' },
        field: 'body.to',
      },
      { method: 'POST', url: `/api/v1/nodes/${nodeId}/transition`, body: { to: 'maintenance' }, field: 'body.reason' },
    ],
    listNodeHistory: [{ method: 'GET', url: `/api/v1/nodes/${nodeId}/history?limit=5000`, field: 'query.limit' }],
    listHistory: [{ method: 'GET', url: '/api/v1/history?nodeId=..%2Fx', field: 'query.nodeId' }],
    submitInventory: [
      { method: 'POST', url: '/api/v1/inventory', body: { ...inv, nics: [] }, field: 'body.nics' },
      {
        method: 'POST',
        url: '/api/v1/inventory',
        body: { ...inv, nics: [{ name: 'eth0', mac: 'nope' }] },
        field: 'body.nics.0.mac',
      },
      { method: 'POST', url: '/api/v1/inventory', body: { ...inv, systemUuid: 'x' }, field: 'body.systemUuid' },
      { method: 'POST', url: '/api/v1/inventory', body: { ...inv, rootPassword: 'x' }, field: 'body.rootPassword' },
      {
        method: 'POST',
        url: '/api/v1/inventory',
        body: { ...inv, disks: [{ ...inv.disks[0], byId: ['/dev/sda'] }] },
        field: 'body.disks.0.byId.0',
      },
      { method: 'POST', url: '/api/v1/inventory', body: { ...inv, serial: 'a\nb' }, field: 'body.serial' },
    ],
    getNodeConfig: [{ method: 'GET', url: '/api/v1/nodes/BAD!/config', field: 'params.nodeId' }],
    reportNodeEvent: [
      { method: 'POST', url: `/api/v1/nodes/${nodeId}/events`, body: { type: 'exploded' }, field: 'body.type' },
      { method: 'POST', url: `/api/v1/nodes/${nodeId}/events`, body: { type: 'failed' }, field: 'reason' },
    ],
    getBootTarget: [{ method: 'GET', url: '/api/v1/boot-targets/not-a-mac', field: 'params.mac' }],
    exportAnsibleInventory: [{ method: 'GET', url: '/api/v1/export/ansible?state=bogus', field: 'query.state' }],
  });

  it('covers every operation that takes input', () => {
    const withInput = (Object.keys(operations) as OperationId[]).filter((id) => {
      const op = operations[id] as { params?: unknown; query?: unknown; body?: unknown };
      return op.params || op.query || op.body;
    });
    expect(Object.keys(cases()).sort()).toEqual(withInput.sort());
  });

  it('answers each bad request with 400 VALIDATION_FAILED and the field', async () => {
    for (const [op, list] of Object.entries(cases())) {
      for (const bad of list) {
        const token = op === 'reportNodeEvent' || op === 'getNodeConfig' ? nodeToken : admin;
        const res = await server.app.inject({
          method: bad.method,
          url: bad.url,
          headers: { authorization: `Bearer ${token}`, 'if-match': '*' },
          ...(bad.body !== undefined ? { payload: bad.body as object } : {}),
        });
        const body = res.json() as { code: string; message: string; details: { field?: string } };
        expect(res.statusCode, `${op} ${bad.url} ${res.body}`).toBe(400);
        expect(body.code).toBe('VALIDATION_FAILED');
        expect(body.details.field, `${op} ${res.body}`).toBe(bad.field);
        expect(body.message).toContain(bad.field);
      }
    }
  });

  it('refuses oversized bodies (413), non-JSON bodies (415), broken JSON (400), unknown routes (404), all as JSON', async () => {
    const big = await server.app.inject({
      method: 'POST',
      url: '/api/v1/inventory',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...inv, notes: ['x'.repeat(70 * 1024)] }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
    const form = await server.app.inject({
      method: 'POST',
      url: '/api/v1/inventory',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(form.statusCode).toBe(415);
    expect(form.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const broken = await server.app.inject({
      method: 'POST',
      url: '/api/v1/inventory',
      headers: { 'content-type': 'application/json' },
      payload: '{"systemUuid":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body' } });
    const missing = await server.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    const noNode = await server.app.inject({
      method: 'GET',
      url: '/api/v1/nodes/n404',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(noNode.statusCode).toBe(404);
    expect(noNode.json()).toMatchObject({ code: 'NODE_NOT_FOUND', details: { nodeId: 'n404' } });
    const badEtag = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/nodes/${nodeId}`,
      headers: { authorization: `Bearer ${admin}`, 'if-match': 'yesterday' },
      payload: { tags: ['a'] },
    });
    expect(badEtag.statusCode).toBe(400);
    expect(badEtag.json()).toMatchObject({ details: { field: 'If-Match' } });
  });

  it('serves the OpenAPI document without credentials', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ openapi: '3.1.0' });
  });
});
