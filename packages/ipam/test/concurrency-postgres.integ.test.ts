import { createScratchDatabase, hasService } from '@fleet/testkit';
import { describe, it } from 'vitest';
import { createIpam, createPostgresStore, type Store } from '../src/index.js';
import { CLIENTS, check, FULL_RACE, prepare, race } from './concurrency-client.js';

describe.skipIf(!hasService('postgres'))('8 clients on separate PostgreSQL connections', () => {
  it('allocate 2,000 addresses from one /20 without a duplicate or a loss, then exhaust it', async () => {
    const db = await createScratchDatabase('fleet_ipam_conc');
    const stores: Store[] = [];
    try {
      for (let i = 0; i < CLIENTS; i++) {
        stores.push(await createPostgresStore({ connectionString: db.url, maxConnections: 1 }));
      }
      await prepare(stores[0]!, FULL_RACE);
      const clients = stores.map((store, i) => createIpam({ store, actor: `client-${i}` }));
      const { one, two } = await race(clients, FULL_RACE);
      await check(one, two, clients[0]!, FULL_RACE);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  }, 180_000);
});
