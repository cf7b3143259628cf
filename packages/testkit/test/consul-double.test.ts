import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsulDouble, federateConsulDoubles, startConsulDouble } from '../src/index.js';

let consul: ConsulDouble;
const extra: ConsulDouble[] = [];

beforeEach(async () => {
  consul = await startConsulDouble({ datacenter: 'lab', nodeName: 'agent1', sessionTtlMinMs: 100, sessionTtlMultiplier: 1 });
});
afterEach(async () => {
  await consul.close();
  for (const d of extra.splice(0)) await d.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${consul.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, index: Number(res.headers.get('x-consul-index') ?? 'NaN') };
}

describe('Consul test double: KV', () => {
  it('stores values as base64 with Create/Modify/Lock indexes and answers 404 with an index', async () => {
    const missing = await call('GET', '/v1/kv/app/config');
    expect(missing.status).toBe(404);
    expect(missing.index).toBeGreaterThan(0);
    expect((await call('PUT', '/v1/kv/app/config?flags=42', 'hello')).json).toBe(true);
    const got = await call('GET', '/v1/kv/app/config');
    expect(got.status).toBe(200);
    const [entry] = got.json as Array<Record<string, unknown>>;
    expect(entry).toMatchObject({ Key: 'app/config', Flags: 42, LockIndex: 0, Value: Buffer.from('hello').toString('base64') });
    expect(entry?.CreateIndex).toBe(entry?.ModifyIndex);
    expect(got.index).toBe(entry?.ModifyIndex);
    await call('PUT', '/v1/kv/app/config', 'again');
    const [after] = (await call('GET', '/v1/kv/app/config')).json as Array<Record<string, number>>;
    expect(after?.ModifyIndex).toBeGreaterThan(entry?.ModifyIndex as number);
    expect(after?.CreateIndex).toBe(entry?.CreateIndex);
    expect(after?.Flags).toBe(0);
    expect((await call('GET', '/v1/kv/app/config?raw')).text).toBe('again');
  });

  it('lists recursively, lists keys with a separator, and deletes a prefix', async () => {
    for (const k of ['a/1', 'a/2', 'a/b/3', 'c']) await call('PUT', `/v1/kv/${k}`, k);
    const rec = await call('GET', '/v1/kv/a/?recurse');
    expect((rec.json as Array<{ Key: string }>).map((e) => e.Key)).toEqual(['a/1', 'a/2', 'a/b/3']);
    expect((await call('GET', '/v1/kv/a/?keys&separator=/')).json).toEqual(['a/1', 'a/2', 'a/b/']);
    expect((await call('GET', '/v1/kv/?keys')).json).toEqual(['a/1', 'a/2', 'a/b/3', 'c']);
    expect((await call('DELETE', '/v1/kv/a/?recurse')).json).toBe(true);
    expect((await call('GET', '/v1/kv/a/?recurse')).status).toBe(404);
    expect((await call('GET', '/v1/kv/c')).status).toBe(200);
  });

  it('check-and-set: cas=0 creates only, cas=N updates only at that ModifyIndex', async () => {
    expect((await call('PUT', '/v1/kv/k?cas=0', 'one')).json).toBe(true);
    expect((await call('PUT', '/v1/kv/k?cas=0', 'two')).json).toBe(false);
    const [e] = (await call('GET', '/v1/kv/k')).json as Array<{ ModifyIndex: number }>;
    expect((await call('PUT', `/v1/kv/k?cas=${e!.ModifyIndex + 1}`, 'x')).json).toBe(false);
    expect((await call('PUT', `/v1/kv/k?cas=${e!.ModifyIndex}`, 'three')).json).toBe(true);
    expect((await call('DELETE', `/v1/kv/k?cas=${e!.ModifyIndex}`)).json).toBe(false);
    expect(consul.readKey('k')).toBe('three');
  });

  it('blocking query returns when the key changes, and after wait when it does not', async () => {
    await call('PUT', '/v1/kv/halt', '');
    const first = await call('GET', '/v1/kv/halt');
    const pending = call('GET', `/v1/kv/halt?index=${first.index}&wait=5s`);
    await new Promise((r) => setTimeout(r, 50));
    await call('PUT', '/v1/kv/other', 'x'); // another key: must not wake the watcher with a new result
    await call('PUT', '/v1/kv/halt', 'stop');
    const woke = await pending;
    expect(woke.index).toBeGreaterThan(first.index);
    const [e] = woke.json as Array<{ Value: string }>;
    expect(Buffer.from(e!.Value, 'base64').toString()).toBe('stop');
    const timedOut = await call('GET', `/v1/kv/halt?index=${woke.index}&wait=100ms`);
    expect(timedOut.status).toBe(200);
    expect(timedOut.index).toBe(woke.index);
    expect((await call('GET', `/v1/kv/halt?index=1&wait=nonsense`)).status).toBe(400);
  });

  it('a blocking read of a missing key wakes when it is created and when it is deleted', async () => {
    const miss = await call('GET', '/v1/kv/later');
    const created = call('GET', `/v1/kv/later?index=${miss.index}&wait=5s`);
    await call('PUT', '/v1/kv/later', 'now');
    const c = await created;
    expect(c.status).toBe(200);
    const deleted = call('GET', `/v1/kv/later?index=${c.index}&wait=5s`);
    await call('DELETE', '/v1/kv/later');
    const d = await deleted;
    expect(d.status).toBe(404);
    expect(d.index).toBeGreaterThan(c.index);
  });
});

describe('Consul test double: sessions and locks', () => {
  it('acquire/release with LockIndex and Session, contention, and lock-delay after invalidation', async () => {
    const s1 = ((await call('PUT', '/v1/session/create', { Name: 'a', TTL: '10s', LockDelay: '1s' })).json as { ID: string }).ID;
    const s2 = ((await call('PUT', '/v1/session/create', { Name: 'b' })).json as { ID: string }).ID;
    expect((await call('PUT', `/v1/kv/lock?acquire=${s1}`, 'a')).json).toBe(true);
    expect((await call('PUT', `/v1/kv/lock?acquire=${s2}`, 'b')).json).toBe(false);
    expect((await call('PUT', `/v1/kv/lock?acquire=${s1}`, 'a2')).json).toBe(true); // re-acquire by holder
    let [e] = (await call('GET', '/v1/kv/lock')).json as Array<{ Session?: string; LockIndex: number }>;
    expect(e).toMatchObject({ Session: s1, LockIndex: 1 });
    expect((await call('PUT', `/v1/kv/lock?release=${s2}`, '')).json).toBe(false);
    expect((await call('PUT', `/v1/kv/lock?release=${s1}`, 'free')).json).toBe(true);
    [e] = (await call('GET', '/v1/kv/lock')).json as Array<{ Session?: string; LockIndex: number }>;
    expect(e?.Session).toBeUndefined();
    // explicit release: no lock-delay
    expect((await call('PUT', `/v1/kv/lock?acquire=${s1}`, 'a')).json).toBe(true);
    // invalidation: lock-delay applies
    expect((await call('PUT', `/v1/session/destroy/${s1}`)).json).toBe(true);
    expect((await call('PUT', `/v1/kv/lock?acquire=${s2}`, 'b')).json).toBe(false);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call('PUT', `/v1/kv/lock?acquire=${s2}`, 'b')).json).toBe(true);
    [e] = (await call('GET', '/v1/kv/lock')).json as Array<{ Session?: string; LockIndex: number }>;
    expect(e).toMatchObject({ Session: s2, LockIndex: 3 });
    expect((await call('PUT', `/v1/kv/lock?acquire=00000000-0000-0000-0000-000000000000`, 'x')).status).toBe(500);
  });

  it('TTL sessions expire unless renewed; behavior=delete removes held keys', async () => {
    // Generous margins: this box runs other suites at the same time.
    const ttl = ((await call('PUT', '/v1/session/create', { TTL: '1s', Behavior: 'delete', LockDelay: 0 })).json as { ID: string }).ID;
    const info = (await call('GET', `/v1/session/info/${ttl}`)).json as Array<Record<string, unknown>>;
    expect(info[0]).toMatchObject({ ID: ttl, Behavior: 'delete', TTL: '1s', Node: 'agent1', LockDelay: 0 });
    expect((await call('PUT', `/v1/kv/owned?acquire=${ttl}`, 'x')).json).toBe(true);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 400));
      expect((await call('PUT', `/v1/session/renew/${ttl}`)).status).toBe(200);
    }
    // 1.2 s after creation the session is alive only because it was renewed.
    expect((await call('GET', '/v1/kv/owned')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await call('PUT', `/v1/session/renew/${ttl}`)).status).toBe(404);
    expect((await call('GET', '/v1/kv/owned')).status).toBe(404);
    expect((await call('GET', '/v1/session/list')).json).toEqual([]);
  });

  it('refuses bad TTLs and sessions on unknown nodes, and lists sessions by node', async () => {
    expect((await call('PUT', '/v1/session/create', { TTL: '10ms' })).status).toBe(400);
    expect((await call('PUT', '/v1/session/create', { Node: 'ghost' })).status).toBe(500);
    await call('PUT', '/v1/session/create', { Name: 'x' });
    const list = (await call('GET', '/v1/session/node/agent1')).json as Array<{ Name: string; LockDelay: number }>;
    expect(list.map((s) => s.Name)).toEqual(['x']);
    expect(list[0]?.LockDelay).toBe(15_000_000_000);
  });
});

