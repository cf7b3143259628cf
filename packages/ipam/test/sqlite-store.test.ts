import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '@fleet/sqlite';
import { createIpam, createSqliteStore, SCHEMA_VERSION } from '../src/index.js';
import { expectCode, runStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-ipam-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreContract('sqlite', async () => {
  const store = createSqliteStore({ path: join(dir, `contract-${n++}.db`) });
  return { store, cleanup: () => store.close() };
});

describe('sqlite store', () => {
  it('keeps the plan across reopen and migrates only once', async () => {
    const path = join(dir, 'reopen.db');
    const first = createSqliteStore({ path });
    await createIpam({ store: first }).addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment' });
    await first.close();
    const second = createSqliteStore({ path });
    const ipam = createIpam({ store: second });
    expect((await ipam.getPrefix('10.0.0.0/24')).kind).toBe('assignment');
    expect((await ipam.allocateAddress({ from: '10.0.0.0/24' })).prefix).toBe('10.0.0.1/32');
    await second.close();
    const db = openSqlite(path, { readonly: true });
    const versions = db.prepare('SELECT version FROM ipam_schema_migrations').all();
    db.close();
    expect(versions).toEqual([{ version: SCHEMA_VERSION }]);
  });

  it('refuses bad options and a closed store', async () => {
    expect(() => createSqliteStore({ path: '' })).toThrow(/path is required/);
    await expectCode(
      Promise.resolve().then(() => createSqliteStore({ path: join(dir, 'no/such/dir.db') })),
      'IPAM_STORE_FAILED',
    );
    const store = createSqliteStore({ path: ':memory:' });
    await store.close();
    await expectCode(createIpam({ store }).listVrfs(), 'IPAM_STORE_FAILED');
  });
});
