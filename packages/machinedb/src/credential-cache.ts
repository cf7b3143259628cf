import { createHmac, randomBytes } from 'node:crypto';

/**
 * Recently verified passwords, so HTTP Basic does not pay for a password hash (tens of ms) on every
 * request. Entries are keyed by an HMAC under a per-process random key of the user, the password and what
 * it was checked against (the stored hash, or the LDAP role), so nothing reusable is kept in memory, a
 * password change misses at once, and a restart forgets everything. Only successes are kept: a wrong
 * password is always checked in full (login rate limits see every attempt).
 */
export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  private digest(parts: readonly string[]): string {
    return createHmac('sha256', this.key).update(parts.join('\0')).digest('base64url');
  }

  /** True when this exact credential was verified against the same stored state within the TTL. */
  has(parts: readonly string[]): boolean {
    const id = this.digest(parts);
    const until = this.entries.get(id);
    if (until === undefined) return false;
    if (until <= this.now()) {
      this.entries.delete(id);
      return false;
    }
    return true;
  }

  remember(parts: readonly string[]): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(this.digest(parts), this.now() + this.ttlMs);
  }

  /** Forget every entry (a user was deleted or changed). */
  clear(): void {
    this.entries.clear();
  }
}
