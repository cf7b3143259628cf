import { randomUUID } from 'node:crypto';

/**
 * The in-memory data of the Consul test double: one datacenter's KV store, sessions and catalog, with a
 * single Raft-like index that every write advances (as in Consul, all tables share one index space).
 * Semantics follow Consul's HTTP API documentation; nothing here is a real Consul server.
 */

export type CheckStatus = 'passing' | 'warning' | 'critical' | 'maintenance';

export interface KvRecord {
  key: string;
  value: Buffer | null;
  flags: number;
  createIndex: number;
  modifyIndex: number;
  lockIndex: number;
  session?: string;
}

export interface SessionRecord {
  id: string;
  name: string;
  node: string;
  lockDelayMs: number;
  behavior: 'release' | 'delete';
  ttlMs: number;
  nodeChecks: string[];
  serviceChecks: Array<{ ID: string; Namespace?: string }>;
  createIndex: number;
  modifyIndex: number;
  timer?: NodeJS.Timeout;
}

export interface NodeRecord {
  id: string;
  node: string;
  address: string;
  taggedAddresses: Record<string, string>;
  meta: Record<string, string>;
  createIndex: number;
  modifyIndex: number;
}

export interface ServiceRecord {
  node: string;
  id: string;
  service: string;
  tags: string[];
  address: string;
  port: number;
  meta: Record<string, string>;
  createIndex: number;
  modifyIndex: number;
}

export interface CheckRecord {
  node: string;
  checkId: string;
  name: string;
  status: CheckStatus;
  notes: string;
  output: string;
  serviceId: string;
  type: string;
  createIndex: number;
  modifyIndex: number;
}

export interface StateOptions {
  /** Shortest TTL a session may ask for. Consul: 10 s. Lower it only to make expiry tests fast. */
  sessionTtlMinMs: number;
  /** Consul invalidates a TTL session only after TTL × 2 without renewal (documented grace). */
  sessionTtlMultiplier: number;
}

/** A failed write that maps to a Consul HTTP error status and body text. */
export class ConsulDoubleHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SESSION_TTL_MAX_MS = 24 * 3_600_000;

export class ConsulDoubleState {
  index = 1;
  kvIndex = 1;
  catalogIndex = 1;
  sessionIndex = 1;
  readonly kv = new Map<string, KvRecord>();
  /** Keys deleted, with the index of the delete, so a blocking read on a deleted key wakes up. */
  readonly tombstones = new Map<string, number>();
  readonly lockDelayUntil = new Map<string, number>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly nodes = new Map<string, NodeRecord>();
  readonly services = new Map<string, ServiceRecord>(); // key: node\0serviceId
  readonly checks = new Map<string, CheckRecord>(); // key: node\0checkId
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(readonly options: StateOptions) {}

  /** Calls `listener` after every write; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private bump(table: 'kv' | 'catalog' | 'session'): number {
    this.index += 1;
    if (table === 'kv') this.kvIndex = this.index;
    else if (table === 'catalog') this.catalogIndex = this.index;
    else this.sessionIndex = this.index;
    return this.index;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  close(): void {
    this.closed = true;
    for (const session of this.sessions.values()) if (session.timer) clearTimeout(session.timer);
    this.listeners.clear();
  }

  // ---- KV -------------------------------------------------------------------------------------------

  /** The index a KV read reports: the newest change to any key it covers (entries or deletes), at least 1. */
  kvQueryIndex(prefix: string, recurse: boolean): number {
    let max = 0;
    if (recurse) {
      for (const rec of this.kv.values()) if (rec.key.startsWith(prefix)) max = Math.max(max, rec.modifyIndex);
      for (const [key, idx] of this.tombstones) if (key.startsWith(prefix)) max = Math.max(max, idx);
    } else {
      max = Math.max(this.kv.get(prefix)?.modifyIndex ?? 0, this.tombstones.get(prefix) ?? 0);
    }
    return max > 0 ? max : 1;
  }

  kvList(prefix: string): KvRecord[] {
    return [...this.kv.values()].filter((rec) => rec.key.startsWith(prefix)).sort((a, b) => cmp(a.key, b.key));
  }