describe('Consul test double: catalog and health', () => {
  it('registers nodes, services and checks and reports them through catalog and health', async () => {
    await call('PUT', '/v1/catalog/register', {
      Node: 'web1',
      Address: '10.0.0.1',
      NodeMeta: { rack: 'r1' },
      Service: { ID: 'web-1', Service: 'web', Tags: ['v1'], Port: 80 },
      Checks: [
        { CheckID: 'node-ok', Name: 'node', Status: 'passing' },
        { CheckID: 'web-http', Name: 'http', Status: 'critical', ServiceID: 'web-1', Output: 'refused' },
      ],
    });
    consul.registerNode({ node: 'db1', address: '10.0.0.2' });
    consul.registerService({ node: 'db1', service: 'web', id: 'web-2', tags: ['v2'] });
    consul.setCheck({ node: 'db1', checkId: 'web-http', serviceId: 'web-2', status: 'passing' });

    const nodes = (await call('GET', '/v1/catalog/nodes')).json as Array<{ Node: string; Datacenter: string }>;
    expect(nodes.map((n) => n.Node)).toEqual(['agent1', 'db1', 'web1']);
    expect(nodes.every((n) => n.Datacenter === 'lab')).toBe(true);
    expect(((await call('GET', '/v1/catalog/nodes?node-meta=rack:r1')).json as unknown[]).length).toBe(1);
    expect((await call('GET', '/v1/catalog/services')).json).toEqual({ consul: [], web: ['v1', 'v2'] });
    const node = (await call('GET', '/v1/catalog/node/web1')).json as { Node: { Address: string }; Services: Record<string, unknown> };
    expect(node.Node.Address).toBe('10.0.0.1');
    expect(Object.keys(node.Services)).toEqual(['web-1']);
    expect((await call('GET', '/v1/catalog/node/nope')).json).toBeNull();
    const svc = (await call('GET', '/v1/catalog/service/web?tag=v2')).json as Array<{ Node: string; ServiceID: string }>;
    expect(svc.map((s) => `${s.Node}/${s.ServiceID}`)).toEqual(['db1/web-2']);
    const critical = (await call('GET', '/v1/health/state/critical')).json as Array<{ Node: string; ServiceName: string; Output: string }>;
    expect(critical).toEqual([expect.objectContaining({ Node: 'web1', ServiceName: 'web', Output: 'refused' })]);
    expect(((await call('GET', '/v1/health/node/web1')).json as unknown[]).length).toBe(2);
    expect(((await call('GET', '/v1/health/checks/web')).json as unknown[]).length).toBe(2);
    const passing = (await call('GET', '/v1/health/service/web?passing')).json as Array<{ Node: { Node: string } }>;
    expect(passing.map((e) => e.Node.Node)).toEqual(['db1']);
    expect(((await call('GET', '/v1/health/service/web')).json as unknown[]).length).toBe(2);

    await call('PUT', '/v1/catalog/deregister', { Node: 'web1', ServiceID: 'web-1' });
    expect((await call('GET', '/v1/catalog/services')).json).toEqual({ consul: [], web: ['v2'] });
    await call('PUT', '/v1/catalog/deregister', { Node: 'web1' });
    expect(((await call('GET', '/v1/health/node/web1')).json as unknown[]).length).toBe(0);
    expect((await call('PUT', '/v1/catalog/register', { Node: 'x' })).status).toBe(400);
    expect((await call('PUT', '/v1/catalog/register', { Node: 'x', Address: '1.2.3.4', TaggedAddresses: { lan: { Address: 'a' } } })).status).toBe(400);
  });

  it('blocks catalog reads until the catalog changes', async () => {
    const first = await call('GET', '/v1/health/state/any');
    const pending = call('GET', `/v1/health/state/any?index=${first.index}&wait=5s`);
    consul.registerNode({ node: 'n9', address: '10.9.9.9' });
    consul.setCheck({ node: 'n9', checkId: 'ping', status: 'warning' });
    const res = await pending;
    expect(res.index).toBeGreaterThan(first.index);
  });

  it('answers agent/self, status and datacenters; invalidates sessions when their node check goes critical', async () => {
    const self = (await call('GET', '/v1/agent/self')).json as { Config: { Datacenter: string; NodeName: string } };
    expect(self.Config).toMatchObject({ Datacenter: 'lab', NodeName: 'agent1' });
    expect((await call('GET', '/v1/status/leader')).json).toBe('127.0.0.1:8300');
    expect((await call('GET', '/v1/catalog/datacenters')).json).toEqual(['lab']);
    const id = ((await call('PUT', '/v1/session/create', {})).json as { ID: string }).ID;
    consul.setCheck({ node: 'agent1', checkId: 'serfHealth', status: 'critical' });
    expect((await call('GET', `/v1/session/info/${id}`)).json).toBeNull();
    expect((await call('GET', '/v1/nope')).status).toBe(404);
    expect((await call('DELETE', '/v1/catalog/nodes')).status).toBe(405);
  });
});

