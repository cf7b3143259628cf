import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './readme.example.js';

describe('README example', () => {
  it('runs', async () => {
    expect(await main()).toEqual({
      bmc: '10.0.1.1/32',
      link: ['10.0.0.0/31', '10.0.0.0', '10.0.0.1'],
      used: '1',
    });
  });

  it('is pasted verbatim into README.md', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const file = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
    expect(block?.[1]).toBe(file);
  });
});
