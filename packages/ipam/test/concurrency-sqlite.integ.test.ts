import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { createIpam, createSqliteStore } from '../src/index.js';
import { CLIENTS, type ClientResult, check, FULL_RACE, prepare, type RaceShape, race } from './concurrency-client.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-ipam-conc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads one line at a time from a child's stdout. */
function lineReader(child: ChildProcessWithoutNullStreams): () => Promise<string> {
  let buffer = '';
  let waiting: (() => void) | null = null;
  let stderr = '';
  let exited: number | null | undefined;
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    waiting?.();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.on('exit', (code) => {
    exited = code;
    waiting?.();
  });
  return async () => {
    for (;;) {
      const nl = buffer.indexOf('\n');
      if (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        return line;
      }
      if (exited !== undefined) throw new Error(`worker exited ${exited}: ${stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
      waiting = null;
    }
  };
}

describe('8 clients on one SQLite file', () => {
  it('with 8 Database handles in one process: 2,000 addresses from a /20, then exhaustion', async () => {
    const path = join(dir, 'handles.db');
    const stores = Array.from({ length: CLIENTS }, () => createSqliteStore({ path, busyTimeoutMs: 10_000 }));
    try {
      await prepare(stores[0]!, FULL_RACE);
      const clients = stores.map((store, i) => createIpam({ store, actor: `client-${i}` }));
      const { one, two } = await race(clients, FULL_RACE);
      await check(one, two, clients[0]!, FULL_RACE);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 120_000);

  it('with 8 processes contending for BEGIN IMMEDIATE', async () => {
    // Smaller than the in-process race: SQLite's busy handler sleeps between retries, so cross-process
    // contention costs milliseconds per transaction; correctness is what this proves.
    const shape: RaceShape = { parent: '10.20.2.0/24', usable: 256 - 2, singles: 10 };
    const path = join(dir, 'processes.db');
    const setup = createSqliteStore({ path });
    await prepare(setup, shape);
    await setup.close();
    const worker = fileURLToPath(new URL('./sqlite-worker.ts', import.meta.url));
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const children = Array.from({ length: CLIENTS }, () =>
      spawn(process.execPath, ['--import', 'tsx', worker, path, shape.parent, String(shape.singles)], { cwd }),
    );
    try {
      const readers = children.map(lineReader);
      const phase = async (): Promise<ClientResult[]> => {
        for (const child of children) child.stdin.write('go\n');
        return (await Promise.all(readers.map((next) => next()))).map((line) => JSON.parse(line) as ClientResult);
      };
      await Promise.all(readers.map((next) => next())); // every worker has its connection open
      const one = await phase();
      const two = await phase();
      const store = createSqliteStore({ path });
      try {
        await check(one, two, createIpam({ store }), shape);
      } finally {
        await store.close();
      }
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
