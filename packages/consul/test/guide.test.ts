import { readFileSync } from 'node:fs';
import { startConsulDouble } from '@fleet/testkit';
import { expect, it } from 'vitest';
import { main } from './guide.example.js';

it('the guide example runs against the Consul test double', async () => {
  const consul = await startConsulDouble();
  try {
    expect(await main(consul.port)).toEqual(['node1', 'node2', 'node3']);
  } finally {
    await consul.close();
  }
});

it('the guide block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../../../docs/packages/consul.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: \.\.\/\.\.\/packages\/consul\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
