import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { formatGoDuration, parseGoDuration } from './duration.js';
import {
  type CheckRecord,
  type CheckStatus,
  ConsulDoubleHttpError,
  ConsulDoubleState,
  type KvRecord,
  type NodeRecord,
  type ServiceRecord,
  type SessionRecord,
  cmp,
} from './state.js';

/**
 * A Consul HTTP API **test double**: an in-process node:http server that answers the subset of Consul's
 * HTTP API fleet uses (KV with blocking queries, CAS and session locks; sessions with TTL; catalog;
 * health; agent/self; status), written from Consul's HTTP API documentation. It is not Consul: there is
 * no Raft, no gossip, no ACL policy language. Tests that run against it also run against a real agent
 * when CONSUL_HTTP_ADDR is set (see `startConsulTarget`).
 */
export interface ConsulDoubleOptions {
  /** Datacenter this double answers for. Default `dc1`. */
  datacenter?: string;
  /** The agent's own node name (registered in the catalog with a passing serfHealth check). Default `consul-double`. */
  nodeName?: string;
  /** Port to listen on (127.0.0.1). Default 0 = any free port. */
  port?: number;
  /** When set, every API call except /v1/status needs this token (X-Consul-Token, Bearer or ?token=). */
  aclToken?: string;
  /** Shortest session TTL accepted. Consul's is 10 s; lower it to make expiry tests fast. */
  sessionTtlMinMs?: number;
  /** Consul invalidates a TTL session after TTL × 2 without renewal. */
  sessionTtlMultiplier?: number;
  /** Other datacenters this one can reach with ?dc= (requests are forwarded to them). */
  peers?: ReadonlyArray<ConsulDoublePeer>;
}

export interface ConsulDoublePeer {
  datacenter: string;
  url: string;
}

export interface SeedNode {
  node: string;
  address: string;
  id?: string;
  taggedAddresses?: Record<string, string>;
  meta?: Record<string, string>;
}

export interface SeedService {
  node: string;
  service: string;
  id?: string;
  tags?: string[];
  address?: string;
  port?: number;
  meta?: Record<string, string>;
}

export interface SeedCheck {
  node: string;
  checkId: string;
  name?: string;
  status: CheckStatus;
  serviceId?: string;
  output?: string;
  notes?: string;
}

export interface ConsulDoubleRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

