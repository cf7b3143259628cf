import { createScratchDatabase, hasService } from '@fleet/testkit';
import { describe, expect, it } from 'vitest';
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

describe.skipIf(!hasService('postgres'))('the same pool or VRF name created at once on separate connections', () => {
  it('one creation wins, every other is IPAM_DUPLICATE (never a raw unique violation)', async () => {
    const db = await createScratchDatabase('fleet_ipam_dup');
    const stores: Store[] = [];
    try {
      for (let i = 0; i < 4; i++) stores.push(await createPostgresStore({ connectionString: db.url, maxConnections: 1 }));
      const clients = stores.map((store, i) => createIpam({ store, actor: `client-${i}` }));
      for (let round = 0; round < 5; round++) {
        for (const [kind, create] of [
          ['vrf', (c: (typeof clients)[number]) => c.addVrf({ name: `vrf-${round}` })],
          ['pool', (c: (typeof clients)[number]) => c.addPool({ name: `pool-${round}` })],
        ] as const) {
          const results = await Promise.allSettled(clients.map((c) => create(c)));
          const refused = results.filter((r) => r.status === 'rejected');
          expect(results.length - refused.length, `${kind} round ${round}`).toBe(1);
          for (const r of refused) {
            expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'IPAM_DUPLICATE' });
          }
        }
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  }, 120_000);
});
