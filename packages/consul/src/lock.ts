import { backoffDelay, type Logger, sleep, ValidationError, silentLogger } from '@fleet/core';
import type { ConsulClient } from './client.js';
import { LockHeldError, SemaphoreFullError, toConsulError } from './errors.js';
import { type KvEntry, deleteKey, readKey, readPrefix, validateKey, writeJson, writeKey } from './kv.js';
import { watchKey } from './watch.js';

/** A held lock or semaphore slot. */
export interface Lease {
  readonly key: string;
  readonly holder: string;
  readonly sessionId: string;
  /** True once the lease was lost (session expired or invalidated, key taken or deleted). */
  readonly lost: boolean;
  /** Aborted when the lease is lost or released: pass it to work that must stop without the lock. */
  readonly signal: AbortSignal;
  /** Registers a listener called once if the lease is lost (not on release); returns the unsubscribe. */
  onLost(listener: (reason: string) => void): () => void;
  /** Releases the lease and destroys its session. Safe to call twice. */
  release(): Promise<void>;
}

export type Lock = Lease;

export interface LockOptions {
  key: string;
  /** Who holds it, in words an operator understands (`rollout by alice@ops1`): shown to contenders. */
  holder: string;
  /** Session TTL (`"15s"` or milliseconds). Consul accepts 10 s – 24 h. Default 15 s. */
  ttl?: string | number;
  /** Consul lock-delay after the session is invalidated. Default `"1s"`. */
  lockDelay?: string;
  /** Keep trying this long (ms) while someone else holds the lock. Default 0: fail at once. */
  waitMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

function ttlMs(ttl: string | number | undefined): number {
  if (ttl === undefined) return 15_000;
  if (typeof ttl === 'number') {
    if (!Number.isInteger(ttl) || ttl < 1) throw new ValidationError('ttl', `ttl must be a positive integer of ms, got ${ttl}`);
    return ttl;
  }
  const m = /^(\d+)(ms|s|m|h)$/.exec(ttl);
  if (!m) throw new ValidationError('ttl', `ttl ${JSON.stringify(ttl)} must look like "15s", "2m" or "500ms"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

function validateHolder(holder: unknown): string {
  if (typeof holder !== 'string' || holder.trim() === '' || holder.length > 200 || /[\x00-\x1f]/.test(holder)) {
    throw new ValidationError('holder', 'holder must be one line of text (who takes the lock), at most 200 characters');
  }
  return holder;
}

interface SessionHandle {
  id: string;
  stopRenewing(): void;
}

async function createSession(
  consul: ConsulClient,
  name: string,
  ttl: number,
  lockDelay: string,
  onExpired: (reason: string) => void,
  logger: Logger,
): Promise<SessionHandle> {
  let id: string;
  try {
    id = (await consul.session.create({ name, ttl: `${Math.ceil(ttl / 1000)}s`, behavior: 'release', lockdelay: lockDelay }))
      .ID;
  } catch (error) {
    throw toConsulError('session create', error);
  }
  let lastRenew = Date.now();
  // Renew at a third of the TTL so two missed renewals still leave time before Consul gives up (TTL × 2).
  const timer = setInterval(() => {
    consul.session.renew(id).then(
      () => {
        lastRenew = Date.now();
      },
      (error: unknown) => {
        const e = toConsulError('session renew', error);
        if ((e as { status?: number }).status === 404) onExpired('session expired or was destroyed');
        else if (Date.now() - lastRenew > ttl) onExpired(`session could not be renewed for ${ttl} ms: ${e.message}`);
        else logger.warn('consul session renew failed; will retry', { session: id, error: e.message });
      },
    );
  }, Math.max(200, Math.floor(ttl / 3)));
  timer.unref();
  return { id, stopRenewing: () => clearInterval(timer) };
}

function lockHolderOf(entry: KvEntry | undefined): string {
  if (!entry) return 'unknown';
  try {
    const json = JSON.parse(entry.value ?? '') as { holder?: unknown };
    if (typeof json.holder === 'string') return json.holder;
  } catch {
    // not ours: fall through
  }
  return entry.session ? `session ${entry.session}` : 'unknown';
}

function makeLease(
  consul: ConsulClient,
  key: string,
  holder: string,
  session: SessionHandle,
  releaseKeys: () => Promise<void>,
): { lease: Lease; lose(reason: string): void } {
  const controller = new AbortController();
  const listeners = new Set<(reason: string) => void>();
  let lost = false;
  let released = false;
  const lose = (reason: string) => {
    if (lost || released) return;
    lost = true;
    session.stopRenewing();
    controller.abort(new Error(reason));
    for (const listener of listeners) listener(reason);
  };
  const lease: Lease = {
    key,
    holder,
    sessionId: session.id,
    get lost() {
      return lost;
    },
    signal: controller.signal,
    onLost(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async release() {
      if (released) return;
      released = true;
      session.stopRenewing();
      if (!controller.signal.aborted) controller.abort(new Error('released'));
      try {
        if (!lost) await releaseKeys();
      } finally {
        await consul.session.destroy(session.id).catch(() => undefined);
      }
    },
  };
  return { lease, lose };
}

/**
 * Takes a Consul session lock on `key` (Consul's leader-election recipe): a TTL session, kept alive in the
 * background, acquires the key with `?acquire=`. When someone else holds it, throws LockHeldError naming
 * them (or waits up to `waitMs`). `onLost` fires if the session expires or the key is taken away.
 */
export async function acquireLock(consul: ConsulClient, options: LockOptions): Promise<Lock> {
  const key = validateKey(options.key);
  const holder = validateHolder(options.holder);
  const ttl = ttlMs(options.ttl);
  const logger = options.logger ?? silentLogger;
  const deadline = Date.now() + (options.waitMs ?? 0);
  let attempt = 0;
  for (;;) {
    let lose: (reason: string) => void = () => {};
    const session = await createSession(consul, `fleet-lock ${key}`, ttl, options.lockDelay ?? '1s', (r) => lose(r), logger);
    let acquired = false;
    try {
      acquired = await writeJson(consul, key, { holder, session: session.id, acquiredAt: new Date().toISOString() }, {
        acquire: session.id,
      });
    } catch (error) {
      session.stopRenewing();
      await consul.session.destroy(session.id).catch(() => undefined);
      throw error;
    }
    if (acquired) {
      const made = makeLease(consul, key, holder, session, async () => {
        await writeKey(consul, key, '', { release: session.id });
      });
      lose = made.lose;
      // Watch the key: if it is deleted or its Session changes, we no longer hold the lock.
      void watchKey(consul, key, {
        signal: made.lease.signal,
        onChange: (entry) => {
          if (!entry) made.lose('lock key was deleted');
          else if (entry.session !== session.id) made.lose('lock was taken over by another session');
        },
      });
      logger.info('consul lock acquired', { key, holder });
      return made.lease;
    }
    session.stopRenewing();
    await consul.session.destroy(session.id).catch(() => undefined);
    const { entry, index } = await readKey(consul, key);
    const current = lockHolderOf(entry);
    if (Date.now() >= deadline || options.signal?.aborted) throw new LockHeldError(key, current);
    // Wait for the holder to let go (blocking query), bounded by the deadline.
    attempt += 1;
    try {
      await readKey(consul, key, { index, waitMs: Math.max(10, deadline - Date.now()), ...(options.signal ? { signal: options.signal } : {}) });
    } catch {
      await sleep(backoffDelay(attempt), options.signal);
    }
    // Lock-delay after an invalidation refuses acquires for a moment: do not spin.
    await sleep(Math.min(200, Math.max(0, deadline - Date.now())), options.signal);
  }
}

export interface SemaphoreOptions {
  /** KV prefix of the semaphore (`fleet/rollout/prod/slots`). */
  prefix: string;
  /** How many holders at once. Every contender must agree on it. */
  limit: number;
  ttl?: string | number;
  logger?: Logger;
}

export interface SemaphoreAcquireOptions {
  holder: string;
  /** Keep trying this long (ms) while every slot is taken. Default 0: fail at once. */
  waitMs?: number;
  signal?: AbortSignal;
}

export interface Semaphore {
  readonly prefix: string;
  readonly limit: number;
  acquire(options: SemaphoreAcquireOptions): Promise<Lease>;
  /** Names of the current holders. */
  holders(): Promise<string[]>;
}

interface SemaphoreLockValue {
  Limit: number;
  Holders: string[];
}

/**
 * A counting semaphore on Consul KV (Consul's semaphore recipe): each contender holds a session-locked key
 * `prefix/<session>`; `prefix/.lock` lists the sessions holding slots and is updated with check-and-set.
 * Slots of dead sessions are reclaimed.
 */
export function createSemaphore(consul: ConsulClient, options: SemaphoreOptions): Semaphore {
  const prefix = validateKey(options.prefix, 'prefix').replace(/\/+$/, '');
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 10_000) {
    throw new ValidationError('limit', `limit must be an integer from 1 to 10000, got ${options.limit}`);
  }
  const limit = options.limit;
  const ttl = ttlMs(options.ttl);
  const logger = options.logger ?? silentLogger;
  const lockKey = `${prefix}/.lock`;

  async function snapshot() {
    const { entries, index } = await readPrefix(consul, `${prefix}/`);
    const lockEntry = entries.find((e) => e.key === lockKey);
    let value: SemaphoreLockValue = { Limit: limit, Holders: [] };
    if (lockEntry?.value) {
      try {
        value = JSON.parse(lockEntry.value) as SemaphoreLockValue;
      } catch {
        value = { Limit: limit, Holders: [] };
      }
    }
    const contenders = new Map<string, string>();
    for (const e of entries) {
      if (e.key === lockKey || !e.session) continue;
      contenders.set(e.session, lockHolderOf(e));
    }
    return { lockEntry, value, contenders, index };
  }

  return {
    prefix,
    limit,
    async holders() {
      const { value, contenders } = await snapshot();
      return value.Holders.filter((s) => contenders.has(s)).map((s) => contenders.get(s) ?? s);
    },
    async acquire(acquireOptions) {
      const holder = validateHolder(acquireOptions.holder);
      const deadline = Date.now() + (acquireOptions.waitMs ?? 0);
      let lose: (reason: string) => void = () => {};
      const session = await createSession(consul, `fleet-semaphore ${prefix}`, ttl, '0s', (r) => lose(r), logger);
      const contenderKey = `${prefix}/${session.id}`;
      const cleanup = async () => {
        session.stopRenewing();
        await deleteKey(consul, contenderKey).catch(() => undefined);
        await consul.session.destroy(session.id).catch(() => undefined);
      };
      try {
        if (!(await writeJson(consul, contenderKey, { holder }, { acquire: session.id }))) {
          throw new SemaphoreFullError(prefix, limit, ['(could not register as contender)']);
        }
        let attempt = 0;
        for (;;) {
          const { lockEntry, value, contenders, index } = await snapshot();
          if (value.Limit !== limit) {
            throw new ValidationError('limit', `semaphore ${prefix} has limit ${value.Limit}, but this contender uses ${limit}`);
          }
          const live = value.Holders.filter((s) => contenders.has(s));
          if (live.length < limit) {
            const next: SemaphoreLockValue = { Limit: limit, Holders: [...live, session.id] };
            if (await writeJson(consul, lockKey, next, { cas: lockEntry?.modifyIndex ?? 0 })) break;
            attempt += 1;
            await sleep(Math.random() * 20 * Math.min(attempt, 10));
            continue;
          }
          if (Date.now() >= deadline || acquireOptions.signal?.aborted) {
            throw new SemaphoreFullError(prefix, limit, live.map((s) => contenders.get(s) ?? s));
          }
          await readPrefix(consul, `${prefix}/`, {
            index,
            waitMs: Math.max(10, deadline - Date.now()),
            ...(acquireOptions.signal ? { signal: acquireOptions.signal } : {}),
          }).catch(() => sleep(backoffDelay(++attempt)));
        }
      } catch (error) {
        await cleanup();
        throw error;
      }
      const made = makeLease(consul, contenderKey, holder, session, async () => {
        for (let i = 0; i < 20; i++) {
          const { lockEntry, value } = await snapshot();
          if (!lockEntry || !value.Holders.includes(session.id)) break;
          const next = { Limit: value.Limit, Holders: value.Holders.filter((s) => s !== session.id) };
          if (await writeJson(consul, lockKey, next, { cas: lockEntry.modifyIndex })) break;
        }
        await deleteKey(consul, contenderKey);
      });
      lose = made.lose;
      void watchKey(consul, contenderKey, {
        signal: made.lease.signal,
        onChange: (entry) => {
          if (!entry || entry.session !== session.id) made.lose('semaphore slot was lost (contender key gone)');
        },
      });
      logger.info('consul semaphore slot acquired', { prefix, holder });
      return made.lease;
    },
  };
}

