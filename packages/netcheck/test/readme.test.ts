import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { main } from './readme.example.js';

it.skipIf(process.platform !== 'linux')('the README example probes loopback and exits 0', async () => {
  expect(await main()).toBe(0);
});

it('the README block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
