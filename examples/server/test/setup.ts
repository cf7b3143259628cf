import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachineDbClient, type MachineDbClient } from '@fleet/machinedb-client';
import { loadServerConfig } from '../src/config.js';
import { createFleetServer, type FleetServer } from '../src/server.js';

export interface Running {
  server: FleetServer;
  url: string;
  admin: MachineDbClient;
  adminAuth: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The real server in-process on 127.0.0.1:0 with a fresh SQLite data dir (or the env given). */
export async function startServer(env: Record<string, string> = {}): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-server-test-'));
  const server = await createFleetServer(loadServerConfig({ FLEET_DATA_DIR: dataDir, FLEET_PORT: '0', ...env }));
  const url = await server.listen();
  const creds = server.initialAdmin ?? { username: 'admin', password: env.ADMIN_PASSWORD ?? '' };
  const anonymous = createMachineDbClient({ baseUrl: url });
  const { token } = await anonymous.login({ username: creds.username, password: creds.password });
  await anonymous.close();
  const admin = createMachineDbClient({ baseUrl: url, token });
  return {
    server,
    url,
    admin,
    adminAuth: `Bearer ${token}`,
    dataDir,
    async stop() {
      await admin.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
