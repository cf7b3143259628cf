import { Client, EqualityFilter, InvalidCredentialsError } from 'ldapts';
import { MachineDbServerError } from './errors.js';

export interface LdapOptions {
  /** `ldap://host:389` or `ldaps://host:636`. */
  url: string;
  /** Where users live; the bind DN is `<userAttribute>=<username>,<usersDn>`. */
  usersDn: string;
  userAttribute?: string;
  /** Searched for `groupOfNames` entries whose `member` is the user. */
  groupsDn: string;
  /** Members get `admin` (read-write). */
  adminGroup: string;
  /** Members get `viewer` (read-only). */
  viewerGroup: string;
  /** Members get `operator` (act on nodes, no user or token management); optional. */
  operatorGroup?: string;
  /** Bind as this DN to search groups (some directories hide groups from users); default: the user itself. */
  bindDn?: string;
  bindPassword?: string;
  timeoutMs?: number;
}

export type LdapResult =
  | { ok: true; role: 'admin' | 'operator' | 'viewer'; userDn: string }
  | { ok: false; reason: 'bad-credentials' | 'no-group' };

/** Escapes a value for use inside one RDN (RFC 4514). */
function escapeRdnValue(value: string): string {
  return value.replace(/[,\\#+<>;"=]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
}

/**
 * Binds as the user, then maps group membership to a role: admin group → admin, operator group →
 * operator, viewer group → viewer,
 * neither → no access. An empty password is refused before it reaches the server, because LDAP treats
 * it as an anonymous bind that "succeeds".
 */
export async function ldapAuthenticate(options: LdapOptions, username: string, password: string): Promise<LdapResult> {
  if (password.length === 0) return { ok: false, reason: 'bad-credentials' };
  const userDn = `${options.userAttribute ?? 'uid'}=${escapeRdnValue(username)},${options.usersDn}`;
  const timeout = options.timeoutMs ?? 5000;
  const client = new Client({ url: options.url, timeout, connectTimeout: timeout });
  try {
    try {
      await client.bind(userDn, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return { ok: false, reason: 'bad-credentials' };
      throw error;
    }
    if (options.bindDn) await client.bind(options.bindDn, options.bindPassword ?? '');
    const { searchEntries } = await client.search(options.groupsDn, {
      scope: 'sub',
      filter: new EqualityFilter({ attribute: 'member', value: userDn }),
      attributes: ['dn'],
    });
    const groups = new Set(searchEntries.map((entry) => entry.dn.toLowerCase().replace(/\s+/g, '')));
    const norm = (dn: string) => dn.toLowerCase().replace(/\s+/g, '');
    if (groups.has(norm(options.adminGroup))) return { ok: true, role: 'admin', userDn };
    if (options.operatorGroup && groups.has(norm(options.operatorGroup))) return { ok: true, role: 'operator', userDn };
    if (groups.has(norm(options.viewerGroup))) return { ok: true, role: 'viewer', userDn };
    return { ok: false, reason: 'no-group' };
  } catch (cause) {
    throw new MachineDbServerError('INTERNAL', `LDAP server ${options.url} failed: check that it is reachable`, { cause });
  } finally {
    await client.unbind().catch(() => {});
  }
}
