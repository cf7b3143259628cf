import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/config.js';
import { createFleetServer, type FleetServer } from '../src/server.js';
import { consoleInventory } from './console-fleet.js';
import { startServer } from './setup.js';

// After a restart the console's node cache is filled before /readyz says ready, so the first node list a
// browser gets reads no nodes from the store (with 10,000 nodes that read was the 438 ms first page).
describe('console cache warmed at start', () => {
  let second: FleetServer | undefined;
  let dataDir = '';
  afterAll(async () => {
    await second?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows nodes added after a start with an empty fleet (the warm cache held none)', async () => {
    const running = await startServer({ FLEET_SWEEP_INTERVAL_SECONDS: '0' });
    try {
      const deadline = Date.now() + 60_000;
      while ((await running.server.app.inject({ method: 'GET', url: '/readyz' })).statusCode !== 200) {
        if (Date.now() > deadline) throw new Error('not ready within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await running.server.machineDb.submitInventory(consoleInventory(i), { kind: 'enrol' })).nodeId);
      }
      const page = await running.server.app.inject({
        method: 'GET',
        url: '/ui/nodes',
        headers: { authorization: running.adminAuth },
      });
      expect(page.statusCode).toBe(200);
      for (const id of ids) expect(page.body).toContain(id);
    } finally {
      await running.stop();
    }
  }, 120_000);

  it('answers /readyz ready only with the cache full, and the first list then reads no nodes', async () => {
    const first = await startServer({ FLEET_SWEEP_INTERVAL_SECONDS: '0' });
    dataDir = first.dataDir;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push((await first.server.machineDb.submitInventory(consoleInventory(i), { kind: 'enrol' })).nodeId);
    }
    const creds = first.server.initialAdmin;
    await first.admin.close();
    await first.server.close();
    expect(creds).not.toBeNull();

    second = await createFleetServer(
      loadServerConfig({ FLEET_DATA_DIR: dataDir, FLEET_PORT: '0', FLEET_SWEEP_INTERVAL_SECONDS: '0' }),
    );
    const app = second.app;
    const deadline = Date.now() + 60_000;
    let ready = await app.inject({ method: 'GET', url: '/readyz' });
    while (ready.statusCode !== 200 && Date.now() < deadline) {
      const body = ready.json() as { checks: Record<string, { ok: boolean; error?: string }> };
      // Only the warm-up may hold it back here (the database is up); it says so.
      expect(body.checks['startup.console']).toMatchObject({ ok: false, error: 'still warming up' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      ready = await app.inject({ method: 'GET', url: '/readyz' });
    }
    expect(ready.statusCode).toBe(200);
    expect((ready.json() as { checks: Record<string, { ok: boolean }> }).checks['startup.console']?.ok).toBe(true);

    // Count the store's node reads from here on (the real store, only counted).
    const store = second.machineDb.store;
    const reads: unknown[] = [];
    const listNodes = store.listNodes.bind(store);
    store.listNodes = (async (...args: Parameters<typeof listNodes>) => {
      reads.push(args[0]);
      return await listNodes(...args);
    }) as typeof store.listNodes;
    const { token } = await second.machineDb.login(creds?.username ?? '', creds?.password ?? '');
    const page = await app.inject({ method: 'GET', url: '/ui/nodes', headers: { cookie: `fleet_session=${token}` } });
    expect(page.statusCode).toBe(200);
    for (const id of ids.slice(0, 5)) expect(page.body).toContain(id);
    expect(reads).toEqual([]);
    // A change afterwards is read alone (the incremental refresh), not the whole fleet again.
    const node = await second.machineDb.getNode(ids[0] ?? '');
    await second.machineDb.updateNode(node.id, { tags: ['warm'] }, node.version, { kind: 'user', name: 'test' });
    expect(
      (await app.inject({ method: 'GET', url: '/ui/nodes', headers: { cookie: `fleet_session=${token}` } })).statusCode,
    ).toBe(200);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ updatedSince: expect.any(String) });
  }, 180_000);
});
