import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMachineDbApp,
  createMemoryAllocator,
  createPostgresStore,
  createSqliteStore,
  type MachineDbApp,
} from '@fleet/machinedb';
import { createScratchDatabase } from '@fleet/testkit';

export type StoreKind = 'sqlite' | 'postgres';

export interface TestServer {
  url: string;
  port: number;
  app: MachineDbApp;
  adminUser: { username: string; password: string };
  /**
   * SQLite only: stops the server, deletes the database and starts again on the same port with only the
   * admin user, as after restoring a backup taken before any node enrolled.
   */
  wipe(): Promise<void>;
  /** Stops the HTTP server (connections refused) and starts it again on the same port and data. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const SERVER_KEY = 'b'.repeat(64);

/** The real MachineDB server (the @fleet/machinedb app) in-process on 127.0.0.1, port 0, on SQLite or PostgreSQL. */
export async function startMachineDb(
  kind: StoreKind,
  extra: { provisioningSecret?: string } = {},
): Promise<TestServer> {
  let location: string;
  let cleanup: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'mdb-client-'));
    location = join(dir, 'machinedb.sqlite');
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const db = await createScratchDatabase('mdbclient');
    location = db.url;
    cleanup = () => db.drop();
  }
  const allocator = createMemoryAllocator({
    bmc: { cidr: '10.250.0.0/16', gateway: '10.250.0.1' },
    primary: { cidr: '10.40.0.0/16', gateway: '10.40.0.1' },
  });
  const open = async () =>
    await createMachineDbApp({
      store: kind === 'sqlite' ? createSqliteStore({ path: location }) : createPostgresStore({ url: location }),
      serverKey: SERVER_KEY,
      allocator,
      sweepIntervalMs: 0,
      ...extra,
    });
  let app = await open();
  const adminUser = { username: 'admin', password: 'admin-password-1' };
  await app.machineDb.ensureUser({ ...adminUser, role: 'admin' });
  let port = 0;
  const listen = async () => {
    const address = await app.app.listen({ host: '127.0.0.1', port });
    port = Number(new URL(address).port);
  };
  await listen();
  const server: TestServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get app() {
      return app;
    },
    adminUser,
    async restart(downMs = 0) {
      await server.stop();
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      await server.start();
    },
    async wipe() {
      if (kind !== 'sqlite') throw new Error('wipe() is for the SQLite test server');
      await server.stop();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${location}${suffix}`, { force: true });
      await server.start();
      await app.machineDb.ensureUser({ ...adminUser, role: 'admin' });
    },
    async stop() {
      await app.close();
    },
    async start() {
      app = await open();
      await listen();
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
  return server;
}
