import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachineDbClient, type MachineDbClient } from '@fleet/machinedb-client';
import { loadServerConfig } from './config.js';
import { createFleetServer, type FleetServer } from './server.js';

/** A server started by {@link startTestServer}, logged in as its admin. */
export interface TestServer {
  server: FleetServer;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** A MachineDB client holding the admin's session token. */
  admin: MachineDbClient;
  /** `Bearer <token>` of the admin session, for raw HTTP requests. */
  adminAuth: string;
  /** The server's data directory (a fresh temporary one), removed by `stop()`. */
  dataDir: string;
  /** Closes the admin client and the server, then removes the data directory. */
  stop(): Promise<void>;
}

/**
 * The real server in-process on 127.0.0.1 port 0 with a fresh SQLite data directory, for tests of the
 * server and of the programs that talk to it (CLI, inventory). `env` overrides the configuration the way
 * `pnpm start` reads it (`FLEET_DATABASE_URL`, `ADMIN_PASSWORD`, …); pass `ADMIN_PASSWORD` when the
 * configuration creates no initial admin with a generated password.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-server-test-'));
  let server: FleetServer | undefined;
  try {
    server = await createFleetServer(loadServerConfig({ FLEET_DATA_DIR: dataDir, FLEET_PORT: '0', ...env }));
    const url = await server.listen();
    const creds = server.initialAdmin ?? { username: 'admin', password: env.ADMIN_PASSWORD ?? '' };
    const anonymous = createMachineDbClient({ baseUrl: url });
    const { token } = await anonymous
      .login({ username: creds.username, password: creds.password })
      .finally(() => anonymous.close());
    const admin = createMachineDbClient({ baseUrl: url, token });
    const running = server;
    return {
      server: running,
      url,
      admin,
      adminAuth: `Bearer ${token}`,
      dataDir,
      async stop() {
        await admin.close();
        await running.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
