import { readFileSync } from 'node:fs';
import { runChecked } from '@fleet/core';
import { createLocalExecutor, createSshPool } from '@fleet/exec';

export async function main(
  host = '10.0.0.11',
  port = 22,
  keyPath = '/etc/fleet/id_ed25519',
  knownHostsPath = '/etc/fleet/known_hosts',
) {
  const local = createLocalExecutor({ defaultTimeoutMs: 10_000 });
  const here = await runChecked(local, 'uname', ['-n']);
  // One pool for the whole fleet: connections are shared per host, at most 16 open, host keys checked.
  const pool = createSshPool({
    username: 'root',
    privateKey: readFileSync(keyPath),
    knownHostsPath,
    maxConnections: 16,
  });
  try {
    const node = pool.executor({ host, port });
    const there = await runChecked(node, 'uname', ['-n'], { timeoutMs: 30_000 });
    return { local: here.stdout.trim(), remote: there.stdout.trim(), target: node.target };
  } finally {
    await pool.close();
  }
}
