import { type ConnectionFault, connectionErrorCode, type Logger, silentLogger } from '@fleet/core';
import pg from 'pg';
import type { NodeChange, NodeChangeFeed } from './cached.js';
import { NODE_CHANGES_CHANNEL } from './postgres.js';

export interface PostgresNodeChangeFeedOptions {
  url: string;
  logger?: Logger;
  onConnectionError?: (fault: ConnectionFault) => void;
  /** Longest wait between reconnect attempts. Default 2,000 ms. */
  maxReconnectMs?: number;
}

/**
 * Node changes from every server on one PostgreSQL database, through `LISTEN` on one dedicated connection
 * (the writes `NOTIFY` inside their transactions, so a change is announced exactly when it commits). While
 * the connection is down the feed is not `live` (caches bypass themselves); after reconnecting it reports a
 * `reset`, since notifications sent meanwhile are lost.
 */
export async function createPostgresNodeChangeFeed(options: PostgresNodeChangeFeedOptions): Promise<NodeChangeFeed> {
  const logger = options.logger ?? silentLogger;
  const listeners = new Set<(change: NodeChange | 'reset') => void>();
  const emit = (change: NodeChange | 'reset') => {
    for (const listener of listeners) listener(change);
  };
  let live = false;
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;
  let delay = 100;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: 5_000 });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      live = false;
      emit('reset');
      if (error) {
        const fault = { store: 'machinedb-feed', code: connectionErrorCode(error) };
        logger.warn('database connection lost; the next operation opens a new one', fault);
        options.onConnectionError?.(fault);
      }
      next.end().catch(() => undefined);
      if (!closed) schedule();
    };
    next.on('error', (error) => onLost(error));
    next.on('end', () => onLost());
    next.on('notification', (message) => {
      if (message.channel !== NODE_CHANGES_CHANNEL || !message.payload) return;
      try {
        const change = JSON.parse(message.payload) as Partial<NodeChange>;
        emit({
          ids: change.ids ?? [],
          macs: change.macs ?? [],
          users: change.users ?? [],
          tokens: change.tokens ?? [],
        });
      } catch {
        emit('reset');
      }
    });
    await next.connect();
    await next.query(`LISTEN ${NODE_CHANGES_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    delay = 100;
    // Anything may have changed while nobody listened.
    emit('reset');
    live = true;
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      connect().catch(() => {
        delay = Math.min(options.maxReconnectMs ?? 2_000, delay * 2);
        if (!closed) schedule();
      });
    }, delay);
    timer.unref();
  };

  await connect();
  return {
    get live() {
      return live;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      live = false;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
