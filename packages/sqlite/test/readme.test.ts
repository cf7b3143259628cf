import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { defaultSqliteDriver } from '../src/index.js';
import { main } from './readme.example.js';

describe('README example', () => {
  it('is the file the README shows, verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- example: test\/readme\.example\.ts -->\s*```ts\n([\s\S]*?)```\s*<!-- \/example -->/.exec(
      readme,
    );
    expect(block?.[1]?.trim()).toBe(readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8').trim());
  });

  it('runs and prints the state and the driver of this runtime', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(main()).toBe('new');
      expect(log.mock.calls[0]).toEqual(['new', defaultSqliteDriver()]);
    } finally {
      log.mockRestore();
    }
  });
});
