import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { main } from './readme.example.js';

it('the README example builds the request line and checks a body against the schema', () => {
  expect(main('n 1/x', { hostname: 'web1', tags: ['gpu'] })).toEqual({
    request: 'PATCH /api/v1/nodes/n%201%2Fx (If-Match required)',
    retryable: false,
    valid: true,
  });
  // The schemas are closed: an unknown field, a bad hostname or an empty update is not accepted.
  expect(main('n1', { hostname: 'web1', colour: 'red' }).valid).toBe(false);
  expect(main('n1', { hostname: '-web1' }).valid).toBe(false);
  expect(main('n1', {}).valid).toBe(false);
});

it('the README block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
