import { createPostgresStore } from './postgres.js';
import { createSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; maxConnections?: number };

/** Opens the store a configuration names (migrations run in `createMachineDb`). */
export function openStore(config: StoreConfig): Store {
  return config.kind === 'sqlite'
    ? createSqliteStore({ path: config.path })
    : createPostgresStore({
        url: config.url,
        ...(config.maxConnections ? { maxConnections: config.maxConnections } : {}),
      });
}
