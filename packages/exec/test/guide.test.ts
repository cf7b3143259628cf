import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { hasService, serviceEnv } from '@fleet/testkit';
import { describe, expect, it } from 'vitest';
import { main } from './guide.example.js';

describe('guide', () => {
  it('is quoted verbatim in docs/packages/exec.md', () => {
    const readme = readFileSync(new URL('../../../docs/packages/exec.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: \.\.\/\.\.\/packages\/exec\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(example);
  });

  it.skipIf(!hasService('ssh'))('runs the example against the shared sshd', async () => {
    const ssh = serviceEnv().ssh!;
    const result = await main(ssh.host, ssh.port, ssh.privateKeyPath, ssh.knownHostsPath);
    expect(result).toEqual({ local: hostname(), remote: hostname(), target: `root@127.0.0.1:${ssh.port}` });
  });
});
