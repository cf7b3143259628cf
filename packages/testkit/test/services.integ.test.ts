import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createScratchDatabase, hasService, startSshd } from '../src/index.js';

describe.skipIf(!hasService('postgres'))('scratch databases', () => {
  it('creates an empty database and drops it', async () => {
    const db = await createScratchDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT current_database() AS n');
    await client.end();
    expect(rows[0]?.n).toBe(db.name);
    await db.drop();
  });
});

describe('startSshd', () => {
  it('serves a real sshd that accepts the client key and checks the host key, across a restart', async () => {
    const sshd = await startSshd();
    const known = `${sshd.dir}/known_hosts`;
    execFileSync('sh', ['-c', `echo '${sshd.knownHostsLine}' > ${known}`]);
    const ssh = () =>
      execFileSync('ssh', [
        '-p', String(sshd.port), '-i', sshd.privateKeyPath, '-o', `UserKnownHostsFile=${known}`,
        '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${sshd.username}@127.0.0.1`, 'echo', 'up',
      ], { timeout: 30_000 }).toString().trim();
    expect(ssh()).toBe('up');
    await sshd.restart();
    expect(ssh()).toBe('up');
    await sshd.stop();
    expect(() => ssh()).toThrow();
  });
});
