import { readFileSync } from 'node:fs';
import { startConsulDouble } from '@fleet/testkit';
import { expect, it } from 'vitest';
import { main } from './readme.example.js';

it('the README example runs against the Consul test double', async () => {
  const consul = await startConsulDouble();
  try {
    expect(await main(consul.port)).toEqual(['node1', 'node2', 'node3']);
  } finally {
    await consul.close();
  }
});

it('the README block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