export interface ConsulDouble {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly datacenter: string;
  readonly nodeName: string;
  /** Requests received so far (method, path, query), in order; for asserting on traffic. */
  readonly requests: readonly ConsulDoubleRequest[];
  /** Lets `?dc=<peer>` reach another datacenter (forwarded over HTTP, as Consul servers forward over RPC). */
  addPeer(peer: ConsulDoublePeer): void;
  registerNode(node: SeedNode): void;
  registerService(service: SeedService): void;
  setCheck(check: SeedCheck): void;
  deregisterNode(node: string): void;
  /** Invalidates a session as if its TTL ran out or its node failed. */
  invalidateSession(id: string): void;
  /** The stored value of a key (for assertions), or undefined. */
  readKey(key: string): string | undefined;
  /** Simulates an outage: stops listening and drops every open connection; state is kept. */
  suspend(): Promise<void>;
  /** Listens again on the same port after `suspend()`. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

const MAX_WAIT_MS = 10 * 60_000;
const DEFAULT_WAIT_MS = 5 * 60_000;
const MAX_VALUE_BYTES = 512 * 1024;

interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  raw?: Buffer;
  index?: number;
}

type Query = Record<string, string>;

/** Starts a Consul HTTP API test double on 127.0.0.1. */
export async function startConsulDouble(options: ConsulDoubleOptions = {}): Promise<ConsulDouble> {
  const datacenter = options.datacenter ?? 'dc1';
  const nodeName = options.nodeName ?? 'consul-double';
  const state = new ConsulDoubleState({
    sessionTtlMinMs: options.sessionTtlMinMs ?? 10_000,
    sessionTtlMultiplier: options.sessionTtlMultiplier ?? 2,
  });
  const peers = new Map<string, string>();
  for (const peer of options.peers ?? []) peers.set(peer.datacenter, peer.url);
  const requests: ConsulDoubleRequest[] = [];
  const nodeId = randomUUID();

  // The agent's own node, as a Consul server registers itself.
  state.register({
    id: nodeId,
    node: nodeName,
    address: '127.0.0.1',
    taggedAddresses: { lan: '127.0.0.1', lan_ipv4: '127.0.0.1', wan: '127.0.0.1', wan_ipv4: '127.0.0.1' },
    meta: { 'consul-network-segment': '' },
    service: { id: 'consul', service: 'consul', port: 8300 },
    checks: [{ checkId: 'serfHealth', name: 'Serf Health Status', status: 'passing', output: 'Agent alive and reachable' }],
  });

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, text: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let port = options.port ?? 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  await listen();

  function send(res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = {
      'X-Consul-Effective-Consistency': 'leader',
      'X-Consul-KnownLeader': 'true',
      'X-Consul-LastContact': '0',
      Vary: 'Accept-Encoding',
    };
    if (reply.index !== undefined) headers['X-Consul-Index'] = String(reply.index);
    let payload: Buffer;
    if (reply.raw !== undefined) {
      payload = reply.raw;
      headers['Content-Type'] = 'text/plain; charset=utf-8';
    } else if (reply.text !== undefined) {
      payload = Buffer.from(reply.text);
      headers['Content-Type'] = 'text/plain; charset=utf-8';
    } else {
      payload = Buffer.from(JSON.stringify(reply.body ?? null));
      headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = String(payload.length);
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  function tokenOf(req: IncomingMessage, query: Query): string | undefined {
    const header = req.headers['x-consul-token'];
    if (typeof header === 'string' && header) return header;
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
    return query.token;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const query: Query = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const method = req.method ?? 'GET';
    const path = url.pathname;
    requests.push({ method, path, query });
    const body = await readBody(req);

    if (options.aclToken !== undefined && !path.startsWith('/v1/status/')) {
      const token = tokenOf(req, query);
      if (token === undefined) return send(res, { status: 403, text: 'Permission denied: anonymous token lacks permission' });
      if (token !== options.aclToken) return send(res, { status: 403, text: 'ACL not found' });
    }

    const dc = query.dc;
    if (dc !== undefined && dc !== '' && dc !== datacenter) {
      const peerUrl = peers.get(dc);
      if (!peerUrl) return send(res, { status: 500, text: 'No path to datacenter' });
      return forward(req, res, peerUrl, body);
    }

    if (path.startsWith('/v1/kv/') || path === '/v1/kv') {
      const key = decodeURIComponent(path.slice('/v1/kv/'.length));
      if (method === 'GET') return blocking(req, res, query, () => kvGet(key, query));
      if (method === 'PUT') return send(res, kvPut(key, query, body));
      if (method === 'DELETE') return send(res, kvDelete(key, query));
      return methodNotAllowed(res, method);
    }
    const route = matchRoute(method, path);
    if (!route) return send(res, { status: 404, text: `Unsupported path: ${path} is not served by this Consul test double` });
    if (route.method !== method && !(route.method === 'PUT' && method === 'POST')) return methodNotAllowed(res, method);
    if (query.filter !== undefined) {
      return send(res, { status: 400, text: 'filter expressions are not supported by the Consul test double' });
    }
    try {
      if (route.blocking) return await blocking(req, res, query, () => route.run(route.arg, query, body));
      return send(res, route.run(route.arg, query, body));
    } catch (error) {
      if (error instanceof ConsulDoubleHttpError) return send(res, { status: error.status, text: error.message });
      throw error;
    }
  }

  function methodNotAllowed(res: ServerResponse, method: string): void {
    send(res, { status: 405, text: `method ${method} not allowed` });
  }

  function forward(req: IncomingMessage, res: ServerResponse, peerUrl: string, body: Buffer): Promise<void> {
    return new Promise((resolve) => {
      const target = new URL(req.url ?? '/', peerUrl);
      const headers = { ...req.headers, host: target.host };
      delete headers['content-length'];
      const out = httpRequest(target, { method: req.method, headers: { ...headers, 'content-length': body.length } }, (peerRes) => {
        res.writeHead(peerRes.statusCode ?? 500, peerRes.headers);
        peerRes.pipe(res);
        peerRes.on('end', () => resolve());
        peerRes.on('error', () => resolve());
      });
      out.on('error', () => {
        if (!res.headersSent) send(res, { status: 500, text: 'No path to datacenter' });
        resolve();
      });
      res.on('close', () => out.destroy());
      out.end(body);
    });
  }

  /** Implements Consul's blocking queries: with ?index=N, hold the request until the result's index > N or wait runs out. */
  async function blocking(req: IncomingMessage, res: ServerResponse, query: Query, compute: () => Reply): Promise<void> {
    let waitMs = DEFAULT_WAIT_MS;
    if (query.wait !== undefined) {
      const parsed = parseGoDuration(query.wait);
      if (parsed === undefined) return send(res, { status: 400, text: `Invalid wait time: ${query.wait}` });
      waitMs = Math.min(parsed, MAX_WAIT_MS);
    }
    if (query.index !== undefined && !/^\d+$/.test(query.index)) {
      return send(res, { status: 400, text: `Invalid index: ${query.index}` });
    }
    const first = compute();
    const minIndex = query.index !== undefined ? Number(query.index) : 0;
    if (!(minIndex > 0) || first.index === undefined || first.index > minIndex) return send(res, first);
    // Consul adds up to wait/16 of jitter so that many watchers do not wake at once.
    waitMs += Math.random() * (waitMs / 16);
    const reply = await new Promise<Reply>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        res.off('close', finish);
        req.socket.off('close', finish);
        resolve(compute());
      };
      const timer = setTimeout(finish, waitMs);
      const unsubscribe = state.subscribe(() => {
        const next = compute();
        if (next.index !== undefined && next.index > minIndex) finish();
      });
      res.once('close', finish);
      req.socket.once('close', finish);
    });
    if (res.destroyed || res.writableEnded) return;
    send(res, reply);
  }

