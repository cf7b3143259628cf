import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './guide.example.js';

describe('guide example', () => {
  it('runs', async () => {
    expect(await main()).toEqual({
      bmc: '10.0.1.1/32',
      link: ['10.0.0.0/31', '10.0.0.0', '10.0.0.1'],
      used: '1',
    });
  });

  it('is quoted verbatim in docs/packages/ipam.md', () => {
    const readme = readFileSync(new URL('../../../docs/packages/ipam.md', import.meta.url), 'utf8');
    const file = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: \.\.\/\.\.\/packages\/ipam\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(file);
  });
});
