import { type ConnectionFault, createMemoryLogger, isFleetError } from '@fleet/core';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import { describe, expect, it } from 'vitest';
import { createMachineDb, createPostgresStore } from '../src/index.js';
import { SERVER_KEY, sampleInventory, testAllocator } from './support.js';

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!hasService('postgres'))('MachineDB PostgreSQL store when the database drops its connections', () => {
  it('logs and counts each lost connection, stays up and answers the next call on a fresh one', async () => {
    const db = await createScratchDatabase('machinedb_loss');
    const logger = createMemoryLogger();
    const faults: ConnectionFault[] = [];
    const store = createPostgresStore({
      // The test server trusts every login; the password is there to prove it never reaches the log.
      url: db.url.replace('postgres@', 'postgres:hunter2-secret@'),
      maxConnections: 4,
      logger,
      onConnectionError: (fault) => faults.push(fault),
    });
    const machineDb = await createMachineDb({ store, serverKey: SERVER_KEY, allocator: testAllocator(), logger });
    try {
      // Parallel enrolments leave several idle connections in the pool.
      const enrolled = await Promise.all(
        [1, 2, 3, 4].map((i) => machineDb.submitInventory(sampleInventory(i), { kind: 'enrol' })),
      );
      const ended = await db.terminateBackends();
      expect(ended).toBeGreaterThanOrEqual(1);
      await waitFor('every lost connection to be reported', () => faults.length >= ended);
      expect(faults).toHaveLength(ended);
      expect(faults.every((f) => f.store === 'machinedb' && f.code === '57P01')).toBe(true);
      const lines = logger.entries.filter((e) => e.message.startsWith('database connection lost'));
      expect(lines).toHaveLength(ended);
      expect(lines[0]?.fields).toEqual({ store: 'machinedb', code: '57P01' });
      expect(JSON.stringify(logger.entries)).not.toContain('hunter2');

      // The next calls, reads and a write, succeed on fresh connections.
      expect((await machineDb.listNodes({ limit: 10 })).items).toHaveLength(4);
      const fifth = await machineDb.submitInventory(sampleInventory(5), { kind: 'enrol' });
      expect((await machineDb.getNode(fifth.nodeId)).state).toBe((await machineDb.getNode(enrolled[0]!.nodeId)).state);
    } finally {
      await machineDb.close();
      await db.drop();
    }
  });

  it('a read while the database is gone fails as DATABASE_UNAVAILABLE, not as a crash or a generic error', async () => {
    // Port 1 on loopback: nothing listens, the connect is refused at once.
    const faults: ConnectionFault[] = [];
    const store = createPostgresStore({
      url: 'postgres://postgres@127.0.0.1:1/none',
      onConnectionError: (fault) => faults.push(fault),
    });
    try {
      const error = await store.getNode('n-1').then(
        () => null,
        (e: unknown) => e,
      );
      expect(isFleetError(error) && error.code).toBe('DATABASE_UNAVAILABLE');
      expect(isFleetError(error) && error.details).toEqual({
        store: 'machinedb',
        reason: 'ECONNREFUSED',
        outcome: 'not-applied',
      });
      // Never connected, so no connection was lost.
      expect(faults).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