  // ---- KV ---------------------------------------------------------------------------------------------

  function kvJson(rec: KvRecord): Record<string, unknown> {
    return {
      LockIndex: rec.lockIndex,
      Key: rec.key,
      Flags: rec.flags,
      Value: rec.value === null || rec.value.length === 0 ? null : rec.value.toString('base64'),
      ...(rec.session ? { Session: rec.session } : {}),
      CreateIndex: rec.createIndex,
      ModifyIndex: rec.modifyIndex,
    };
  }

  function kvGet(key: string, query: Query): Reply {
    const listing = 'keys' in query;
    const recurse = 'recurse' in query || listing;
    const index = state.kvQueryIndex(key, recurse);
    if (listing) {
      const sep = query.separator ?? '';
      const out = new Set<string>();
      for (const rec of state.kvList(key)) {
        if (sep) {
          const at = rec.key.indexOf(sep, key.length);
          out.add(at >= 0 ? rec.key.slice(0, at + sep.length) : rec.key);
        } else out.add(rec.key);
      }
      if (out.size === 0) return { status: 404, index };
      return { status: 200, body: [...out].sort(cmp), index };
    }
    if (recurse) {
      const list = state.kvList(key);
      if (list.length === 0) return { status: 404, index };
      return { status: 200, body: list.map(kvJson), index };
    }
    const rec = state.kv.get(key);
    if (!rec) return { status: 404, index };
    if ('raw' in query) return { status: 200, raw: rec.value ?? Buffer.alloc(0), index };
    return { status: 200, body: [kvJson(rec)], index };
  }

