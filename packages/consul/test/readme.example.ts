import { acquireLock, createConsul, readJson, watchHalt, writeJson } from '@fleet/consul';
import { startConsulDouble } from '@fleet/testkit';

// No Consul agent here, so the Consul HTTP API test double from @fleet/testkit stands in for one;
// against a real agent: createConsul({ host: '127.0.0.1', port: 8500 }).
const double = await startConsulDouble();
const consul = createConsul({ host: '127.0.0.1', port: double.port });

const lock = await acquireLock(consul, { key: 'fleet/rollout/prod/lock', holder: 'rollout by alice', ttl: '15s' });
const halt = watchHalt(consul, 'fleet/rollout/prod/halt', { signal: lock.signal });
const done: string[] = [];
for (const node of ['node1', 'node2', 'node3']) {
  if (halt.current()) break; // the red button was pressed: start no new node
  done.push(node);
  await writeJson(consul, 'fleet/rollout/prod/state', { done });
}
halt.stop();
await lock.release();
const state = await readJson<{ done: string[] }>(consul, 'fleet/rollout/prod/state');
console.log('updated:', state?.value.done.join(', '));
consul.destroy();
await double.close();
// prints: updated: node1, node2, node3
