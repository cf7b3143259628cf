import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeError, isFleetError } from '../src/index.js';
import { waitForNode } from './readme.example.js';

describe('README', () => {
  it('embeds test/readme.example.ts verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
    expect(block?.[1]).toBe(example);
  });

  it('retries with backoff until the node answers and logs each miss with the secret redacted', async () => {
    const lines: string[] = [];
    let calls = 0;
    const attempt = await waitForNode('DB1', async (host) => ++calls === 3 && host === 'db1', { write: (l) => lines.push(l) });
    expect(attempt).toBe(3);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^warn node not ready host=db1 attempt=1 delayMs=\d+ bmcPassword=\[redacted\]$/);
    expect(lines.join('\n')).not.toContain('calvin');
  });

  it('refuses a hostname that is not one before probing', async () => {
    let probed = false;
    const error = await waitForNode('db1; reboot', async () => (probed = true)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ValidationError', code: 'VALIDATION_FAILED', field: 'hostname' });
    expect(probed).toBe(false);
  });

  it('gives up with a typed FleetError after the last attempt', async () => {
    const error = await waitForNode('db1', async () => false, { attempts: 2, write: () => {} }).catch((e: unknown) => e);
    expect(isFleetError(error)).toBe(true);
    expect(describeError(error)).toBe('NODE_NOT_READY: db1 did not answer after 2 attempts');
    expect((error as { details: unknown }).details).toEqual({ host: 'db1', attempts: 2 });
  });

  it('stops waiting at once when the signal is already aborted', async () => {
    let calls = 0;
    const error = await waitForNode(
      'db1',
      async () => {
        calls++;
        return false;
      },
      { attempts: 50, signal: AbortSignal.abort(), write: () => {} },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ code: 'NODE_NOT_READY' });
  });
});
