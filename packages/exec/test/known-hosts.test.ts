import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  formatKnownHostsLine,
  hostKeyFingerprint,
  knownHostsName,
  parseKnownHosts,
} from '../src/index.js';

const KEY_A = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), randomBytes(36)]).toString(
  'base64',
);
const KEY_B = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), randomBytes(36)]).toString(
  'base64',
);

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  it('names non-22 ports in [host]:port form', () => {
    expect(knownHostsName('node1', 22)).toBe('node1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
    expect(formatKnownHostsLine('10.0.0.1', 2222, 'ssh-ed25519', KEY_A)).toBe(`[10.0.0.1]:2222 ssh-ed25519 ${KEY_A}`);
  });

  it('skips comments, blanks and malformed lines and reads markers', () => {
    const entries = parseKnownHosts(
      `# comment\n\nbroken\n@revoked * ssh-ed25519 ${KEY_B}\nnode1 ssh-ed25519 ${KEY_A}\n`,
    );
    expect(entries).toEqual([
      { marker: 'revoked', hosts: '*', keyType: 'ssh-ed25519', key: KEY_B },
      { hosts: 'node1', keyType: 'ssh-ed25519', key: KEY_A },
    ]);
  });

  it.each([
    ['plain name, port 22', `node1 ssh-ed25519 ${KEY_A}`, 'node1', 22, 'known'],
    ['[host]:port', `[node1]:2222 ssh-ed25519 ${KEY_A}`, 'node1', 2222, 'known'],
    ['[host]:port does not match port 22', `[node1]:2222 ssh-ed25519 ${KEY_A}`, 'node1', 22, 'unknown'],
    ['plain name does not match another port', `node1 ssh-ed25519 ${KEY_A}`, 'node1', 2222, 'unknown'],
    ['comma list', `other,node1 ssh-ed25519 ${KEY_A}`, 'node1', 22, 'known'],
    ['wildcard', `node* ssh-ed25519 ${KEY_A}`, 'node7', 22, 'known'],
    ['negated wildcard', `node*,!node7 ssh-ed25519 ${KEY_A}`, 'node7', 22, 'unknown'],
    ['hashed entry', `${hashed('[10.1.2.3]:22022')} ssh-ed25519 ${KEY_A}`, '10.1.2.3', 22022, 'known'],
    ['hashed entry, other host', `${hashed('[10.1.2.4]:22022')} ssh-ed25519 ${KEY_A}`, '10.1.2.3', 22022, 'unknown'],
    ['changed key', `node1 ssh-ed25519 ${KEY_B}`, 'node1', 22, 'mismatch'],
    ['listed only with another type', `node1 ecdsa-sha2-nistp256 ${KEY_B}`, 'node1', 22, 'mismatch'],
    ['revoked key', `@revoked * ssh-ed25519 ${KEY_A}\nnode1 ssh-ed25519 ${KEY_A}`, 'node1', 22, 'revoked'],
    ['cert-authority lines are ignored', `@cert-authority node1 ssh-ed25519 ${KEY_A}`, 'node1', 22, 'unknown'],
  ])('%s', (_name, text, host, port, status) => {
    expect(checkHostKey(parseKnownHosts(text), host, port, 'ssh-ed25519', KEY_A).status).toBe(status);
  });

  it('prints fingerprints like ssh-keygen -l', () => {
    expect(hostKeyFingerprint(KEY_A)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