  kvPut(
    key: string,
    value: Buffer,
    opts: { flags?: number; cas?: number; acquire?: string; release?: string },
  ): boolean {
    const existing = this.kv.get(key);
    if (opts.cas !== undefined) {
      if (opts.cas === 0 && existing) return false;
      if (opts.cas !== 0 && existing?.modifyIndex !== opts.cas) return false;
    }
    if (opts.acquire !== undefined) {
      const session = this.sessions.get(opts.acquire);
      if (!session) throw new ConsulDoubleHttpError(500, `invalid session "${opts.acquire}"`);
      if (existing?.session && existing.session !== opts.acquire) return false;
      const until = this.lockDelayUntil.get(key);
      if (!existing?.session && until !== undefined && Date.now() < until) return false;
    }
    if (opts.release !== undefined) {
      if (!this.sessions.has(opts.release)) throw new ConsulDoubleHttpError(500, `invalid session "${opts.release}"`);
      if (!existing || existing.session !== opts.release) return false;
    }
    const idx = this.bump('kv');
    const rec: KvRecord = {
      key,
      value,
      flags: opts.flags ?? 0, // Consul does not keep flags across a PUT without ?flags
      createIndex: existing?.createIndex ?? idx,
      modifyIndex: idx,
      lockIndex: existing?.lockIndex ?? 0,
      ...(existing?.session ? { session: existing.session } : {}),
    };
    if (opts.acquire !== undefined && existing?.session !== opts.acquire) {
      rec.lockIndex += 1;
      rec.session = opts.acquire;
    }
    if (opts.release !== undefined) delete rec.session;
    this.kv.set(key, rec);
    this.tombstones.delete(key);
    this.notify();
    return true;
  }

  kvDelete(key: string, opts: { recurse?: boolean; cas?: number }): boolean {
    if (opts.recurse) {
      const doomed = [...this.kv.keys()].filter((k) => k.startsWith(key));
      if (doomed.length === 0) return true;
      const idx = this.bump('kv');
      for (const k of doomed) {
        this.kv.delete(k);
        this.tombstones.set(k, idx);
      }
      this.notify();
      return true;
    }
    const existing = this.kv.get(key);
    if (opts.cas !== undefined && opts.cas !== 0 && existing?.modifyIndex !== opts.cas) return false;
    if (opts.cas === 0 && existing) return false;
    if (!existing) return true;
    const idx = this.bump('kv');
    this.kv.delete(key);
    this.tombstones.set(key, idx);
    this.notify();
    return true;
  }

  // ---- Sessions -------------------------------------------------------------------------------------

  sessionCreate(body: {
    name?: string;
    node?: string;
    lockDelayMs?: number;
    behavior?: string;
    ttlMs?: number;
    nodeChecks?: string[];
    serviceChecks?: Array<{ ID: string; Namespace?: string }>;
  }): SessionRecord {
    const node = body.node ?? '';
    if (!this.nodes.has(node)) throw new ConsulDoubleHttpError(500, `Missing node registration`);
    const behavior = body.behavior ?? 'release';
    if (behavior !== 'release' && behavior !== 'delete') {
      throw new ConsulDoubleHttpError(400, `Invalid Behavior setting '${behavior}'`);
    }
    const ttlMs = body.ttlMs ?? 0;
    if (ttlMs !== 0 && (ttlMs < this.options.sessionTtlMinMs || ttlMs > SESSION_TTL_MAX_MS)) {
      throw new ConsulDoubleHttpError(
        400,
        `Invalid Session TTL '${ttlMs}ms', must be between [${this.options.sessionTtlMinMs}ms=${SESSION_TTL_MAX_MS}ms]`,
      );
    }
    const nodeChecks = body.nodeChecks ?? ['serfHealth'];
    for (const checkId of nodeChecks) {
      const check = this.checks.get(`${node}\0${checkId}`);
      if (!check) throw new ConsulDoubleHttpError(500, `Missing check '${checkId}' registration`);
      if (check.status === 'critical') throw new ConsulDoubleHttpError(500, `Check '${checkId}' is in critical state`);
    }
    const idx = this.bump('session');
    const session: SessionRecord = {
      id: randomUUID(),
      name: body.name ?? '',
      node,
      lockDelayMs: body.lockDelayMs ?? 15_000,
      behavior,
      ttlMs,
      nodeChecks,
      serviceChecks: body.serviceChecks ?? [],
      createIndex: idx,
      modifyIndex: idx,
    };
    this.sessions.set(session.id, session);
    this.armTtl(session);
    this.notify();
    return session;
  }

  private armTtl(session: SessionRecord): void {
    if (session.timer) clearTimeout(session.timer);
    if (session.ttlMs === 0 || this.closed) return;
    session.timer = setTimeout(() => this.sessionDestroy(session.id), session.ttlMs * this.options.sessionTtlMultiplier);
    session.timer.unref();
  }

