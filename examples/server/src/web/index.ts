import type { DriftReport } from '@fleet/consul';
import { describeError, FleetError, isFleetError } from '@fleet/core';
import type { Ipam, NextFree, NextFreeAddressInput, Prefix } from '@fleet/ipam';
import type { MachineDbApp } from '@fleet/machinedb';
import type { BootTarget, HistoryEntry, Node, Page, TokenInfo, User } from '@fleet/machinedb-contract';
import type { FastifyInstance, FastifyReply, FastifyRequest, InjectOptions } from 'fastify';
import { createFleetView, type FleetView, parseNodeQuery, rackOf, stateCounts, stuckReason } from './fleet-view.js';
import { csrfField, html, type Layout, page } from './html.js';
import { renderPool, renderPools, renderPrefix } from './ipam-pages.js';
import {
  NODE_ACTIONS,
  type NodeAction,
  nodeHref,
  renderBulkConfirm,
  renderConfirm,
  renderEdit,
  renderNode,
  renderNodeList,
  renderOverview,
  transitionForBootTarget,
} from './node-pages.js';
import { createSessionKeeper, hasRole, type WebRole, type WebUser } from './session.js';

export interface WebConsoleDeps {
  machineDb: MachineDbApp['machineDb'];
  ipam: Ipam;
  drift(): Promise<DriftReport>;
  hasConsul: boolean;
  /** Signs CSRF tokens: the server key, so every server sharing a database accepts the same forms. */
  serverKey: string;
  /** Always mark cookies `Secure` (a TLS proxy in front); otherwise only requests that arrived over TLS get it. */
  secureCookies?: boolean;
  /** The server's own HTTP API, called in-process: console actions take exactly the API's path. */
  inject(options: InjectOptions): Promise<{ statusCode: number; body: string }>;
  /** The node snapshot the pages work from; the server makes it so it can warm it at start. */
  fleet?: FleetView;
}

type Form = Record<string, string>;
const FORM_LIMIT = 64 * 1024;

/** A browser wants a login page; a script gets the API's 401. */
const wantsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

/** Only local paths: `next` must not send a freshly logged-in user to another site. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/';
}

/**
 * The operator console: login/logout, overview with stuck nodes first, the node list and node pages with
 * actions, IPAM and drift. Pages are rendered here; every rule (transitions, timeouts, validation, roles
 * for writes) is MachineDB's or the IPAM's, reached through the same HTTP API as the CLI.
 */
