import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './as-a-package.example.js';

describe('the README section "As a package"', () => {
  it('embeds test/as-a-package.example.ts verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./as-a-package.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: test\/as-a-package\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(
      readme,
    );
    expect(block?.[1]).toBe(example);
  });

  it('starts a real server on a fresh data directory', async () => {
    expect(await main()).toBe(0);
  });

  it('startTestServer logs in as the admin and removes its data directory on stop', async () => {
    const { startTestServer } = await import('@fleet/example-server');
    const s = await startTestServer();
    try {
      expect(existsSync(s.dataDir)).toBe(true);
      expect(await s.admin.whoami()).toMatchObject({ name: 'admin', role: 'admin' });
      const res = await fetch(`${s.url}/api/v1/auth/whoami`, { headers: { authorization: s.adminAuth } });
      expect(res.status).toBe(200);
    } finally {
      await s.stop();
    }
    expect(existsSync(s.dataDir)).toBe(false);
  });

  it('names the built main script next to the entry, where `pnpm start` finds it', async () => {
    const { serverMainScript } = await import('@fleet/example-server');
    expect(serverMainScript).toBe(new URL('../dist/main.js', import.meta.url).pathname);
    // Present once the package is built (`pnpm build`); the path is the same before.
    if (existsSync(serverMainScript)) expect(readFileSync(serverMainScript, 'utf8')).toContain('listening on');
  });
});
