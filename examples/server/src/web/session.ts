import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MachineDbApp } from '@fleet/machinedb';
import type { Actor } from '@fleet/machinedb-contract';
import type { FastifyReply, FastifyRequest } from 'fastify';

// Sessions are the MachineDB's own session tokens (login → `mdbt.<id>.<secret>`, with its TTL and revocation),
// carried in an HttpOnly cookie instead of a header. This file holds only the cookie and CSRF plumbing.

export type WebRole = 'viewer' | 'operator' | 'admin';
const RANK: Record<WebRole, number> = { viewer: 0, operator: 1, admin: 2 };

export interface WebUser {
  name: string;
  role: WebRole;
  actor: Actor;
  /** The `Authorization` header value the console uses for its in-process API calls. */
  authorization: string;
  /** Set only for cookie sessions: forms (writes) need one, Basic or Bearer headers may only read. */
  sessionId: string | null;
}

export const SESSION_COOKIE = 'fleet_session';
const LOGIN_COOKIE = 'fleet_login';
const FLASH_COOKIE = 'fleet_flash';
const SESSION_TOKEN = /^mdbt\.([a-z0-9]{1,64})\.[A-Za-z0-9_-]{1,200}$/;

export function hasRole(user: WebUser, role: WebRole): boolean {
  return RANK[user.role] >= RANK[role];
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface SessionKeeper {
  /** The caller of a page: the session cookie first, then an Authorization header (scripts, read-only). */
  user(request: FastifyRequest): Promise<WebUser | null>;
  /** The CSRF token every form of this session carries. */
  csrfToken(user: WebUser): string;
  /** True when a form post carries this session's CSRF token and, if the browser sent one, our own Origin. */
  checkCsrf(request: FastifyRequest, user: WebUser, token: unknown): boolean;
  /** Logs in (local users, then LDAP, as the API does) and sets the session cookie. */
  login(request: FastifyRequest, reply: FastifyReply, username: string, password: string): Promise<WebUser>;
  logout(reply: FastifyReply, request: FastifyRequest, user: WebUser): Promise<void>;
  /** A signed random value for the login form (double submit: the cookie and the field must agree). */
  loginCsrf(request: FastifyRequest, reply: FastifyReply): string;
  checkLoginCsrf(request: FastifyRequest, token: unknown): boolean;
  /** One message shown on the next page (after a redirect), then dropped. */
  flash(request: FastifyRequest, reply: FastifyReply, kind: 'ok' | 'error', text: string): void;
  takeFlash(request: FastifyRequest, reply: FastifyReply): { kind: 'ok' | 'error'; text: string } | null;
}

export function createSessionKeeper(
  machineDb: MachineDbApp['machineDb'],
  serverKey: string,
  alwaysSecure: boolean,
): SessionKeeper {
  const cookie = (request: FastifyRequest, name: string, value: string, maxAgeSeconds: number): string => {
    const secure = alwaysSecure || request.protocol === 'https';
    return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
  };
  const key = createHmac('sha256', serverKey).update('fleet web console').digest();
  const sign = (purpose: string, value: string) =>
    createHmac('sha256', key).update(`${purpose}:${value}`).digest('base64url');

  const resolve = async (authorization: string, sessionId: string | null): Promise<WebUser | null> => {
    const caller = await machineDb.authenticate(authorization).catch(() => null);
    if (caller?.kind !== 'user') return null;
    const role = caller.principal.role;
    if (role !== 'viewer' && role !== 'operator' && role !== 'admin') return null;
    return { name: caller.principal.name, role, actor: caller.actor, authorization, sessionId };
  };

  const originOk = (request: FastifyRequest): boolean => {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  };

  return {
    async user(request) {
      const token = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
      const match = token ? SESSION_TOKEN.exec(token) : null;
      if (token && match?.[1]) {
        const user = await resolve(`Bearer ${token}`, match[1]);
        if (user) return user;
      }
      const header = request.headers.authorization;
      return header ? await resolve(header, null) : null;
    },
    csrfToken(user) {
      return user.sessionId ? sign('csrf', user.sessionId) : '';
    },
    checkCsrf(request, user, token) {
      if (!user.sessionId || typeof token !== 'string' || !originOk(request)) return false;
      return sameText(token, sign('csrf', user.sessionId));
    },
    async login(request, reply, username, password) {
      const session = await machineDb.login(username, password);
      const match = SESSION_TOKEN.exec(session.token);
      const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - Date.now()) / 1000));
      void reply.header('set-cookie', [
        cookie(request, SESSION_COOKIE, session.token, maxAge),
        cookie(request, LOGIN_COOKIE, '', 0),
      ]);
      const role = session.principal.role as WebRole;
      return {
        name: session.principal.name,
        role,
        actor: { kind: 'user', name: session.principal.name },
        authorization: `Bearer ${session.token}`,
        sessionId: match?.[1] ?? null,
      };
    },
    async logout(reply, request, user) {
      if (user.sessionId) await machineDb.revokeToken(user.sessionId);
      void reply.header('set-cookie', cookie(request, SESSION_COOKIE, '', 0));
    },
    loginCsrf(request, reply) {
      const existing = parseCookies(request.headers.cookie).get(LOGIN_COOKIE);
      if (existing && /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/.test(existing)) {
        const [nonce = '', mac = ''] = existing.split('.');
        if (sameText(mac, sign('login', nonce))) return existing;
      }
      const nonce = randomBytes(16).toString('base64url');
      const value = `${nonce}.${sign('login', nonce)}`;
      void reply.header('set-cookie', cookie(request, LOGIN_COOKIE, value, 3600));
      return value;
    },
    checkLoginCsrf(request, token) {
      const stored = parseCookies(request.headers.cookie).get(LOGIN_COOKIE);
      if (!stored || typeof token !== 'string' || !originOk(request) || !sameText(stored, token)) return false;
      const [nonce = '', mac = ''] = stored.split('.');
      return sameText(mac, sign('login', nonce));
    },
    flash(request, reply, kind, text) {
      const value = Buffer.from(JSON.stringify({ kind, text: text.slice(0, 500) })).toString('base64url');
      void reply.header('set-cookie', cookie(request, FLASH_COOKIE, value, 60));
    },
    takeFlash(request, reply) {
      const value = parseCookies(request.headers.cookie).get(FLASH_COOKIE);
      if (!value) return null;
      void reply.header('set-cookie', cookie(request, FLASH_COOKIE, '', 0));
      try {
        const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as {
          kind?: unknown;
          text?: unknown;
        };
        if ((parsed.kind === 'ok' || parsed.kind === 'error') && typeof parsed.text === 'string') {
          return { kind: parsed.kind, text: parsed.text };
        }
      } catch {
        // A mangled flash cookie is simply not shown.
      }
      return null;
    },
  };
}
