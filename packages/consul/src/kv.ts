import { EventEmitter } from 'node:events';
import { ValidationError } from '@fleet/core';
import type { ConsulClient } from './client.js';
import { CasConflictError, ConsulValueError, toConsulError } from './errors.js';

/** One KV entry as Consul reports it; `value` is the UTF-8 text (null when empty). */
export interface KvEntry {
  key: string;
  value: string | null;
  flags: number;
  createIndex: number;
  modifyIndex: number;
  lockIndex: number;
  /** The session holding the key's lock, if any. */
  session?: string;
}

export interface ReadKeyOptions {
  dc?: string;
  /** Blocking query: wait until the key's index passes this one (or `waitMs` runs out). */
  index?: number;
  /** Longest time the server may hold a blocking query. Default 60 s. */
  waitMs?: number;
  signal?: AbortSignal;
}

export interface KeyRead {
  entry: KvEntry | undefined;
  /** X-Consul-Index of the response: pass it back as `index` to block for the next change. */
  index: number;
}

interface RawEntry {
  Key: string;
  Value: string | null;
  Flags?: number;
  CreateIndex: number;
  ModifyIndex: number;
  LockIndex?: number;
  Session?: string;
}

interface ResponseLike {
  headers: Record<string, string | string[] | undefined>;
}

/** An EventEmitter the `consul` client (papi) accepts as `ctx`: emitting `cancel` aborts the request. */
function requestContext(signal: AbortSignal | undefined): { ctx: EventEmitter & { includeResponse: boolean }; done(): void } {
  const ctx = Object.assign(new EventEmitter(), { includeResponse: true });
  const onAbort = () => ctx.emit('cancel');
  signal?.addEventListener('abort', onAbort, { once: true });
  return { ctx, done: () => signal?.removeEventListener('abort', onAbort) };
}

export function validateKey(key: unknown, field = 'key'): string {
  if (typeof key !== 'string' || key.length === 0) throw new ValidationError(field, `${field} must be a non-empty string`);
  if (key.startsWith('/') || /[\x00-\x1f\x7f]/.test(key) || key.length > 512) {
    throw new ValidationError(field, `${field} ${JSON.stringify(key)} is not a Consul key (no leading '/', no control characters)`);
  }
  return key;
}

function toEntry(raw: RawEntry): KvEntry {
  return {
    key: raw.Key,
    value: raw.Value === undefined || raw.Value === null || raw.Value === '' ? null : raw.Value,
    flags: raw.Flags ?? 0,
    createIndex: raw.CreateIndex,
    modifyIndex: raw.ModifyIndex,
    lockIndex: raw.LockIndex ?? 0,
    ...(raw.Session ? { session: raw.Session } : {}),
  };
}

