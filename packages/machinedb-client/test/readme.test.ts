import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createMachineDbClient } from '../src/index.js';
import { sampleInventory } from './inventory-samples.js';
import { main } from './readme.example.js';
import { startMachineDb } from './server.js';

it('the README example runs against the real MachineDB server', async () => {
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

it('the README block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