describe('Consul test double: datacenters and ACL', () => {
  it('forwards ?dc= to a federated peer and refuses unknown datacenters', async () => {
    const prod = await startConsulDouble({ datacenter: 'prod', nodeName: 'agent-prod' });
    extra.push(prod);
    federateConsulDoubles([consul, prod]);
    prod.registerNode({ node: 'p1', address: '10.1.0.1' });
    const nodes = (await call('GET', '/v1/catalog/nodes?dc=prod')).json as Array<{ Node: string; Datacenter: string }>;
    expect(nodes.map((n) => `${n.Node}@${n.Datacenter}`)).toEqual(['agent-prod@prod', 'p1@prod']);
    expect((await call('PUT', '/v1/kv/x?dc=prod', 'y')).json).toBe(true);
    expect(prod.readKey('x')).toBe('y');
    expect(consul.readKey('x')).toBeUndefined();
    expect((await call('GET', '/v1/catalog/datacenters')).json).toEqual(['lab', 'prod']);
    const nowhere = await call('GET', '/v1/catalog/nodes?dc=mars');
    expect(nowhere.status).toBe(500);
    expect(nowhere.text).toBe('No path to datacenter');
  });

  it('requires the ACL token when one is configured', async () => {
    const secured = await startConsulDouble({ aclToken: 's3cret' });
    extra.push(secured);
    const anon = await fetch(`${secured.url}/v1/kv/a`);
    expect(anon.status).toBe(403);
    const wrong = await fetch(`${secured.url}/v1/kv/a`, { headers: { 'X-Consul-Token': 'nope' } });
    expect(wrong.status).toBe(403);
    const ok = await fetch(`${secured.url}/v1/kv/a`, { headers: { 'X-Consul-Token': 's3cret' } });
    expect(ok.status).toBe(404);
    expect((await fetch(`${secured.url}/v1/status/leader`)).status).toBe(200);
  });

  it('suspend drops connections and refuses new ones; resume serves the same state on the same port', async () => {
    await call('PUT', '/v1/kv/keep', 'me');
    const port = consul.port;
    await consul.suspend();
    await expect(fetch(`${consul.url}/v1/kv/keep`)).rejects.toThrow();
    await consul.resume();
    expect(consul.port).toBe(port);
    expect((await call('GET', '/v1/kv/keep?raw')).text).toBe('me');
  });
});
