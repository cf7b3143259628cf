import { createScratchDatabase, hasService } from '@fleet/testkit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createIpam, createPostgresStore, SCHEMA_VERSION } from '../src/index.js';
import { expectCode, runStoreContract } from './store-contract.js';

const enabled = hasService('postgres');

describe.skipIf(!enabled)('postgres store', () => {
  runStoreContract('postgres', async () => {
    const db = await createScratchDatabase('fleet_ipam');
    const store = await createPostgresStore({ connectionString: db.url, maxConnections: 2 });
    return {
      store,
      async cleanup() {
        await store.close();
        await db.drop();
      },
    };
  });

  it('migrates once even when several stores open at the same time, and keeps data across reopen', async () => {
    const db = await createScratchDatabase('fleet_ipam');
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() => createPostgresStore({ connectionString: db.url, maxConnections: 1 })),
      );
      await createIpam({ store: stores[0]! }).addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment' });
      expect((await createIpam({ store: stores[2]! }).getPrefix('10.0.0.0/24')).kind).toBe('assignment');
      await Promise.all(stores.map((s) => s.close()));
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('SELECT version FROM ipam_schema_migrations');
      await client.end();
      expect(rows).toEqual([{ version: SCHEMA_VERSION }]);
    } finally {
      await db.drop();
    }
  });

  it('works on a caller-owned pool and leaves it open on close', async () => {
    const db = await createScratchDatabase('fleet_ipam');
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const store = await createPostgresStore({ pool });
      await createIpam({ store }).addPrefix({ prefix: '2001:db8::/48', kind: 'reservation' });
      await store.close();
      await expectCode(createIpam({ store }).listVrfs(), 'IPAM_STORE_FAILED');
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM ipam_prefixes');
      expect(rows[0]).toEqual({ n: 1 });
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  it('reports an unreachable server as IPAM_STORE_FAILED', async () => {
    await expectCode(
      createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' }),
      'IPAM_STORE_FAILED',
    );
  });
});
