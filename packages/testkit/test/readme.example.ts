import { startConsulDouble } from '@fleet/testkit';

// The Consul HTTP API test double: an in-process server written from Consul's API documentation for the
// endpoints fleet uses (KV with blocking queries and CAS, sessions, catalog, health, ?dc=). Not Consul.
const consul = await startConsulDouble({ datacenter: 'fra1' });
consul.registerNode({ node: 'cmp-0101', address: '198.18.20.15' });
consul.registerService({ node: 'cmp-0101', service: 'nova-compute', port: 8774 });

const put = await fetch(`${consul.url}/v1/kv/fleet/rollout/prod/halt?cas=0`, { method: 'PUT', body: 'stop' });
const nodes = (await (await fetch(`${consul.url}/v1/catalog/service/nova-compute`)).json()) as { Node: string }[];
console.log('cas write:', await put.text(), '| nova-compute on', nodes.map((n) => n.Node).join(', '));
console.log('requests seen:', consul.requests.map((r) => `${r.method} ${r.path}`).join(', '));
await consul.close();
// Tests call startConsulTarget() instead: a real agent when CONSUL_HTTP_ADDR is set, else this double.
// prints: cas write: true | nova-compute on cmp-0101
// prints: requests seen: PUT /v1/kv/fleet/rollout/prod/halt, GET /v1/catalog/service/nova-compute