export async function registerWebConsole(app: FastifyInstance, deps: WebConsoleDeps): Promise<void> {
  const sessions = createSessionKeeper(deps.machineDb, deps.serverKey, deps.secureCookies ?? false);
  const fleet = deps.fleet ?? createFleetView(deps.machineDb);

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT },
    (_request, body, done) => {
      const form: Form = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (!(k in form)) form[k] = v;
      done(null, form);
    },
  );

  const layout = (request: FastifyRequest, reply: FastifyReply, user: WebUser | null): Layout => ({
    user,
    csrf: user ? sessions.csrfToken(user) : '',
    flash: sessions.takeFlash(request, reply),
  });
  const send = (reply: FastifyReply, title: string, body: string, l: Layout, status = 200) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
      )
      .type('text/html; charset=utf-8')
      .send(page(title, body, l));

  /** The signed-in user with at least `role`, or null after answering (login redirect, 401 or 403). */
  const guard = async (request: FastifyRequest, reply: FastifyReply, role: WebRole): Promise<WebUser | null> => {
    const user = await sessions.user(request);
    if (!user) {
      if (wantsHtml(request)) {
        void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      } else {
        void reply.code(401).header('www-authenticate', 'Basic realm="fleet"').send({
          code: 'UNAUTHENTICATED',
          message: 'log in at /login, or send Basic auth or a Bearer token',
          details: {},
        });
      }
      return null;
    }
    if (!hasRole(user, role)) {
      void send(
        reply,
        'Not allowed',
        `<h1>Not allowed</h1><p id="forbidden">${html(user.name)} is a ${html(user.role)}; this needs ${role}.</p>`,
        layout(request, reply, user),
        403,
      );
      return null;
    }
    return user;
  };

  /** A form post: the user with `role`, a session (not Basic) and this session's CSRF token. */
  const guardPost = async (request: FastifyRequest, reply: FastifyReply, role: WebRole): Promise<WebUser | null> => {
    const user = await guard(request, reply, role);
    if (!user) return null;
    const form = (request.body ?? {}) as Form;
    if (!sessions.checkCsrf(request, user, form._csrf)) {
      void send(
        reply,
        'Refused',
        '<h1>Refused</h1><p id="csrf-refused">This form did not come from a page of this console (missing or wrong CSRF token). Reload the page and try again.</p>',
        layout(request, reply, user),
        403,
      );
      return null;
    }
    return user;
  };

  const api = async <T>(
    user: WebUser,
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ ok: true; value: T } | { ok: false; status: number; message: string }> => {
    const res = await deps.inject({
      method,
      url,
      headers: {
        authorization: user.authorization,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      parsed = null;
    }
    if (res.statusCode < 400) return { ok: true, value: parsed as T };
    const err = parsed as { code?: string; message?: string } | null;
    return {
      ok: false,
      status: res.statusCode,
      message: `${err?.code ?? res.statusCode}: ${err?.message ?? 'failed'}`,
    };
  };

  // ---- login ----------------------------------------------------------------------------------------

  const loginPage = (request: FastifyRequest, reply: FastifyReply, message: string | null, status = 200) => {
    const next = safeNext((request.query as { next?: unknown }).next ?? (request.body as Form | undefined)?.next);
    const token = sessions.loginCsrf(request, reply);
    return send(
      reply,
      'Log in',
      `<h1>Log in to fleet</h1>${message ? `<p class="flash flash-error" id="login-error" role="alert">${html(message)}</p>` : ''}
<form method="post" action="/login">${csrfField(token)}<input type="hidden" name="next" value="${html(next)}">
<p><label>user <input name="username" autocomplete="username" required autofocus></label></p>
<p><label>password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit" id="login">Log in</button></p></form>
<p class="muted">Local and LDAP accounts, as for the API and the <code>fleet</code> CLI.</p>`,
      { user: null, csrf: '', flash: sessions.takeFlash(request, reply) },
      status,
    );
  };

  app.get('/login', async (request, reply) => loginPage(request, reply, null));
  app.post('/login', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    if (!sessions.checkLoginCsrf(request, form._csrf)) {
      return loginPage(request, reply, 'The login form expired or did not come from this site: try again.', 403);
    }
    try {
      await sessions.login(request, reply, form.username ?? '', form.password ?? '');
    } catch (error) {
      if (!isFleetError(error)) throw error;
      // Wrong password 401, no fleet group 403, too many attempts 429, directory down 503: said on the page.
      const status =
        error.code === 'UNAUTHENTICATED'
          ? 401
          : error.code === 'FORBIDDEN'
            ? 403
            : error.code.includes('RATE')
              ? 429
              : 503;
      return loginPage(request, reply, error.message, status);
    }
    return reply.redirect(safeNext(form.next), 303);
  });
  app.post('/logout', async (request, reply) => {
    const user = await guardPost(request, reply, 'viewer');
    if (!user) return reply;
    await sessions.logout(reply, request, user);
    sessions.flash(request, reply, 'ok', 'Logged out.');
    return reply.redirect('/login', 303);
  });

  // ---- overview -------------------------------------------------------------------------------------

  app.get('/', async (request, reply) => {
    const user = await guard(request, reply, 'viewer');
    if (!user) return reply;
    const now = new Date();
    const nodes = await fleet.nodes();
    const stuck: { node: Node; reason: string }[] = [];
    for (const node of nodes) {
      const reason = stuckReason(deps.machineDb, node, now);
      if (reason) stuck.push({ node, reason });
    }
    stuck.sort((a, b) => Date.parse(a.node.stateSince) - Date.parse(b.node.stateSince));
    const failed = nodes.filter((n) => n.state === 'failed').sort((a, b) => b.stateSince.localeCompare(a.stateSince));
    // Failures of the last day from the history (newest first), a bounded number of pages.
    const failures: HistoryEntry[] = [];
    const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const pageOf: Page<HistoryEntry> = await deps.machineDb.listHistory(null, {
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      for (const h of pageOf.items) if (h.at >= dayAgo && h.after.state === 'failed') failures.push(h);
      const last = pageOf.items[pageOf.items.length - 1];
      if (!pageOf.nextCursor || !last || last.at < dayAgo) break;
      cursor = pageOf.nextCursor;
    }
    const byRack = new Map<string, Node[]>();
    for (const n of nodes) {
      const rack = rackOf(n);
      const list = byRack.get(rack);
      if (list) list.push(n);
      else byRack.set(rack, [n]);
    }
    return send(
      reply,
      'Overview',
      renderOverview({
        total: nodes.length,
        counts: stateCounts(nodes),
        stuck,
        failed,
        failures,
        nodeNames: new Map(nodes.map((n) => [n.id, n.hostname ?? n.id])),
        racks: [...byRack]
          .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'en', { numeric: true })))
          .map(([rack, list]) => ({ rack, nodes: list })),
        now,
      }),
      layout(request, reply, user),
    );
  });

  // ---- nodes ----------------------------------------------------------------------------------------

  app.get('/ui/nodes', async (request, reply) => {
    const user = await guard(request, reply, 'viewer');
    if (!user) return reply;
    const now = new Date();
    const q = parseNodeQuery((request.query ?? {}) as Record<string, unknown>);
    const result = await fleet.query(q, now);
    return send(
      reply,
      'Nodes',
      renderNodeList(q, result, (n) => stuckReason(deps.machineDb, n, now), now, hasRole(user, 'operator')),
      layout(request, reply, user),
    );
  });

  // Several nodes at once (as MAAS does): a confirmation listing what moves and what is skipped, then one API
  // call per node, each checked and recorded by MachineDB on its own.
  const BULK_LIMIT = 500;
  const NODE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
  app.get<{ Querystring: { id?: string | string[]; action?: string } }>('/ui/nodes/bulk', async (request, reply) => {
    const user = await guard(request, reply, 'operator');
    if (!user) return reply;
    const raw = request.query.id;
    const ids = new Set((Array.isArray(raw) ? raw : raw ? [raw] : []).filter((id) => NODE_ID.test(id)));
    const key = request.query.action;
    if (ids.size === 0 || ids.size > BULK_LIMIT || typeof key !== 'string' || !(key in NODE_ACTIONS)) {
      sessions.flash(request, reply, 'error', `Select 1 to ${BULK_LIMIT} nodes and an action.`);
      return reply.redirect('/ui/nodes', 303);
    }
    const action = NODE_ACTIONS[key as NodeAction];
    const nodes = (await fleet.nodes()).filter((n) => ids.has(n.id));
    return send(
      reply,
      action.label,
      renderBulkConfirm(nodes, { key: key as NodeAction, ...action }, sessions.csrfToken(user)),
      layout(request, reply, user),
    );
  });
  app.post('/ui/nodes/bulk', async (request, reply) => {
    const user = await guardPost(request, reply, 'operator');
    if (!user) return reply;
    const form = request.body as Form;
    const ids = [...new Set((form.ids ?? '').split(',').filter((id) => NODE_ID.test(id)))].slice(0, BULK_LIMIT);
    const key = form.action ?? '';
    const reason = (form.reason ?? '').trim();
    if (ids.length === 0 || !(key in NODE_ACTIONS) || !reason) {
      sessions.flash(request, reply, 'error', 'Select nodes and an action, and say why.');
      return reply.redirect('/ui/nodes', 303);
    }
    const action = NODE_ACTIONS[key as NodeAction];
    const refused: string[] = [];
    let moved = 0;
    for (const id of ids) {
      const res = await api<Node>(user, 'POST', `/api/v1/nodes/${encodeURIComponent(id)}/transition`, {
        to: action.to,
        reason,
      });
      if (res.ok) moved++;
      else refused.push(`${id}: ${res.message}`);
    }
    sessions.flash(
      request,
      reply,
      refused.length ? 'error' : 'ok',
      `${action.label}: ${moved} of ${ids.length} nodes now ${action.to}.${refused.length ? ` Refused: ${refused.slice(0, 3).join('; ')}${refused.length > 3 ? ` and ${refused.length - 3} more` : ''}` : ''}`,
    );
    return reply.redirect(`/ui/nodes?state=${encodeURIComponent(action.to)}`, 303);
  });

  const loadNode = async (id: string) => {
    try {
      return await deps.machineDb.getNode(id);
    } catch (error) {
      if (isFleetError(error) && error.code.endsWith('NOT_FOUND')) return null;
      throw error;
    }
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, user: WebUser, id: string) =>
    send(
      reply,
      'Not found',
      `<h1>No node ${html(id)}</h1><p><a href="/ui/nodes">All nodes</a></p>`,
      layout(request, reply, user),
      404,
    );

  app.get<{ Params: { id: string } }>('/ui/nodes/:id', async (request, reply) => {
    const user = await guard(request, reply, 'viewer');
    if (!user) return reply;
    const node = await loadNode(request.params.id);
    if (!node) return notFound(request, reply, user, request.params.id);
    const history = await deps.machineDb.listHistory(node.id, { limit: 100 });
    const now = new Date();
    return send(
      reply,
      node.hostname ?? node.id,
      renderNode(node, history.items, {
        stuck: stuckReason(deps.machineDb, node, now),
        canAct: hasRole(user, 'operator'),
        now,
      }),
      layout(request, reply, user),
    );
  });

  const resolveAction = (state: Node['state'], key: unknown, target: unknown) => {
    if (key === 'boot') {
      if (target !== 'live' && target !== 'install' && target !== 'local') return null;
      const to = transitionForBootTarget(state, target);
      return to
        ? { key: 'boot', label: `Boot ${target} next`, to, danger: target === 'install', target: target as BootTarget }
        : { key: 'boot', label: `Boot ${target} next`, to: null, danger: false, target: target as BootTarget };
    }
    if (typeof key !== 'string' || !(key in NODE_ACTIONS)) return null;
    const a = NODE_ACTIONS[key as NodeAction];
    return { key, label: a.label, to: a.to, danger: a.danger };
  };

  app.get<{ Params: { id: string }; Querystring: { action?: string; target?: string } }>(
    '/ui/nodes/:id/act',
    async (request, reply) => {
      const user = await guard(request, reply, 'operator');
      if (!user) return reply;
      const node = await loadNode(request.params.id);
      if (!node) return notFound(request, reply, user, request.params.id);
      const action = resolveAction(node.state, request.query.action, request.query.target);
      if (!action?.to) {
        sessions.flash(
          request,
          reply,
          'error',
          action
            ? `A ${node.state} node cannot be made to boot ${action.target ?? ''} next: no allowed transition leads there.`
            : 'Unknown action.',
        );
        return reply.redirect(nodeHref(node.id), 303);
      }
      return send(
        reply,
        action.label,
        renderConfirm(node, { ...action, to: action.to }, sessions.csrfToken(user)),
        layout(request, reply, user),
      );
    },
  );

  app.post<{ Params: { id: string } }>('/ui/nodes/:id/act', async (request, reply) => {
    const user = await guardPost(request, reply, 'operator');
    if (!user) return reply;
    const form = request.body as Form;
    const node = await loadNode(request.params.id);
    if (!node) return notFound(request, reply, user, request.params.id);
    const action = resolveAction(node.state, form.action, form.target);
    const reason = (form.reason ?? '').trim();
    if (!action?.to) {
      sessions.flash(request, reply, 'error', 'Unknown action or no transition leads there.');
    } else if (!reason) {
      sessions.flash(request, reply, 'error', 'Say why: a reason is required and kept in the history.');
    } else {
      const version = /^[1-9][0-9]{0,15}$/.test(form.version ?? '') ? form.version : String(node.version);
      const res = await api<Node>(
        user,
        'POST',
        `/api/v1/nodes/${encodeURIComponent(node.id)}/transition`,
        { to: action.to, reason },
        { 'if-match': `"${version}"` },
      );
      sessions.flash(
        request,
        reply,
        res.ok ? 'ok' : 'error',
        res.ok ? `${action.label}: now ${res.value.state}, next boot ${res.value.bootTarget}.` : res.message,
      );
    }
    return reply.redirect(nodeHref(node.id), 303);
  });

  app.get<{ Params: { id: string } }>('/ui/nodes/:id/edit', async (request, reply) => {
    const user = await guard(request, reply, 'operator');
    if (!user) return reply;
    const node = await loadNode(request.params.id);
    if (!node) return notFound(request, reply, user, request.params.id);
    return send(reply, 'Edit', renderEdit(node, sessions.csrfToken(user)), layout(request, reply, user));
  });

  app.post<{ Params: { id: string } }>('/ui/nodes/:id/edit', async (request, reply) => {
    const user = await guardPost(request, reply, 'operator');
    if (!user) return reply;
    const form = request.body as Form;
    const node = await loadNode(request.params.id);
    if (!node) return notFound(request, reply, user, request.params.id);
    const location: Record<string, unknown> = { site: form.site?.trim() ?? '', rack: form.rack?.trim() ?? '' };
    if (form.room?.trim()) location.room = form.room.trim();
    if (form.unit?.trim()) location.unit = Number(form.unit);
    const update: Record<string, unknown> = { location };
    const disk = /^(serial|wwn|byId):(.+)$/.exec(form.disk ?? '');
    if (disk?.[1] && disk[2]) update.systemDisk = { [disk[1]]: disk[2] };
    if (form.reason?.trim()) update.reason = form.reason.trim();
    const version = /^[1-9][0-9]{0,15}$/.test(form.version ?? '') ? form.version : String(node.version);
    const res = await api<Node>(user, 'PATCH', `/api/v1/nodes/${encodeURIComponent(node.id)}`, update, {
      'if-match': `"${version}"`,
    });
    sessions.flash(
      request,
      reply,
      res.ok ? 'ok' : 'error',
      res.ok ? `Saved: location and system disk; state ${res.value.state}.` : res.message,
    );
    return reply.redirect(res.ok ? nodeHref(node.id) : `${nodeHref(node.id)}/edit`, 303);
  });

  // ---- users and tokens (admins) --------------------------------------------------------------------

  const adminPage = async (request: FastifyRequest, reply: FastifyReply, user: WebUser, issued: string | null) => {
    const users = await api<Page<User>>(user, 'GET', '/api/v1/users?limit=1000');
    const tokens = await api<Page<TokenInfo>>(user, 'GET', '/api/v1/tokens?limit=1000');
    const csrf = sessions.csrfToken(user);
    const roleSelect = `<select name="role"><option>viewer</option><option>operator</option><option>admin</option></select>`;
    const userRows = users.ok
      ? users.value.items
          .map(
            (u) =>
              `<tr><td>${html(u.username)}</td><td>${html(u.role)}</td><td>${html(u.createdAt.slice(0, 10))}</td><td><form method="post" action="/ui/admin/users/delete">${csrfField(csrf)}<input type="hidden" name="username" value="${html(u.username)}"><button class="danger" type="submit"${u.username === user.name ? ' disabled title="you cannot delete yourself"' : ''}>Delete</button></form></td></tr>`,
          )
          .join('')
      : '';
    const tokenRows = tokens.ok
      ? tokens.value.items
          .map(
            (t) =>
              `<tr><td>${html(t.name)}</td><td>${html(t.role)}</td><td>${html(t.createdBy)}</td><td>${html(t.expiresAt?.slice(0, 10) ?? 'never')}</td><td><form method="post" action="/ui/admin/tokens/revoke">${csrfField(csrf)}<input type="hidden" name="id" value="${html(t.id)}"><button class="danger" type="submit">Revoke</button></form></td></tr>`,
          )
          .join('')
      : '';
    return send(
      reply,
      'Users and tokens',
      `<h1>Users and tokens</h1>${issued ? `<p class="flash flash-ok" id="issued">New token (shown once, copy it now): <code>${html(issued)}</code></p>` : ''}
<h2>Local users</h2><p class="muted">LDAP users get their role from their groups and are not listed.</p>
<table id="users"><tr><th>user</th><th>role</th><th>created</th><th></th></tr>${userRows}</table>
<form class="filters" method="post" action="/ui/admin/users">${csrfField(csrf)}<label>user <input name="username" required></label>
<label>password (8+) <input name="password" type="password" minlength="8" required autocomplete="new-password"></label><label>role ${roleSelect}</label><button type="submit">Create user</button></form>
<h2>API tokens</h2><table id="tokens"><tr><th>name</th><th>role</th><th>created by</th><th>expires</th><th></th></tr>${tokenRows}</table>
<form class="filters" method="post" action="/ui/admin/tokens">${csrfField(csrf)}<label>name <input name="name" required></label><label>role ${roleSelect}</label>
<label>expires in days (empty: never) <input name="days" type="number" min="1" max="3650" size="5"></label><button type="submit">Create token</button></form>`,
      layout(request, reply, user),
      issued ? 201 : 200,
    );
  };

  app.get('/ui/admin', async (request, reply) => {
    const user = await guard(request, reply, 'admin');
    if (!user) return reply;
    return adminPage(request, reply, user, null);
  });
  app.post('/ui/admin/users', async (request, reply) => {
    const user = await guardPost(request, reply, 'admin');
    if (!user) return reply;
    const form = request.body as Form;
    const res = await api<User>(user, 'POST', '/api/v1/users', {
      username: form.username ?? '',
      password: form.password ?? '',
      role: form.role ?? '',
    });
    sessions.flash(
      request,
      reply,
      res.ok ? 'ok' : 'error',
      res.ok ? `Created ${res.value.role} ${res.value.username}.` : res.message,
    );
    return reply.redirect('/ui/admin', 303);
  });
  app.post('/ui/admin/users/delete', async (request, reply) => {
    const user = await guardPost(request, reply, 'admin');
    if (!user) return reply;
    const name = (request.body as Form).username ?? '';
    const res =
      name === user.name
        ? ({ ok: false, status: 409, message: 'You cannot delete your own account.' } as const)
        : await api<{ deleted: boolean }>(user, 'DELETE', `/api/v1/users/${encodeURIComponent(name)}`);
    sessions.flash(request, reply, res.ok ? 'ok' : 'error', res.ok ? `Deleted ${name}.` : res.message);
    return reply.redirect('/ui/admin', 303);
  });
  app.post('/ui/admin/tokens', async (request, reply) => {
    const user = await guardPost(request, reply, 'admin');
    if (!user) return reply;
    const form = request.body as Form;
    const days = form.days?.trim() ? Number(form.days) : null;
    const res = await api<{ token: string }>(user, 'POST', '/api/v1/tokens', {
      name: form.name ?? '',
      role: form.role ?? '',
      ...(days !== null ? { expiresInSeconds: Number.isFinite(days) ? Math.round(days * 86400) : -1 } : {}),
    });
    if (!res.ok) {
      sessions.flash(request, reply, 'error', res.message);
      return reply.redirect('/ui/admin', 303);
    }
    // The secret is rendered into this response only: never into a redirect, a cookie or a log.
    return adminPage(request, reply, user, res.value.token);
  });
  app.post('/ui/admin/tokens/revoke', async (request, reply) => {
    const user = await guardPost(request, reply, 'admin');
    if (!user) return reply;
    const id = (request.body as Form).id ?? '';
    const res = await api<{ deleted: boolean }>(user, 'DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
    sessions.flash(request, reply, res.ok ? 'ok' : 'error', res.ok ? 'Token revoked.' : res.message);
    return reply.redirect('/ui/admin', 303);
  });

  // ---- IPAM -----------------------------------------------------------------------------------------

  app.get('/ui/ipam', async (request, reply) => {
    const user = await guard(request, reply, 'viewer');
    if (!user) return reply;
    const pools = await deps.ipam.listPools();
    const usages = await Promise.all(
      pools.map(async (pool) => ({ pool, usage: await deps.ipam.poolUsage(pool.name) })),
    );
    return send(reply, 'IPAM', renderPools(usages), layout(request, reply, user));
  });

  const ipamMissing = (request: FastifyRequest, reply: FastifyReply, user: WebUser, what: string) =>
    send(
      reply,
      'Not found',
      `<h1>No ${html(what)}</h1><p><a href="/ui/ipam">IPAM</a></p>`,
      layout(request, reply, user),
      404,
    );
  const ipamLookup = async <T>(load: () => Promise<T>): Promise<T | null> => {
    try {
      return await load();
    } catch (error) {
      if (isFleetError(error) && (error.code === 'IPAM_NOT_FOUND' || error.code.startsWith('IPAM_INVALID')))
        return null;
      throw error;
    }
  };

  /**
   * How the console allocates from a prefix: a pool member by its pool's keep-free rules (the gateway
   * stays free, as for the server's own allocations from the pool), anything else by the IPAM's defaults.
   * The page's "next free" peeks with the very same input, so it names what "Allocate" will get.
   */
  const allocationFrom = async (prefix: Prefix): Promise<NextFreeAddressInput> => {
    const pool = prefix.pool ? await ipamLookup(() => deps.ipam.getPool(prefix.pool ?? '')) : null;
    return { from: prefix.id, ...(pool ? { keepFree: pool.keepFree } : {}) };
  };
  const nextFreeIn = async (input: NextFreeAddressInput): Promise<NextFree | null> => {
    try {
      return await deps.ipam.nextFreeAddress(input);
    } catch (error) {
      // A source that cannot hand out addresses (a reservation, an empty pool) simply has no next address.
      if (isFleetError(error) && error.code === 'IPAM_KIND_MISMATCH') return null;
      throw error;
    }
  };

  app.get<{ Params: { name: string } }>('/ui/ipam/pools/:name', async (request, reply) => {
    const user = await guard(request, reply, 'viewer');
    if (!user) return reply;
    const pool = await ipamLookup(() => deps.ipam.getPool(request.params.name));
    if (!pool) return ipamMissing(request, reply, user, `pool ${request.params.name}`);
    const prefixes = await deps.ipam.search({ pool: pool.name });
    const withUsage = await Promise.all(
      prefixes.map(async (prefix) => ({ prefix, usage: await deps.ipam.usage(prefix.id) })),
    );
    // One peek per family the pool holds assignments of: what an allocation from this pool gets next.
    const families = [...new Set(prefixes.filter((p) => p.kind === 'assignment').map((p) => p.family))].sort();
    const next = await Promise.all(
      families.map(async (family) => ({ family, next: await nextFreeIn({ pool: pool.name, family }) })),
    );
    return send(reply, `Pool ${pool.name}`, renderPool(pool, withUsage, next), layout(request, reply, user));
  });

  app.get<{ Params: { id: string } }>('/ui/ipam/prefixes/:id', async (request, reply) => {
    const user = await guard(request, reply, 'viewer');
    if (!user) return reply;
    const id = Number(request.params.id);
    const prefix = Number.isSafeInteger(id) ? await ipamLookup(() => deps.ipam.getPrefix(id)) : null;
    if (!prefix) return ipamMissing(request, reply, user, `prefix ${request.params.id}`);
    const [usage, children, nodes, next] = await Promise.all([
      deps.ipam.usage(prefix.id),
      deps.ipam.listChildren(prefix.id),
      fleet.nodes(),
      prefix.kind === 'assignment' ? allocationFrom(prefix).then(nextFreeIn) : null,
    ]);
    return send(
      reply,
      prefix.prefix,
      renderPrefix(prefix, usage, children, new Map(nodes.map((n) => [n.id, n.hostname ?? n.id])), {
        canAct: hasRole(user, 'operator'),
        csrf: sessions.csrfToken(user),
        next,
      }),
      layout(request, reply, user),
    );
  });

  app.post<{ Params: { id: string } }>('/ui/ipam/prefixes/:id/allocate', async (request, reply) => {
    const user = await guardPost(request, reply, 'operator');
    if (!user) return reply;
    const form = request.body as Form;
    const id = Number(request.params.id);
    try {
      const prefix = await deps.ipam.getPrefix(id);
      const got = await deps.ipam.withActor(user.name).allocateAddress({
        ...(await allocationFrom(prefix)),
        description: form.description ?? '',
        ...(form.function?.trim() ? { function: form.function.trim() } : {}),
        ...(form.node?.trim() ? { node: form.node.trim() } : {}),
      });
      sessions.flash(request, reply, 'ok', `Allocated ${got.prefix}.`);
    } catch (error) {
      if (!isFleetError(error)) throw error;
      sessions.flash(request, reply, 'error', `${error.code}: ${error.message}`);
    }
    return reply.redirect(`/ui/ipam/prefixes/${Number.isSafeInteger(id) ? id : ''}`, 303);
  });

  app.post<{ Params: { id: string } }>('/ui/ipam/prefixes/:id/release', async (request, reply) => {
    const user = await guardPost(request, reply, 'operator');
    if (!user) return reply;
    const id = Number(request.params.id);
    const childId = Number((request.body as Form).child);
    try {
      const child = await deps.ipam.getPrefix(childId);
      if (child.parentId !== id) throw new FleetError('IPAM_NOT_FOUND', `prefix ${childId} is not inside prefix ${id}`, { kind: 'not-found' });
      // An address MachineDB still records for a node is released through MachineDB (decommission), not here.
      const address = child.prefix.replace(/\/(32|128)$/, '');
      const holder = child.node ? (await fleet.nodes()).find((n) => n.id === child.node) : undefined;
      if (holder?.addresses.some((a) => a.address === address)) {
        throw new FleetError(
          'IPAM_IN_USE',
          `${address} is ${holder.hostname ?? holder.id}'s address in MachineDB: decommission the node to release it`,
          { kind: 'conflict' },
        );
      }
      await deps.ipam.withActor(user.name).release(child.id);
      sessions.flash(request, reply, 'ok', `Released ${child.prefix}.`);
    } catch (error) {
      if (!isFleetError(error)) throw error;
      sessions.flash(request, reply, 'error', `${error.code}: ${error.message}`);
    }
    return reply.redirect(`/ui/ipam/prefixes/${Number.isSafeInteger(id) ? id : ''}`, 303);
  });

  // ---- drift ----------------------------------------------------------------------------------------

  app.get('/ui/drift', async (request, reply) => {
    const user = await guard(request, reply, 'viewer');
    if (!user) return reply;
    const l = layout(request, reply, user);
    if (!deps.hasConsul)
      return send(
        reply,
        'Drift',
        '<h1>Drift</h1><p id="drift">No Consul datacenters configured (FLEET_CONSUL_DATACENTERS).</p>',
        l,
      );
    const checkedAt = new Date();
    try {
      const report = await deps.drift();
      const byDc = new Map<string, number>();
      for (const f of report.findings) byDc.set(f.datacenter, (byDc.get(f.datacenter) ?? 0) + 1);
      const nodes = await fleet.nodes();
      const byName = new Map<string, string>();
      for (const n of nodes) {
        byName.set(n.id, n.id);
        if (n.hostname) byName.set(n.hostname, n.id);
      }
      const detail = (f: DriftReport['findings'][number]) => {
        const { kind: _k, node: _n, datacenter: _d, ...rest } = f;
        return Object.entries(rest)
          .map(
            ([k, v]) =>
              `${k}: ${
                Array.isArray(v)
                  ? v.join(', ')
                  : typeof v === 'object' && v !== null
                    ? Object.entries(v)
                        .map(([a, b]) => `${a}=${String(b)}`)
                        .join(', ')
                    : String(v)
              }`,
          )
          .join('; ');
      };
      const rows = report.findings
        .map((f) => {
          const id = byName.get(f.node);
          return `<tr><td>${html(f.datacenter)}</td><td>${id ? `<a href="${nodeHref(id)}">${html(f.node)}</a>` : html(f.node)}</td><td>${html(f.kind)}</td><td>${html(detail(f))}</td></tr>`;
        })
        .join('');
      const summary = [...byDc].map(([dc, c]) => `<div class="card"><b>${c}</b>${html(dc)}</div>`).join('');
      return send(
        reply,
        'Drift',
        `<h1>Drift: MachineDB vs Consul</h1><p id="checked">Checked ${html(checkedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC (on each page load).</p>
<div class="cards" id="drift-summary">${summary || '<p>No drift in any datacenter.</p>'}</div>
<div class="scroll"><table id="drift"><tr><th>datacenter</th><th>node</th><th>kind</th><th>detail</th></tr>${rows || '<tr><td colspan="4">no drift</td></tr>'}</table></div>`,
        l,
      );
    } catch (error) {
      return send(
        reply,
        'Drift',
        `<h1>Drift</h1><p id="drift">Consul could not be read: ${html(describeError(error))}</p>`,
        l,
      );
    }
  });
}
