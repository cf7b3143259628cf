import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createMachineDbClient } from '../src/index.js';
import { sampleInventory } from './inventory-samples.js';
import { main } from './guide.example.js';
import { startMachineDb } from './server.js';

it('the guide example runs against the real MachineDB server', async () => {
  const server = await startMachineDb('sqlite');
  const enrol = createMachineDbClient({ baseUrl: server.url });
  try {
    const { nodeId } = await enrol.submitInventory(sampleInventory(5));
    expect(await main(server.url, server.adminUser.username, server.adminUser.password)).toEqual([`${nodeId} inventoried`]);
  } finally {
    await enrol.close();
    await server.close();
  }
});

it('the guide block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../../../docs/packages/machinedb-client.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: \.\.\/\.\.\/packages\/machinedb-client\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
