import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { main } from './guide.example.js';

it('the guide example builds the request line and checks a body against the schema', () => {
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

it('the guide block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../../../docs/packages/machinedb-contract.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: \.\.\/\.\.\/packages\/machinedb-contract\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