  sessionRenew(id: string): SessionRecord | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    this.armTtl(session);
    return session;
  }

  /** Invalidates a session: its locks are released (with lock-delay) or its keys deleted, per Behavior. */
  sessionDestroy(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return true;
    if (session.timer) clearTimeout(session.timer);
    this.sessions.delete(id);
    this.bump('session');
    const held = [...this.kv.values()].filter((rec) => rec.session === id);
    if (held.length > 0) {
      const idx = this.bump('kv');
      for (const rec of held) {
        if (session.behavior === 'delete') {
          this.kv.delete(rec.key);
          this.tombstones.set(rec.key, idx);
        } else {
          delete rec.session;
          rec.modifyIndex = idx;
        }
        if (session.lockDelayMs > 0) this.lockDelayUntil.set(rec.key, Date.now() + session.lockDelayMs);
      }
    }
    this.notify();
    return true;
  }

  // ---- Catalog --------------------------------------------------------------------------------------

  register(body: {
    id?: string;
    node: string;
    address: string;
    taggedAddresses?: Record<string, string>;
    meta?: Record<string, string>;
    skipNodeUpdate?: boolean;
    service?: {
      id?: string;
      service: string;
      tags?: string[];
      address?: string;
      port?: number;
      meta?: Record<string, string>;
    };
    checks?: Array<{
      node?: string;
      checkId?: string;
      name?: string;
      status?: string;
      notes?: string;
      output?: string;
      serviceId?: string;
      type?: string;
    }>;
  }): void {
    if (!body.node) throw new ConsulDoubleHttpError(400, 'Must provide node');
    const existing = this.nodes.get(body.node);
    if (!body.address && !(body.skipNodeUpdate && existing)) throw new ConsulDoubleHttpError(400, 'Must provide address');
    if (body.service && !body.service.service) throw new ConsulDoubleHttpError(400, 'Must provide service name');
    const statuses = ['passing', 'warning', 'critical', 'maintenance'];
    for (const check of body.checks ?? []) {
      if (check.status && !statuses.includes(check.status)) {
        throw new ConsulDoubleHttpError(400, `Invalid check status: "${check.status}"`);
      }
    }
    const idx = this.bump('catalog');
    if (!existing || !body.skipNodeUpdate) {
      this.nodes.set(body.node, {
        id: body.id ?? existing?.id ?? randomUUID(),
        node: body.node,
        address: body.address || existing?.address || '',
        taggedAddresses: body.taggedAddresses ?? existing?.taggedAddresses ?? {},
        meta: body.meta ?? existing?.meta ?? {},
        createIndex: existing?.createIndex ?? idx,
        modifyIndex: idx,
      });
    }
    if (body.service) {
      const id = body.service.id || body.service.service;
      const key = `${body.node}\0${id}`;
      const prev = this.services.get(key);
      this.services.set(key, {
        node: body.node,
        id,
        service: body.service.service,
        tags: body.service.tags ?? [],
        address: body.service.address ?? '',
        port: body.service.port ?? 0,
        meta: body.service.meta ?? {},
        createIndex: prev?.createIndex ?? idx,
        modifyIndex: idx,
      });
    }
    for (const check of body.checks ?? []) {
      const node = check.node || body.node;
      const checkId = check.checkId || check.name || '';
      if (!checkId) continue;
      const key = `${node}\0${checkId}`;
      const prev = this.checks.get(key);
      this.checks.set(key, {
        node,
        checkId,
        name: check.name || prev?.name || checkId,
        status: (check.status || 'critical') as CheckStatus,
        notes: check.notes ?? '',
        output: check.output ?? '',
        serviceId: check.serviceId ?? '',
        type: check.type ?? '',
        createIndex: prev?.createIndex ?? idx,
        modifyIndex: idx,
      });
      if (check.status === 'critical') this.invalidateSessionsOnCheck(node, checkId);
    }
    this.notify();
  }

  private invalidateSessionsOnCheck(node: string, checkId: string): void {
    for (const session of [...this.sessions.values()]) {
      if (session.node === node && session.nodeChecks.includes(checkId)) this.sessionDestroy(session.id);
    }
  }

  deregister(body: { node: string; serviceId?: string; checkId?: string }): void {
    if (!body.node) throw new ConsulDoubleHttpError(400, 'Must provide node');
    if (!this.nodes.has(body.node)) return;
    this.bump('catalog');
    if (body.serviceId) {
      this.services.delete(`${body.node}\0${body.serviceId}`);
      for (const [key, check] of this.checks) {
        if (check.node === body.node && check.serviceId === body.serviceId) this.checks.delete(key);
      }
    } else if (body.checkId) {
      this.checks.delete(`${body.node}\0${body.checkId}`);
    } else {
      this.nodes.delete(body.node);
      for (const [key, svc] of this.services) if (svc.node === body.node) this.services.delete(key);
      for (const [key, check] of this.checks) if (check.node === body.node) this.checks.delete(key);
      for (const session of [...this.sessions.values()]) {
        if (session.node === body.node) this.sessionDestroy(session.id);
      }
    }
    this.notify();
  }

  servicesOf(node: string): ServiceRecord[] {
    return [...this.services.values()].filter((s) => s.node === node).sort((a, b) => cmp(a.id, b.id));
  }

  checksOf(node: string): CheckRecord[] {
    return [...this.checks.values()].filter((c) => c.node === node).sort((a, b) => cmp(a.checkId, b.checkId));
  }
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
