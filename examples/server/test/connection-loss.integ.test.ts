import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '@fleet/core';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/config.js';
import { createFleetServer } from '../src/server.js';

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The value of one counter line of a Prometheus text page, 0 when absent. */
function counter(page: string, prefix: string): number {
  return page
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe.skipIf(!hasService('postgres'))('the server when PostgreSQL drops every connection', () => {
  it('stays up, logs and counts the lost connections, and answers the next IPAM and MachineDB calls', async () => {
    const db = await createScratchDatabase('fleet_server_loss');
    const dataDir = mkdtempSync(join(tmpdir(), 'fleet-perf-loss-'));
    const logger = createMemoryLogger();
    const server = await createFleetServer(
      loadServerConfig({
        FLEET_DATA_DIR: dataDir,
        FLEET_PORT: '0',
        FLEET_DATABASE_URL: db.url.replace('postgres@', 'postgres:hunter2-secret@'),
        FLEET_SERVER_KEY: 'cd'.repeat(32),
      }),
      logger,
    );
    try {
      const url = await server.listen();
      const password = server.initialAdmin?.password ?? '';
      const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
      const get = async (path: string) => await fetch(`${url}${path}`, { headers: { authorization: auth } });
      // One IPAM and one MachineDB request: each store now holds an idle connection.
      expect((await get('/api/v1/ipam/pools')).status).toBe(200);
      expect((await get('/api/v1/nodes?limit=5')).status).toBe(200);

      expect(await db.terminateBackends()).toBeGreaterThanOrEqual(2);
      const metrics = async () => await (await fetch(`${url}/metrics`)).text();
      await waitFor('both stores to report their lost connections', async () => {
        const page = await metrics();
        return (
          counter(page, 'fleet_db_connection_errors_total{store="ipam",code="57P01"}') >= 1 &&
          counter(page, 'fleet_db_connection_errors_total{store="machinedb",code="57P01"}') >= 1
        );
      });
      const lost = logger.entries.filter((e) => e.message.startsWith('database connection lost'));
      expect(lost.map((e) => e.fields.store).sort()).toContain('ipam');
      expect(lost.every((e) => e.level === 'warn' && e.fields.code === '57P01')).toBe(true);
      expect(JSON.stringify(logger.entries)).not.toContain('hunter2');

      // Still up, and the next calls of both stores succeed on fresh connections.
      const pools = await get('/api/v1/ipam/pools');
      expect(pools.status).toBe(200);
      expect(((await pools.json()) as unknown[]).length).toBeGreaterThan(0);
      expect((await get('/api/v1/nodes?limit=5')).status).toBe(200);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
