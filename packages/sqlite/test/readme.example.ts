import { openSqlite } from '@fleet/sqlite';

export function main(): string | undefined {
  const db = openSqlite(':memory:', { busyTimeoutMs: 5000 });
  db.exec('CREATE TABLE nodes (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
  db.transaction(() => {
    db.prepare('INSERT INTO nodes (id, state) VALUES (?, ?)').run('n1', 'new');
  }, 'immediate');
  const row = db.prepare<{ state: string }>('SELECT state FROM nodes WHERE id = ?').get('n1');
  console.log(row?.state, db.driver); // new, node:sqlite on Node 24 / better-sqlite3 on Node 20
  db.close();
  return row?.state;
}
