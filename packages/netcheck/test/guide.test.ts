import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { main } from './guide.example.js';

it.skipIf(process.platform !== 'linux')('the guide example probes loopback and exits 0', async () => {
  expect(await main()).toBe(0);
});

it('the guide block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../../../docs/packages/netcheck.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: \.\.\/\.\.\/packages\/netcheck\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
