import { type Executor, validateInteger } from '@fleet/core';
import { ExecError } from './errors.js';
import { type ConnectionSlots, resolveSshExecutorOptions, SshConnection, type SshExecutorOptions } from './ssh.js';

export interface SshPoolOptions extends Omit<SshExecutorOptions, 'host'> {
  /** Open SSH connections across all hosts; further hosts wait for an idle connection to close. Default 32. */
  maxConnections?: number;
}

export interface SshPoolTarget {
  host: string;
  port?: number;
  username?: string;
}

export interface SshPoolStats {
  /** Connections open or opening. */
  open: number;
  /** Connections waiting for room under `maxConnections`. */
  waiting: number;
  /** Hosts the pool knows (open or not). */
  hosts: number;
}

export interface SshPool {
  /** An executor for one host sharing the pool's connection to it. Its `close()` leaves the connection to the pool. */
  executor(target: SshPoolTarget): Executor;
  stats(): SshPoolStats;
  /** Closes every connection; executors of this pool fail with EXEC_CLOSED afterwards. */
  close(): Promise<void>;
}

/**
 * SSH connections shared by host and bounded in number: a rollout over hundreds of nodes keeps at most
 * `maxConnections` open, closing the least recently used idle one when it needs room for another.
 */
export function createSshPool(defaults: SshPoolOptions): SshPool {
  const maxConnections = validateInteger(defaults.maxConnections ?? 32, 'maxConnections', 1, 10_000);
  const connections = new Map<string, SshConnection>();
  const open = new Set<SshConnection>();
  const waiting: Array<{ connection: SshConnection; grant: () => void }> = [];
  let closed = false;

  const pump = () => {
    while (waiting.length > 0) {
      if (open.size >= maxConnections) {
        let victim: SshConnection | undefined;
        for (const candidate of open) {
          if (candidate.evictable && (!victim || candidate.lastUsed < victim.lastUsed)) victim = candidate;
        }
        if (!victim) return;
        open.delete(victim);
        victim.evict();
      }
      const next = waiting.shift()!;
      open.add(next.connection);
      next.grant();
    }
  };

  const slots: ConnectionSlots = {
    acquire(connection) {
      return new Promise<void>((grant) => {
        waiting.push({ connection, grant });
        pump();
      });
    },
    release(connection) {
      open.delete(connection);
      pump();
    },
    idle() {
      pump();
    },
  };

  return {
    executor(target) {
      if (closed) throw new ExecError('EXEC_CLOSED', 'the SSH pool is closed; create a new one');
      const { maxConnections: _ignored, ...rest } = defaults;
      const resolved = resolveSshExecutorOptions({ ...rest, ...target, port: target.port ?? defaults.port });
      const key = `${resolved.username}@${resolved.host}:${resolved.port}`;
      let connection = connections.get(key);
      if (!connection) {
        connection = new SshConnection(resolved, slots);
        connections.set(key, connection);
      }
      const shared = connection;
      let executorClosed = false;
      return {
        target: shared.target,
        run(command, args, options) {
          if (executorClosed) {
            return Promise.reject(new ExecError('EXEC_CLOSED', `this executor for ${shared.target} is closed`));
          }
          return shared.run(command, args, options);
        },
        async close() {
          executorClosed = true;
        },
      };
    },
    stats() {
      return { open: open.size, waiting: waiting.length, hosts: connections.size };
    },
    async close() {
      closed = true;
      // Waiters learn of the close from their connection (EXEC_CLOSED) once granted.
      for (const waiter of waiting.splice(0)) waiter.grant();
      const all = [...connections.values()];
      connections.clear();
      await Promise.all(all.map((connection) => connection.close()));
    },
  };
}
