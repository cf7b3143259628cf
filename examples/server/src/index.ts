// The provisioning server's public entry, for the other examples (CLI, inventory) and their tests and
// benches: build a server in-process, start a throwaway one, or find the script `pnpm start` runs.
import { fileURLToPath } from 'node:url';

export {
  ConfigError,
  type ConsulDatacenterConfig,
  type IpamSeed,
  loadServerConfig,
  type ServerConfig,
} from './config.js';
export { createFleetServer, type FleetServer, type Role } from './server.js';
export { startTestServer, type TestServer } from './testing.js';

/**
 * The absolute path of the built server entry (`dist/main.js`, what `pnpm start` runs), to spawn the server as
 * its own process: `spawn(process.execPath, [serverMainScript], { env })`. It prints
 * `fleet server listening on <url>` once it listens. Exists after `pnpm build`.
 */
// src/index.ts and dist/index.js both sit one level below the package root.
export const serverMainScript: string = fileURLToPath(new URL('../dist/main.js', import.meta.url));