  function kvPut(key: string, query: Query, body: Buffer): Reply {
    if (!key) return { status: 400, text: 'Missing key name' };
    if (body.length > MAX_VALUE_BYTES) {
      return { status: 413, text: `Request body(${body.length} bytes) too large, max size: ${MAX_VALUE_BYTES} bytes.` };
    }
    const opts: { flags?: number; cas?: number; acquire?: string; release?: string } = {};
    for (const name of ['flags', 'cas'] as const) {
      if (query[name] !== undefined) {
        const n = Number(query[name]);
        if (!Number.isInteger(n) || n < 0) return { status: 400, text: `Invalid ${name} value: ${query[name]}` };
        opts[name] = n;
      }
    }
    if (query.acquire !== undefined) opts.acquire = query.acquire;
    if (query.release !== undefined) opts.release = query.release;
    if (opts.acquire !== undefined && opts.release !== undefined) {
      return { status: 400, text: 'Conflicting flags: acquire and release' };
    }
    try {
      return { status: 200, body: state.kvPut(key, body, opts) };
    } catch (error) {
      if (error instanceof ConsulDoubleHttpError) return { status: error.status, text: error.message };
      throw error;
    }
  }

  function kvDelete(key: string, query: Query): Reply {
    const recurse = 'recurse' in query;
    if (!key && !recurse) return { status: 400, text: 'Missing key name' };
    const opts: { recurse?: boolean; cas?: number } = { recurse };
    if (query.cas !== undefined) {
      if (recurse) return { status: 400, text: 'Conflicting flags: cas and recurse' };
      const n = Number(query.cas);
      if (!Number.isInteger(n) || n < 0) return { status: 400, text: `Invalid cas value: ${query.cas}` };
      opts.cas = n;
    }
    return { status: 200, body: state.kvDelete(key, opts) };
  }

  // ---- JSON shapes ------------------------------------------------------------------------------------

  function sessionJson(s: SessionRecord): Record<string, unknown> {
    return {
      ID: s.id,
      Name: s.name,
      Node: s.node,
      LockDelay: s.lockDelayMs * 1e6, // nanoseconds, as Consul encodes time.Duration
      Behavior: s.behavior,
      TTL: s.ttlMs === 0 ? '' : formatGoDuration(s.ttlMs),
      NodeChecks: s.nodeChecks,
      ServiceChecks: s.serviceChecks.length ? s.serviceChecks : null,
      CreateIndex: s.createIndex,
      ModifyIndex: s.modifyIndex,
    };
  }

  function taggedOrNull(map: Record<string, string>): Record<string, string> | null {
    return Object.keys(map).length ? map : null;
  }

  function nodeJson(n: NodeRecord): Record<string, unknown> {
    return {
      ID: n.id,
      Node: n.node,
      Address: n.address,
      Datacenter: datacenter,
      TaggedAddresses: taggedOrNull(n.taggedAddresses),
      Meta: n.meta,
      CreateIndex: n.createIndex,
      ModifyIndex: n.modifyIndex,
    };
  }

  function agentServiceJson(s: ServiceRecord): Record<string, unknown> {
    return {
      ID: s.id,
      Service: s.service,
      Tags: s.tags,
      Address: s.address,
      Meta: s.meta,
      Port: s.port,
      Weights: { Passing: 1, Warning: 1 },
      EnableTagOverride: false,
      CreateIndex: s.createIndex,
      ModifyIndex: s.modifyIndex,
    };
  }

  function catalogServiceJson(s: ServiceRecord): Record<string, unknown> {
    const n = state.nodes.get(s.node);
    return {
      ID: n?.id ?? '',
      Node: s.node,
      Address: n?.address ?? '',
      Datacenter: datacenter,
      TaggedAddresses: n ? taggedOrNull(n.taggedAddresses) : null,
      NodeMeta: n?.meta ?? {},
      ServiceKind: '',
      ServiceID: s.id,
      ServiceName: s.service,
      ServiceTags: s.tags,
      ServiceAddress: s.address,
      ServiceMeta: s.meta,
      ServicePort: s.port,
      ServiceEnableTagOverride: false,
      CreateIndex: s.createIndex,
      ModifyIndex: s.modifyIndex,
    };
  }