function headerIndex(res: ResponseLike | undefined): number {
  const raw = res?.headers['x-consul-index'];
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

function blockingParams(options: ReadKeyOptions): Record<string, unknown> {
  if (options.index === undefined) return {};
  const waitMs = options.waitMs ?? 60_000;
  // The server adds up to wait/16 jitter; give the socket that plus slack before timing out.
  return { index: String(options.index), wait: `${Math.ceil(waitMs)}ms`, timeout: Math.ceil(waitMs * 1.1) + 5000 };
}

/** Reads one key with its index; with `index` set this is a blocking query. */
export async function readKey(consul: ConsulClient, key: string, options: ReadKeyOptions = {}): Promise<KeyRead> {
  validateKey(key);
  const { ctx, done } = requestContext(options.signal);
  try {
    const result = (await consul.kv.get({
      key,
      ...(options.dc ? { dc: options.dc } : {}),
      ...blockingParams(options),
      ctx,
    } as never)) as unknown as [ResponseLike, RawEntry | undefined];
    const [res, raw] = result;
    return { entry: raw ? toEntry(raw) : undefined, index: headerIndex(res) };
  } catch (error) {
    throw toConsulError(`GET kv/${key}`, error);
  } finally {
    done();
  }
}

/** Reads every key under `prefix` (recursive), with the index; with `index` set this is a blocking query. */
export async function readPrefix(
  consul: ConsulClient,
  prefix: string,
  options: ReadKeyOptions = {},
): Promise<{ entries: KvEntry[]; index: number }> {
  const { ctx, done } = requestContext(options.signal);
  try {
    const result = (await consul.kv.get({
      key: prefix,
      recurse: true,
      ...(options.dc ? { dc: options.dc } : {}),
      ...blockingParams(options),
      ctx,
    } as never)) as unknown as [ResponseLike, RawEntry[] | undefined];
    const [res, raw] = result;
    return { entries: (raw ?? []).map(toEntry), index: headerIndex(res) };
  } catch (error) {
    throw toConsulError(`GET kv/${prefix}?recurse`, error);
  } finally {
    done();
  }
}

export interface WriteKeyOptions {
  dc?: string;
  /** Check-and-set: 0 = create only, N = only if ModifyIndex is still N. */
  cas?: number;
  acquire?: string;
  release?: string;
  flags?: number;
}

/** Writes a raw value; returns false when a CAS or lock condition refused it. */
export async function writeKey(
  consul: ConsulClient,
  key: string,
  value: string,
  options: WriteKeyOptions = {},
): Promise<boolean> {
  validateKey(key);
  try {
    const ok = await consul.kv.set({ key, value, ...options });
    return ok === true;
  } catch (error) {
    throw toConsulError(`PUT kv/${key}`, error);
  }
}

/** Deletes a key (or, with `recurse`, a prefix); returns false when a CAS condition refused it. */
export async function deleteKey(
  consul: ConsulClient,
  key: string,
  options: { dc?: string; cas?: number; recurse?: boolean } = {},
): Promise<boolean> {
  validateKey(key);
  try {
    return (await consul.kv.del({ key, ...options })) === true;
  } catch (error) {
    throw toConsulError(`DELETE kv/${key}`, error);
  }
}

export interface JsonValue<T> {
  value: T;
  modifyIndex: number;
}

export interface ReadJsonOptions<T> {
  dc?: string;
  /** Turns the parsed JSON into T or throws (a TypeBox check, a hand-written guard…). */
  validate?: (value: unknown) => T;
}

function parseJson<T>(key: string, text: string | null, validate?: (value: unknown) => T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? 'null');
  } catch {
    throw new ConsulValueError(key, 'it is not JSON');
  }
  if (!validate) return parsed as T;
  try {
    return validate(parsed);
  } catch (error) {
    throw new ConsulValueError(key, error instanceof Error ? error.message : String(error));
  }
}

/** Reads a JSON value and its ModifyIndex (for a later CAS write); undefined when the key is absent. */
export async function readJson<T = unknown>(
  consul: ConsulClient,
  key: string,
  options: ReadJsonOptions<T> = {},
): Promise<JsonValue<T> | undefined> {
  const { entry } = await readKey(consul, key, options.dc ? { dc: options.dc } : {});
  if (!entry) return undefined;
  return { value: parseJson(key, entry.value, options.validate), modifyIndex: entry.modifyIndex };
}

/** Writes a JSON value; with `cas` it is written only if the key is unchanged (returns false otherwise). */
export async function writeJson(
  consul: ConsulClient,
  key: string,
  value: unknown,
  options: WriteKeyOptions = {},
): Promise<boolean> {
  return await writeKey(consul, key, JSON.stringify(value), options);
}

export interface CasJsonOptions<T> extends ReadJsonOptions<T> {
  /** Attempts before CasConflictError. Default 10. */
  attempts?: number;
}

/**
 * Read-modify-write with check-and-set: `update` gets the current value (undefined when absent) and returns
 * the new one, or `undefined` to leave the key alone. Retries when another writer got there first.
 */
export async function casJson<T>(
  consul: ConsulClient,
  key: string,
  update: (current: T | undefined) => T | undefined | Promise<T | undefined>,
  options: CasJsonOptions<T> = {},
): Promise<{ value: T | undefined; changed: boolean }> {
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await readJson<T>(consul, key, options);
    const next = await update(current?.value);
    if (next === undefined) return { value: current?.value, changed: false };
    const written = await writeJson(consul, key, next, {
      cas: current?.modifyIndex ?? 0,
      ...(options.dc ? { dc: options.dc } : {}),
    });
    if (written) return { value: next, changed: true };
    // Lost the race: back off a little so two writers do not keep colliding in lock-step.
    await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
  }
  throw new CasConflictError(key, attempts);
}
