// One client process of the SQLite concurrency test: argv = database path, parent prefix, singles.
// It prints "ready" once its connection is open and starts each phase only when the test writes a line
// to stdin, so all eight really race instead of running one after another as they happen to start.
import { createInterface } from 'node:readline';
import { createIpam, createSqliteStore } from '../src/index.js';
import { allocateSingles, allocateUntilExhausted } from './concurrency-client.js';

const [path, from, singles] = process.argv.slice(2);
const store = createSqliteStore({ path: path!, busyTimeoutMs: 60_000 });
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
try {
  const ipam = createIpam({ store, actor: `pid-${process.pid}` });
  process.stdout.write('ready\n');
  await lines.next();
  process.stdout.write(`${JSON.stringify(await allocateSingles(ipam, from!, Number(singles)))}\n`);
  await lines.next();
  process.stdout.write(`${JSON.stringify(await allocateUntilExhausted(ipam, from!))}\n`);
} finally {
  await store.close();
  process.stdin.destroy();
}