  function checkJson(c: CheckRecord): Record<string, unknown> {
    const svc = c.serviceId ? state.services.get(`${c.node}\0${c.serviceId}`) : undefined;
    return {
      Node: c.node,
      CheckID: c.checkId,
      Name: c.name,
      Status: c.status,
      Notes: c.notes,
      Output: c.output,
      ServiceID: c.serviceId,
      ServiceName: svc?.service ?? '',
      ServiceTags: svc?.tags ?? [],
      Type: c.type,
      Definition: {},
      CreateIndex: c.createIndex,
      ModifyIndex: c.modifyIndex,
    };
  }

  function nodeMetaFilter(query: Query): (n: NodeRecord | undefined) => boolean {
    const wanted = query['node-meta'];
    if (!wanted) return () => true;
    const at = wanted.indexOf(':');
    const key = at >= 0 ? wanted.slice(0, at) : wanted;
    const value = at >= 0 ? wanted.slice(at + 1) : '';
    return (n) => n !== undefined && n.meta[key] === value;
  }

  // ---- Routes -----------------------------------------------------------------------------------------

  interface Route {
    method: 'GET' | 'PUT';
    blocking: boolean;
    arg: string;
    run(arg: string, query: Query, body: Buffer): Reply;
  }

  const catalogIdx = () => state.catalogIndex;

