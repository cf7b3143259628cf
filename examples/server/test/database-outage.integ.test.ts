import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasService, type PrivatePostgres, startPrivatePostgres } from '@fleet/testkit';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface ServerProcess {
  child: ChildProcess;
  url: string;
  password: string;
  stderr: () => string;
}

/** The real server (`src/main.ts`) in its own process, on the given database. */
async function startServerProcess(databaseUrl: string, dataDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: {
      ...process.env,
      FLEET_DATABASE_URL: databaseUrl,
      FLEET_DATA_DIR: dataDir,
      FLEET_PORT: '0',
      FLEET_SERVER_KEY: 'ef'.repeat(32),
      FLEET_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      const password = /password: +(\S+)/.exec(out)?.[1];
      if (url && password) {
        clearTimeout(timer);
        resolve({ child, url, password, stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${err}`));
    });
  });
}

type Outcome = { status: number; code?: string; outcome?: string; retryAfter?: string | null };

interface WriteRecord {
  kind: 'enrol' | 'allocate';
  key: string;
  sentAt: number;
  result: Outcome;
  /** The created node id (enrol) or prefix (allocate) when acknowledged. */
  id?: string;
}

const inventory = (uuid: string, n: number) => {
  const hex = n.toString(16).padStart(4, '0');
  return {
    systemUuid: uuid,
    cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
    memory: { totalBytes: 64 * 2 ** 30 },
    disks: [{ name: 'nvme0n1', sizeBytes: 960e9, rotational: false, byId: [`/dev/disk/by-id/nvme-OUTAGE_${hex}`] }],
    nics: [{ name: 'eno1', mac: `3c:ec:ef:aa:${hex.slice(0, 2)}:${hex.slice(2)}` }],
  };
};

describe.skipIf(!hasService('postgres'))('the server through a PostgreSQL crash (kill -9 and restart)', () => {
  it('answers 503 with Retry-After meanwhile, resumes by itself, keeps every acknowledged write and no failed one', async () => {
    const postgres: PrivatePostgres = await startPrivatePostgres({ prefix: 'perf-outage-pg' });
    const dataDir = mkdtempSync(join(tmpdir(), 'perf-outage-'));
    let server: ServerProcess | undefined;
    try {
      server = await startServerProcess(postgres.url, dataDir);
      const { url } = server;
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: server.password }),
      });
      const bearer = `Bearer ${((await login.json()) as { token: string }).token}`;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);

      const outcome = async (res: Response): Promise<Outcome> => {
        const body = (await res.json().catch(() => ({}))) as { code?: string; details?: { outcome?: string } };
        return {
          status: res.status,
          ...(body.code ? { code: body.code } : {}),
          ...(body.details?.outcome ? { outcome: body.details.outcome } : {}),
          retryAfter: res.headers.get('retry-after'),
        };
      };
      const writes: WriteRecord[] = [];
      const reads: Outcome[] = [];
      let n = 0;
      let running = true;
      // Steady load: 4 workers, each a write (enrolment or IPAM allocation) then a read, back to back.
      const worker = async () => {
        while (running) {
          const i = n++;
          const sentAt = Date.now();
          if (i % 2 === 0) {
            const key = randomUUID();
            try {
              const res = await fetch(`${url}/api/v1/inventory`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(inventory(key, i)),
              });
              const result = await outcome(res.clone());
              const id = res.ok ? ((await res.json()) as { nodeId: string }).nodeId : undefined;
              writes.push({ kind: 'enrol', key, sentAt, result, ...(id ? { id } : {}) });
            } catch {
              writes.push({ kind: 'enrol', key, sentAt, result: { status: 0 } });
            }
          } else {
            const key = `outage-${i}`;
            try {
              const res = await fetch(`${url}/api/v1/ipam/allocate`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: bearer },
                body: JSON.stringify({ what: 'address', pool: 'primary', description: key }),
              });
              const result = await outcome(res.clone());
              const id = res.ok ? ((await res.json()) as { prefix: string }).prefix : undefined;
              writes.push({ kind: 'allocate', key, sentAt, result, ...(id ? { id } : {}) });
            } catch {
              writes.push({ kind: 'allocate', key, sentAt, result: { status: 0 } });
            }
          }
          const path =
            i % 3 === 0
              ? '/api/v1/nodes?limit=5'
              : `/boot/grub/3c:ec:ef:aa:00:${(i % 200).toString(16).padStart(2, '0')}`;
          reads.push(await outcome(await fetch(`${url}${path}`, { headers: { authorization: bearer } })));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const workers = [1, 2, 3, 4].map(() => worker());
      const acked = () => writes.filter((w) => w.result.status === 201 || w.result.status === 200).length;
      const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
        const deadline = Date.now() + timeoutMs;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await until('some writes before the crash', () => acked() >= 20);

      const killedAt = Date.now();
      await postgres.kill9();
      await until('a 503 while the database is down', () => writes.some((w) => w.result.status === 503));
      const duringOutage = {
        readyz: await fetch(`${url}/readyz`),
        healthz: await fetch(`${url}/healthz`),
      };
      expect(duringOutage.healthz.status).toBe(200);
      expect(duringOutage.readyz.status).toBe(503);
      expect(((await duringOutage.readyz.json()) as { status: string }).status).toBe('not-ready');
      // Down for a while under load, then back.
      await until('1.5 s of outage', () => Date.now() - killedAt >= 1_500);
      const restartAt = Date.now();
      await postgres.start();
      const upAt = Date.now();
      await until('the server to write again by itself', () =>
        writes.some((w) => w.sentAt >= upAt && (w.result.status === 201 || w.result.status === 200)),
      );
      const recoveredAt = Math.min(
        ...writes.filter((w) => w.sentAt >= upAt && w.result.status < 300 && w.result.status > 0).map((w) => w.sentAt),
      );
      const before = acked();
      await until('more writes after recovery', () => acked() >= before + 20);
      running = false;
      await Promise.all(workers);
      expect(server.child.exitCode).toBeNull();
      expect((await fetch(`${url}/readyz`)).status).toBe(200);

      // Never a 500: during the outage every failure is a 503 DATABASE_UNAVAILABLE with Retry-After.
      const all = [...writes.map((w) => w.result), ...reads];
      const failed = all.filter((r) => r.status >= 500 || r.status === 0);
      expect(failed.filter((r) => r.status !== 503)).toEqual([]);
      expect(failed.every((r) => r.code === 'DATABASE_UNAVAILABLE' && r.retryAfter === '2')).toBe(true);

      // Every acknowledged write is there; no failed one (outcome not-applied) was committed.
      const present = async (w: WriteRecord): Promise<boolean> => {
        if (w.kind === 'enrol') {
          const res = await fetch(`${url}/api/v1/nodes?limit=5&q=${w.key}`, { headers: { authorization: bearer } });
          return ((await res.json()) as { items: unknown[] }).items.length > 0;
        }
        const res = await fetch(`${url}/api/v1/ipam/search?description=${w.key}`, {
          headers: { authorization: bearer },
        });
        // The search matches substrings (outage-2 in outage-27): compare exactly.
        return ((await res.json()) as { description: string }[]).some((p) => p.description === w.key);
      };
      const ackedWrites = writes.filter((w) => w.result.status === 201 || w.result.status === 200);
      const failedWrites = writes.filter((w) => w.result.status === 503 && w.result.outcome !== 'unknown');
      const unknownWrites = writes.filter((w) => w.result.status === 503 && w.result.outcome === 'unknown');
      const missing = [];
      for (const w of ackedWrites) if (!(await present(w))) missing.push(w);
      const ghosts = [];
      for (const w of failedWrites) if (await present(w)) ghosts.push(w);
      expect(missing).toEqual([]);
      expect(ghosts).toEqual([]);
      const count503 = all.filter((r) => r.status === 503).length;
      process.stdout.write(
        `database outage: ${ackedWrites.length} acknowledged writes all present, ${failedWrites.length} failed writes ` +
          `none committed, ${unknownWrites.length} with unknown outcome; ${count503} answers 503 (of ${all.length}); ` +
          `database down ${restartAt - killedAt} ms, restart took ${upAt - restartAt} ms, first write accepted ` +
          `${recoveredAt - upAt} ms after the database was back (${recoveredAt - killedAt} ms after the kill)\n`,
      );
      expect(count503).toBeGreaterThan(0);
    } finally {
      if (server && server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await new Promise((resolve) => server?.child.once('exit', resolve));
      }
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
