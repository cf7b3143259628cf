import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './readme.example.js';

describe('README', () => {
  it('embeds test/readme.example.ts verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
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