  const routes: Array<{ pattern: RegExp; method: 'GET' | 'PUT'; blocking: boolean; run: Route['run'] }> = [
    {
      pattern: /^\/v1\/session\/create$/,
      method: 'PUT',
      blocking: false,
      run: (_arg, _query, body) => {
        const json = parseJson(body) ?? {};
        const lockDelayRaw = field(json, 'LockDelay');
        const ttlRaw = field(json, 'TTL');
        let ttlMs: number | undefined;
        if (typeof ttlRaw === 'string' && ttlRaw !== '') {
          ttlMs = parseGoDuration(ttlRaw);
          if (ttlMs === undefined) throw new ConsulDoubleHttpError(400, `Request decode failed: invalid TTL ${ttlRaw}`);
        }
        const checks = field(json, 'Checks') ?? field(json, 'NodeChecks');
        const session = state.sessionCreate({
          name: stringField(json, 'Name'),
          node: stringField(json, 'Node') || nodeName,
          lockDelayMs: parseLockDelay(lockDelayRaw),
          behavior: stringField(json, 'Behavior') || undefined,
          ttlMs,
          nodeChecks: Array.isArray(checks) ? checks.map(String) : undefined,
          serviceChecks: Array.isArray(field(json, 'ServiceChecks'))
            ? (field(json, 'ServiceChecks') as Array<{ ID: string }>)
            : undefined,
        });
        return { status: 200, body: { ID: session.id } };
      },
    },
    {
      pattern: /^\/v1\/session\/destroy\/(.+)$/,
      method: 'PUT',
      blocking: false,
      run: (id) => ({ status: 200, body: state.sessionDestroy(id) }),
    },
    {
      pattern: /^\/v1\/session\/renew\/(.+)$/,
      method: 'PUT',
      blocking: false,
      run: (id) => {
        const session = state.sessionRenew(id);
        if (!session) return { status: 404, text: `Session id '${id}' not found` };
        return { status: 200, body: [sessionJson(session)] };
      },
    },
    {
      pattern: /^\/v1\/session\/info\/(.+)$/,
      method: 'GET',
      blocking: true,
      run: (id) => {
        const session = state.sessions.get(id);
        return { status: 200, body: session ? [sessionJson(session)] : null, index: state.sessionIndex };
      },
    },
    {
      pattern: /^\/v1\/session\/node\/(.+)$/,
      method: 'GET',
      blocking: true,
      run: (node) => ({
        status: 200,
        body: [...state.sessions.values()].filter((s) => s.node === node).map(sessionJson),
        index: state.sessionIndex,
      }),
    },
    {
      pattern: /^\/v1\/session\/list$/,
      method: 'GET',
      blocking: true,
      run: () => ({ status: 200, body: [...state.sessions.values()].map(sessionJson), index: state.sessionIndex }),
    },
    {
      pattern: /^\/v1\/catalog\/register$/,
      method: 'PUT',
      blocking: false,
      run: (_arg, _query, body) => {
        const json = parseJson(body);
        if (!json) throw new ConsulDoubleHttpError(400, 'Request decode failed: empty body');
        const tagged = field(json, 'TaggedAddresses');
        if (tagged !== undefined && tagged !== null && !isStringMap(tagged)) {
          throw new ConsulDoubleHttpError(400, 'Request decode failed: TaggedAddresses must map names to address strings');
        }
        const svc = field(json, 'Service') as Record<string, unknown> | undefined;
        const check = field(json, 'Check') as Record<string, unknown> | undefined;
        const checks = (field(json, 'Checks') as Array<Record<string, unknown>> | undefined) ?? [];
        state.register({
          id: stringField(json, 'ID') || undefined,
          node: stringField(json, 'Node'),
          address: stringField(json, 'Address'),
          taggedAddresses: (tagged as Record<string, string> | null | undefined) ?? undefined,
          meta: (field(json, 'NodeMeta') as Record<string, string> | undefined) ?? undefined,
          skipNodeUpdate: field(json, 'SkipNodeUpdate') === true,
          service: svc
            ? {
                id: stringField(svc, 'ID') || undefined,
                service: stringField(svc, 'Service'),
                tags: (field(svc, 'Tags') as string[] | undefined) ?? [],
                address: stringField(svc, 'Address'),
                port: Number(field(svc, 'Port') ?? 0),
                meta: (field(svc, 'Meta') as Record<string, string> | undefined) ?? {},
              }
            : undefined,
          checks: [...(check ? [check] : []), ...checks].map((c) => ({
            node: stringField(c, 'Node') || undefined,
            checkId: stringField(c, 'CheckID') || undefined,
            name: stringField(c, 'Name') || undefined,
            status: stringField(c, 'Status') || undefined,
            notes: stringField(c, 'Notes'),
            output: stringField(c, 'Output'),
            serviceId: stringField(c, 'ServiceID'),
          })),
        });
        return { status: 200, body: true };
      },
    },
    {
      pattern: /^\/v1\/catalog\/deregister$/,
      method: 'PUT',
      blocking: false,
      run: (_arg, _query, body) => {
        const json = parseJson(body) ?? {};
        state.deregister({
          node: stringField(json, 'Node'),
          serviceId: stringField(json, 'ServiceID') || undefined,
          checkId: stringField(json, 'CheckID') || undefined,
        });
        return { status: 200, body: true };
      },
    },
    {
      pattern: /^\/v1\/catalog\/datacenters$/,
      method: 'GET',
      blocking: false,
      run: () => ({ status: 200, body: [datacenter, ...[...peers.keys()].sort(cmp)] }),
    },
    {
      pattern: /^\/v1\/catalog\/nodes$/,
      method: 'GET',
      blocking: true,
      run: (_arg, query) => {
        const keep = nodeMetaFilter(query);
        const list = [...state.nodes.values()].filter(keep).sort((a, b) => cmp(a.node, b.node));
        return { status: 200, body: list.map(nodeJson), index: catalogIdx() };
      },
    },
    {
      pattern: /^\/v1\/catalog\/node\/(.+)$/,
      method: 'GET',
      blocking: true,
      run: (name) => {
        const n = state.nodes.get(name);
        if (!n) return { status: 200, body: null, index: catalogIdx() };
        const services: Record<string, unknown> = {};
        for (const s of state.servicesOf(name)) services[s.id] = agentServiceJson(s);
        return { status: 200, body: { Node: nodeJson(n), Services: services }, index: catalogIdx() };
      },
    },
    {
      pattern: /^\/v1\/catalog\/services$/,
      method: 'GET',
      blocking: true,
      run: (_arg, query) => {
        const keep = nodeMetaFilter(query);
        const out: Record<string, string[]> = {};
        const names = [...state.services.values()].sort((a, b) => cmp(a.service, b.service));
        for (const s of names) {
          if (!keep(state.nodes.get(s.node))) continue;
          const tags = new Set(out[s.service] ?? []);
          for (const t of s.tags) tags.add(t);
          out[s.service] = [...tags].sort(cmp);
        }
        return { status: 200, body: out, index: catalogIdx() };
      },
    },
    {
      pattern: /^\/v1\/catalog\/service\/(.+)$/,
      method: 'GET',
      blocking: true,
      run: (name, query) => {
        const keep = nodeMetaFilter(query);
        const list = [...state.services.values()]
          .filter((s) => s.service === name && keep(state.nodes.get(s.node)))
          .filter((s) => query.tag === undefined || s.tags.includes(query.tag))
          .sort((a, b) => cmp(a.node, b.node) || cmp(a.id, b.id));
        return { status: 200, body: list.map(catalogServiceJson), index: catalogIdx() };
      },
    },
    {
      pattern: /^\/v1\/health\/node\/(.+)$/,
      method: 'GET',
      blocking: true,
      run: (node) => ({ status: 200, body: state.checksOf(node).map(checkJson), index: catalogIdx() }),
    },
    {
      pattern: /^\/v1\/health\/checks\/(.+)$/,
      method: 'GET',
      blocking: true,
      run: (service) => {
        const ids = new Set(
          [...state.services.values()].filter((s) => s.service === service).map((s) => `${s.node}\0${s.id}`),
        );
        const list = [...state.checks.values()]
          .filter((c) => c.serviceId && ids.has(`${c.node}\0${c.serviceId}`))
          .sort((a, b) => cmp(a.node, b.node) || cmp(a.checkId, b.checkId));
        return { status: 200, body: list.map(checkJson), index: catalogIdx() };
      },
    },
    {
      pattern: /^\/v1\/health\/service\/(.+)$/,
      method: 'GET',
      blocking: true,
      run: (service, query) => {
        const keep = nodeMetaFilter(query);
        const passingOnly = 'passing' in query && query.passing !== 'false';
        const entries = [...state.services.values()]
          .filter((s) => s.service === service && keep(state.nodes.get(s.node)))
          .filter((s) => query.tag === undefined || s.tags.includes(query.tag))
          .sort((a, b) => cmp(a.node, b.node) || cmp(a.id, b.id))
          .map((s) => {
            const checks = state.checksOf(s.node).filter((c) => c.serviceId === '' || c.serviceId === s.id);
            const n = state.nodes.get(s.node);
            return { s, n, checks };
          })
          .filter((e) => !passingOnly || e.checks.every((c) => c.status === 'passing'));
        return {
          status: 200,
          body: entries.map((e) => ({
            Node: e.n ? nodeJson(e.n) : null,
            Service: agentServiceJson(e.s),
            Checks: e.checks.map(checkJson),
          })),
          index: catalogIdx(),
        };
      },
    },
    {
      pattern: /^\/v1\/health\/state\/(.+)$/,
      method: 'GET',
      blocking: true,
      run: (wanted) => {
        if (!['any', 'passing', 'warning', 'critical'].includes(wanted)) {
          return { status: 400, text: `Invalid state: ${wanted}` };
        }
        const list = [...state.checks.values()]
          .filter((c) => wanted === 'any' || c.status === wanted)
          .sort((a, b) => cmp(a.node, b.node) || cmp(a.checkId, b.checkId));
        return { status: 200, body: list.map(checkJson), index: catalogIdx() };
      },
    },
    {
      pattern: /^\/v1\/agent\/self$/,
      method: 'GET',
      blocking: false,
      run: () => ({
        status: 200,
        body: {
          Config: {
            Datacenter: datacenter,
            PrimaryDatacenter: datacenter,
            NodeName: nodeName,
            NodeID: nodeId,
            Server: true,
            Revision: 'test-double',
            Version: '1.20.0',
            BuildDate: '2026-01-01T00:00:00Z',
          },
          Member: {
            Name: nodeName,
            Addr: '127.0.0.1',
            Port: 8301,
            Tags: { dc: datacenter, role: 'consul', id: nodeId, build: '1.20.0:test-double' },
            Status: 1,
          },
          Meta: { 'consul-network-segment': '', 'fleet-test-double': 'true' },
        },
      }),
    },
    {
      pattern: /^\/v1\/status\/leader$/,
      method: 'GET',
      blocking: false,
      run: () => ({ status: 200, body: '127.0.0.1:8300' }),
    },
    {
      pattern: /^\/v1\/status\/peers$/,
      method: 'GET',
      blocking: false,
      run: () => ({ status: 200, body: ['127.0.0.1:8300'] }),
    },
  ];

