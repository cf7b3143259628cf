import { type ConnectionFault, createMemoryLogger, isFleetError } from '@fleet/core';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createIpam, createPostgresStore } from '../src/index.js';

/** Terminates every backend of `database` but the caller's own; returns how many it ended. */
async function terminateBackends(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  return rows[0]?.n ?? 0;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!hasService('postgres'))('IPAM PostgreSQL store when the database drops its connections', () => {
  it('logs and counts each lost connection, stays up and answers the next call on a fresh one', async () => {
    const db = await createScratchDatabase('fleet_ipam_loss');
    // The password is ignored by the test server (trust) but must never reach a log line.
    const url = db.url.replace('postgres@', 'postgres:hunter2-secret@');
    const logger = createMemoryLogger();
    const faults: ConnectionFault[] = [];
    const store = await createPostgresStore({
      connectionString: url,
      maxConnections: 3,
      logger,
      onConnectionError: (fault) => faults.push(fault),
    });
    const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]*$/, '/postgres') });
    admin.on('error', () => {});
    await admin.connect();
    try {
      const ipam = createIpam({ store });
      await ipam.addPrefix({ prefix: '10.9.0.0/24', kind: 'assignment' });
      // Three parallel calls leave three idle connections in the pool.
      await Promise.all([1, 2, 3].map(() => ipam.allocateAddress({ from: '10.9.0.0/24' })));
      const ended = await terminateBackends(admin, db.name);
      expect(ended).toBeGreaterThanOrEqual(1);
      await waitFor('every lost connection to be reported', () => faults.length >= ended);
      expect(faults.every((f) => f.store === 'ipam' && f.code === '57P01')).toBe(true);
      // Exactly one line per connection, with the code and nothing secret.
      const lines = logger.entries.filter((e) => e.message.startsWith('database connection lost'));
      expect(lines).toHaveLength(faults.length);
      expect(lines[0]?.fields).toEqual({ store: 'ipam', code: '57P01' });
      expect(JSON.stringify(logger.entries)).not.toContain('hunter2');

      const next = await ipam.allocateAddress({ from: '10.9.0.0/24' });
      expect(next.prefix).toBe('10.9.0.4/32');
      expect((await ipam.listChildren('10.9.0.0/24')).length).toBe(4);
    } finally {
      await admin.end();
      await store.close();
      await db.drop();
    }
  });

  it('a connection terminated in the middle of a transaction fails that call as DATABASE_UNAVAILABLE, nothing half-written', async () => {
    const db = await createScratchDatabase('fleet_ipam_loss');
    const faults: ConnectionFault[] = [];
    const store = await createPostgresStore({
      connectionString: db.url,
      maxConnections: 2,
      onConnectionError: (fault) => faults.push(fault),
    });
    const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]*$/, '/postgres') });
    admin.on('error', () => {});
    await admin.connect();
    // A second session holds the VRF's advisory lock, so the allocation waits inside its transaction.
    const holder = new pg.Client({ connectionString: db.url });
    holder.on('error', () => {});
    await holder.connect();
    try {
      const ipam = createIpam({ store });
      await ipam.addPrefix({ prefix: '10.8.0.0/24', kind: 'assignment' });
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(x'4950414d'::int, hashtext('default'))");
      const blocked = ipam.allocateAddress({ from: '10.8.0.0/24' }).then(
        () => null,
        (error: unknown) => error,
      );
      await waitFor('the allocation to wait on the lock', async () => {
        const { rows } = await admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
          [db.name],
        );
        return (rows[0]?.n ?? 0) > 0;
      });
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
        [db.name],
      );
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      const error = await blocked;
      expect(isFleetError(error) && error.code).toBe('DATABASE_UNAVAILABLE');
      expect(isFleetError(error) && error.details).toMatchObject({ store: 'ipam', outcome: 'not-applied' });
      await holder.query('ROLLBACK');
      await waitFor('the lost connection to be reported', () => faults.length >= 1);
      expect((await ipam.allocateAddress({ from: '10.8.0.0/24' })).prefix).toBe('10.8.0.1/32');
    } finally {
      await holder.end();
      await admin.end();
      await store.close();
      await db.drop();
    }
  });
});
