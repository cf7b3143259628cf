import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type SqliteDatabase, openSqlite } from '@fleet/sqlite';
import { RolloutError } from './errors.js';
import type { NodeProgress, RolloutRecord } from './progress.js';
import type { ProgressStore } from './store.js';

/**
 * The embedded default store: one SQLite file. Every write is its own committed transaction (WAL,
 * synchronous=NORMAL), so a killed orchestrator loses at most the step it was in.
 */
export function createSqliteProgressStore(file: string): ProgressStore {
  let db: SqliteDatabase;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = openSqlite(file, { busyTimeoutMs: 5000 });
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS rollout (cluster TEXT PRIMARY KEY, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS rollout_node (
        cluster TEXT NOT NULL, node TEXT NOT NULL, progress TEXT NOT NULL, PRIMARY KEY (cluster, node)
      );
    `);
  } catch (cause) {
    throw new RolloutError(
      'ROLLOUT_STORE_FAILED',
      `cannot open the rollout state file ${file}: check the path and permissions`,
      {
        cause,
        details: { file },
      },
    );
  }
  const getRollout = db.prepare<{ record: string }>('SELECT record FROM rollout WHERE cluster = ?');
  const putRollout = db.prepare(
    'INSERT INTO rollout (cluster, record) VALUES (?, ?) ON CONFLICT (cluster) DO UPDATE SET record = excluded.record',
  );
  const getNodes = db.prepare<{ progress: string }>('SELECT progress FROM rollout_node WHERE cluster = ?');
  const putNode = db.prepare(
    'INSERT INTO rollout_node (cluster, node, progress) VALUES (?, ?, ?) ON CONFLICT (cluster, node) DO UPDATE SET progress = excluded.progress',
  );
  const delRollout = db.prepare('DELETE FROM rollout WHERE cluster = ?');
  const delNodes = db.prepare('DELETE FROM rollout_node WHERE cluster = ?');
  return {
    async readRollout(cluster) {
      const row = getRollout.get(cluster);
      return row ? (JSON.parse(row.record) as RolloutRecord) : undefined;
    },
    async writeRollout(record) {
      putRollout.run(record.cluster, JSON.stringify(record));
    },
    async readNodes(cluster) {
      return getNodes.all(cluster).map((row) => JSON.parse(row.progress) as NodeProgress);
    },
    async writeNode(cluster, progress) {
      putNode.run(cluster, progress.node, JSON.stringify(progress));
    },
    async clear(cluster) {
      db.transaction(() => {
        delRollout.run(cluster);
        delNodes.run(cluster);
      });
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

/** Where a rollout keeps its state when no `stateDir` is given. */
export const DEFAULT_STATE_DIR = '.fleet-rollout';

/** The store a rollout uses by default: `<stateDir>/rollout.sqlite`. For `fleet rollout status`. */
export function createDefaultProgressStore(stateDir: string = DEFAULT_STATE_DIR): ProgressStore {
  return createSqliteProgressStore(join(resolve(stateDir), 'rollout.sqlite'));
}