  function matchRoute(method: string, path: string): Route | undefined {
    let fallback: Route | undefined;
    for (const r of routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      const route: Route = { method: r.method, blocking: r.blocking, arg: decodeURIComponent(m[1] ?? ''), run: r.run };
      if (r.method === method || (r.method === 'PUT' && method === 'POST')) return route;
      fallback ??= route;
    }
    return fallback;
  }

  let suspended = false;
  let closed = false;
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    host: '127.0.0.1',
    get port() {
      return port;
    },
    datacenter,
    nodeName,
    requests,
    addPeer(peer) {
      peers.set(peer.datacenter, peer.url);
    },
    registerNode(node) {
      state.register({
        id: node.id,
        node: node.node,
        address: node.address,
        taggedAddresses: node.taggedAddresses,
        meta: node.meta,
      });
    },
    registerService(service) {
      const n = state.nodes.get(service.node);
      if (!n) throw new Error(`registerService: node ${service.node} is not registered in the double`);
      state.register({ node: service.node, address: n.address, skipNodeUpdate: true, service: { ...service } });
    },
    setCheck(check) {
      const n = state.nodes.get(check.node);
      if (!n) throw new Error(`setCheck: node ${check.node} is not registered in the double`);
      state.register({ node: check.node, address: n.address, skipNodeUpdate: true, checks: [{ ...check }] });
    },
    deregisterNode(node) {
      state.deregister({ node });
    },
    invalidateSession(id) {
      state.sessionDestroy(id);
    },
    readKey(key) {
      const rec = state.kv.get(key);
      return rec ? (rec.value?.toString('utf8') ?? '') : undefined;
    },
    async suspend() {
      suspended = true;
      await stopListening();
    },
    async resume() {
      if (!suspended || closed) return;
      suspended = false;
      await listen();
    },
    async close() {
      if (closed) return;
      closed = true;
      state.close();
      await stopListening();
    },
  };
}

/** Tells each double about all the others, so `?dc=` reaches every datacenter from any of them. */
export function federateConsulDoubles(doubles: readonly ConsulDouble[]): void {
  for (const a of doubles) {
    for (const b of doubles) if (a !== b) a.addPeer({ datacenter: b.datacenter, url: b.url });
  }
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value === null || typeof value !== 'object') throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new ConsulDoubleHttpError(400, `Request decode failed: ${(error as Error).message}`);
  }
}

/** Consul decodes request JSON case-insensitively (Go's encoding/json). */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function stringField(obj: Record<string, unknown>, name: string): string {
  const v = field(obj, name);
  return typeof v === 'string' ? v : '';
}

function isStringMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

/** LockDelay: a duration string, or a number read as seconds when small and nanoseconds otherwise (Consul's fixup). */
function parseLockDelay(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'number') return raw < 1000 ? raw * 1000 : raw / 1e6;
  if (typeof raw === 'string') {
    const ms = parseGoDuration(raw);
    if (ms === undefined) throw new ConsulDoubleHttpError(400, `Request decode failed: invalid LockDelay ${raw}`);
    return ms;
  }
  throw new ConsulDoubleHttpError(400, 'Request decode failed: invalid LockDelay');
}
