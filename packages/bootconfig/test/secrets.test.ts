import { describe, expect, it } from 'vitest';
import { renderFallbackFiles, renderNodeFiles } from '../src/index.js';
import { BMC_PASSWORD, CONSUL_KEY, INSTALL_TOKEN, makeNode, makeSite, sampleNodes } from './fixture.js';

describe('secrets appear only in the file that needs them', () => {
  const secrets = [
    { name: 'BMC password', value: BMC_PASSWORD, only: ['/etc/fleet/bmc.json'] },
    { name: 'Consul encrypt key', value: CONSUL_KEY, only: ['/etc/consul.d/fleet.json'] },
    // The installer file carries the token inside the base64 late command, so look for both forms.
    { name: 'install token', value: INSTALL_TOKEN, only: ['installer/3c-ec-ef-12-34-56/preseed.cfg'] },
  ];

  const files = renderNodeFiles(makeNode(), makeSite());
  const decoded = (content: string): string =>
    content + [...content.matchAll(/'([A-Za-z0-9+/]{40,}={0,2})'/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8')).join('');

  for (const secret of secrets) {
    it(`${secret.name} is only in ${secret.only.join(', ')}`, () => {
      const holders = files.filter((f) => decoded(f.content).includes(secret.value)).map((f) => f.path);
      expect(holders).toEqual(secret.only);
    });
  }

  it('every file holding a secret is marked secret and owner-only (group-readable at most)', () => {
    for (const file of files) {
      const holds = secrets.some((s) => decoded(file.content).includes(s.value));
      expect(file.secret, file.path).toBe(holds);
      if (holds) expect(file.mode & 0o007, file.path).toBe(0);
    }
  });

  it('no secret in the fallback files or in any other sample node file but its own', () => {
    for (const file of renderFallbackFiles(makeSite())) {
      for (const s of secrets) expect(file.content).not.toContain(s.value);
    }
    const ubuntu = renderNodeFiles(sampleNodes()[1]!.node, makeSite());
    const holders = ubuntu.filter((f) => decoded(f.content).includes(INSTALL_TOKEN)).map((f) => f.path);
    expect(holders).toEqual(['installer/3c-ec-ef-00-02-01/user-data']);
    expect(ubuntu.some((f) => f.path === '/etc/fleet/bmc.json')).toBe(false);
  });

  it('error messages never carry a refused secret', () => {
    const badPassword = 'has space secret';
    const badToken = 'short$tok';
    for (const node of [
      makeNode({ bmc: { address: '198.18.30.15', username: 'admin', password: badPassword } }),
      makeNode({ installToken: badToken }),
    ]) {
      try {
        renderNodeFiles(node, makeSite());
        throw new Error('expected a refusal');
      } catch (error) {
        const text = `${(error as Error).message} ${JSON.stringify(error)}`;
        expect(text).not.toContain(badPassword);
        expect(text).not.toContain(badToken);
      }
    }
  });
});
