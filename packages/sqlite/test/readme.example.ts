import { openSqlite } from '@fleet/sqlite';

const db = openSqlite(':memory:', { busyTimeoutMs: 5000 }); // or a file path
db.exec('CREATE TABLE nodes (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
db.transaction(() => {
  db.prepare('INSERT INTO nodes (id, state) VALUES (?, ?)').run('n1', 'new');
  db.prepare('UPDATE nodes SET state = ? WHERE id = ?').run('inventoried', 'n1');
}, 'immediate');
try {
  db.prepare('INSERT INTO nodes (id, state) VALUES (?, ?)').run('n1', 'new');
} catch (error) {
  console.log((error as { code?: string }).code); // the same codes on both drivers
}
const row = db.prepare<{ state: string }>('SELECT state FROM nodes WHERE id = ?').get('n1');
console.log(`n1 is ${row?.state}`, `(driver: ${db.driver})`); // node:sqlite on Node 24, better-sqlite3 on Node 20
db.close();
// prints: SQLITE_CONSTRAINT_PRIMARYKEY
// prints: n1 is inventoried
