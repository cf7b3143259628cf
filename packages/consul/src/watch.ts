import { type BackoffOptions, backoffDelay, sleep, ValidationError } from '@fleet/core';
import type { ConsulClient } from './client.js';
import type { ConsulError } from './errors.js';
import { type KvEntry, deleteKey, readKey, validateKey, writeJson } from './kv.js';

export interface WatchKeyOptions {
  signal: AbortSignal;
  /** Called with the current entry first, then after every change (undefined = key absent). */
  onChange: (entry: KvEntry | undefined, index: number) => void | Promise<void>;
  /** Called for each failed request before the watch backs off and reconnects. */
  onError?: (error: ConsulError, attempt: number) => void;
  dc?: string;
  /** Longest time the server holds one blocking query. Default 60 s. */
  waitMs?: number;
  backoff?: BackoffOptions;
}

function sameEntry(a: KvEntry | undefined, b: KvEntry | undefined): boolean {
  if (!a || !b) return a === b;
  return a.modifyIndex === b.modifyIndex && a.session === b.session;
}

/**
 * Watches one key with blocking queries (`?index=&wait=`), calling `onChange` with the current value and
 * then on every change. Follows Consul's rules for indexes (reset when it goes backwards, never 0) and
 * reconnects with jittered backoff after errors. Resolves when `signal` aborts; never rejects for
 * network errors (they go to `onError`).
 */
export async function watchKey(consul: ConsulClient, key: string, options: WatchKeyOptions): Promise<void> {
  validateKey(key);
  const { signal } = options;
  let index = 0;
  let last: KvEntry | undefined;
  let first = true;
  let attempt = 0;
  while (!signal.aborted) {
    let read: Awaited<ReturnType<typeof readKey>>;
    try {
      read = await readKey(consul, key, {
        ...(options.dc ? { dc: options.dc } : {}),
        ...(index > 0 ? { index, waitMs: options.waitMs ?? 60_000 } : {}),
        signal,
      });
      attempt = 0;
    } catch (error) {
      if (signal.aborted) return;
      attempt += 1;
      options.onError?.(error as ConsulError, attempt);
      await sleep(backoffDelay(attempt, options.backoff), signal);
      continue;
    }
    // Consul: an index that goes backwards (snapshot restore, agent restart) means start over.
    index = read.index < index ? 0 : Math.max(1, read.index);
    if (first || !sameEntry(last, read.entry)) {
      first = false;
      last = read.entry;
      if (signal.aborted) return;
      await options.onChange(read.entry, read.index);
    }
  }
}

/** What a halt key says: who pressed the red button and why. */
export interface HaltState {
  key: string;
  reason: string;
  /** ModifyIndex of the halt key when it was seen set. */
  index: number;
}

export interface WatchHaltOptions {
  signal?: AbortSignal;
  onHalt?: (state: HaltState) => void;
  onError?: (error: ConsulError, attempt: number) => void;
  dc?: string;
  backoff?: BackoffOptions;
}

export interface HaltWatch {
  /** Resolves when the key is set (at once if it already is), or with undefined once stopped. */
  readonly halted: Promise<HaltState | undefined>;
  /** The halt state seen so far, if any. */
  current(): HaltState | undefined;
  stop(): void;
}

/** A halt key is set when it exists with a value other than empty, `0` or `false`. */
export function parseHalt(entry: KvEntry | undefined): HaltState | undefined {
  if (!entry) return undefined;
  const text = (entry.value ?? '').trim();
  if (text === '' || text === '0' || text === 'false') return undefined;
  let reason = text;
  try {
    const json = JSON.parse(text) as unknown;
    if (json === false || json === 0 || json === null) return undefined;
    if (typeof json === 'object' && json && typeof (json as { reason?: unknown }).reason === 'string') {
      reason = (json as { reason: string }).reason;
    } else if (typeof json === 'string') reason = json;
  } catch {
    // plain text reason
  }
  return { key: entry.key, reason, index: entry.modifyIndex };
}

/**
 * Watches a halt key (the red button) with blocking queries, so a halt is seen as soon as Consul commits it
 * (well under a second), not at the next poll.
 */
export function watchHalt(consul: ConsulClient, key: string, options: WatchHaltOptions = {}): HaltWatch {
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  let state: HaltState | undefined;
  let settle: (value: HaltState | undefined) => void = () => {};
  const halted = new Promise<HaltState | undefined>((resolve) => {
    settle = resolve;
  });
  watchKey(consul, key, {
    signal: controller.signal,
    ...(options.dc ? { dc: options.dc } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    onChange: (entry) => {
      const seen = parseHalt(entry);
      if (seen && !state) {
        state = seen;
        options.onHalt?.(seen);
        settle(seen);
      }
    },
  }).then(
    () => settle(state),
    () => settle(state),
  );
  return {
    halted,
    current: () => state,
    stop() {
      options.signal?.removeEventListener('abort', stop);
      stop();
    },
  };
}

/** Presses the red button: sets the halt key with a reason (and who pressed it). */
export async function setHalt(consul: ConsulClient, key: string, reason: string, by?: string): Promise<void> {
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 500 || /[\x00-\x1f]/.test(reason)) {
    throw new ValidationError('reason', 'reason must be one line of text, at most 500 characters');
  }
  await writeJson(consul, key, { reason, ...(by ? { by } : {}), at: new Date().toISOString() });
}

/** Releases the red button. */
export async function clearHalt(consul: ConsulClient, key: string): Promise<void> {
  await deleteKey(consul, key);
}
