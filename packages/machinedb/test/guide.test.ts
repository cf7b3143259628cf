import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './guide.example.js';

describe('guide', () => {
  it('is quoted verbatim in docs/packages/machinedb.md', () => {
    const readme = readFileSync(new URL('../../../docs/packages/machinedb.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: \.\.\/\.\.\/packages\/machinedb\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(example);
  });

  it('runs the example', async () => {
    expect(await main(':memory:')).toEqual({
      mac: '52:54:00:12:34:56',
      nodeId: null,
      state: null,
      bootTarget: 'live',
      hostname: null,
    });
  });
});
