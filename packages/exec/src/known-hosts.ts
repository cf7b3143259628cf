import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  /** `@revoked` lines list keys that must be refused; `@cert-authority` lines are ignored (no certificates). */
  marker?: 'revoked' | 'cert-authority';
  /** Comma-separated patterns, or a hashed `|1|salt|hash` entry. */
  hosts: string;
  keyType: string;
  /** Base64 of the public key blob. */
  key: string;
}

export type HostKeyVerdict =
  | { status: 'known' }
  | { status: 'unknown' }
  | { status: 'mismatch'; expectedTypes: string[] }
  | { status: 'revoked' };

/** Parses known_hosts text; comments, blank and malformed lines are skipped. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) continue;
    entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key });
  }
  return entries;
}

/** The name OpenSSH writes for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** One known_hosts line for a key, in `[host]:port type base64` form. */
export function formatKnownHostsLine(host: string, port: number, keyType: string, key: string): string {
  return `${knownHostsName(host, port)} ${keyType} ${key}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hostMatches(entryHosts: string, name: string): boolean {
  if (entryHosts.startsWith('|1|')) {
    const [, , salt, hash] = entryHosts.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const pattern of entryHosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(name)) return false;
    } else if (globToRegExp(pattern).test(name)) {
      matched = true;
    }
  }
  return matched;
}

/** Key types a host has in known_hosts (for restricting host key negotiation to what we can verify). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  const types = new Set<string>();
  for (const entry of entries) {
    if (entry.marker === undefined && hostMatches(entry.hosts, name)) types.add(entry.keyType);
  }
  return [...types];
}

/**
 * Checks a presented host key the way OpenSSH's StrictHostKeyChecking=yes does: a revoked key is refused,
 * a listed key is accepted, a host listed only with other keys is a mismatch, an unlisted host is unknown.
 */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  keyType: string,
  key: string,
): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const expectedTypes = new Set<string>();
  let known = false;
  for (const entry of entries) {
    if (entry.marker === 'revoked') {
      if (entry.key === key) return { status: 'revoked' };
      continue;
    }
    if (entry.marker === 'cert-authority' || !hostMatches(entry.hosts, name)) continue;
    expectedTypes.add(entry.keyType);
    if (entry.keyType === keyType && entry.key === key) known = true;
  }
  if (known) return { status: 'known' };
  if (expectedTypes.size > 0) return { status: 'mismatch', expectedTypes: [...expectedTypes] };
  return { status: 'unknown' };
}

/** `SHA256:…` as printed by `ssh-keygen -lf`. */
export function hostKeyFingerprint(key: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(key, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of an SSH public key blob. */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('ascii');
}
