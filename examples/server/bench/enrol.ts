// Bulk enrolment and lifecycle transitions over HTTP, server in its own process, on SQLite and on a private
// PostgreSQL: N live systems enrol (concurrency C), then each node is taken on to deployed (an admin PATCH
// and three node events). Prints wall time, server CPU, PostgreSQL CPU and the generator's own CPU per node,
// with the load average of the machine (the generator shares it).
//   pnpm --filter @fleet/example-server bench:enrol           (after pnpm build)
//   BENCH_NODES=2000 BENCH_STORES=sqlite BENCH_CONCURRENCY=16,64 pnpm --filter @fleet/example-server bench:enrol
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrivatePostgres, startPrivatePostgres } from '@fleet/testkit';
import {
  type BenchNode,
  cpuMs,
  deployNodes,
  enrolNodes,
  poolCaller,
  startServer,
  stopServer,
  treeCpuMs,
  writeBenchConfig,
} from './harness.js';

const NODES = Number(process.env.BENCH_NODES ?? 10_000);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '16').split(',').map(Number);
const DEPLOY = process.env.BENCH_DEPLOY !== '0';
const GOAL_MS: Record<string, number> = { sqlite: 5_000, postgres: 10_000 };

const ms = (n: number) => n.toFixed(2);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function benchStore(kind: 'sqlite' | 'postgres', concurrency: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-enrol-bench-'));
  const configFile = writeBenchConfig(dataDir);
  const env: Record<string, string> = { FLEET_DATA_DIR: dataDir, FLEET_CONFIG: configFile };
  let postgres: PrivatePostgres | undefined;
  if (kind === 'postgres') {
    postgres = await startPrivatePostgres({ prefix: 'fleet-enrol-bench-pg' });
    env.FLEET_DATABASE_URL = postgres.url;
    env.FLEET_SERVER_KEY = 'cd'.repeat(32);
  }
  const server = await startServer(env);
  const { call, close } = poolCaller(server.url, concurrency);
  const measure = async (fn: () => Promise<number>) => {
    const server0 = cpuMs(server.child.pid!);
    const pg0 = postgres?.pid() ? treeCpuMs(postgres.pid()!) : 0;
    const own0 = process.cpuUsage();
    const wallMs = await fn();
    const own = process.cpuUsage(own0);
    return {
      wallMs,
      serverCpu: cpuMs(server.child.pid!) - server0,
      pgCpu: postgres?.pid() ? treeCpuMs(postgres.pid()!) - pg0 : 0,
      ownCpu: (own.user + own.system) / 1000,
    };
  };
  const cpuLine = (r: Awaited<ReturnType<typeof measure>>, per: number) =>
    `server CPU ${ms(r.serverCpu / per)} ms` +
    (kind === 'postgres' ? `, PostgreSQL CPU ${ms(r.pgCpu / per)} ms` : '') +
    `, generator CPU ${ms(r.ownCpu / per)} ms per node`;
  try {
    const login = await call('POST', '/api/v1/auth/login', { username: 'admin', password: server.password });
    const admin = { authorization: `Bearer ${login.token as string}` };
    const before = load();
    let nodes: BenchNode[] = [];
    const enrol = await measure(async () => {
      const r = await enrolNodes(call, NODES, concurrency);
      nodes = r.nodes;
      return r.wallMs;
    });
    const goal = GOAL_MS[kind]!;
    process.stdout.write(
      `${kind}, ${concurrency} in flight: enrol ${NODES} nodes in ${(enrol.wallMs / 1000).toFixed(2)} s ` +
        `(${ms(enrol.wallMs / NODES)} ms/node, ${(NODES / (enrol.wallMs / 1000)).toFixed(0)}/s` +
        (NODES === 10_000 ? `; goal < ${goal / 1000} s: ${enrol.wallMs < goal ? 'met' : 'NOT met'}` : '') +
        `); ${cpuLine(enrol, NODES)}; load average before ${before}, after ${load()}\n`,
    );
    if (!DEPLOY) return;
    const deploy = await measure(() => deployNodes(call, admin, nodes, concurrency));
    process.stdout.write(
      `${kind}, ${concurrency} in flight: on to deployed (4 requests, addresses drawn from IPAM) ` +
        `${(deploy.wallMs / 1000).toFixed(2)} s (${ms(deploy.wallMs / NODES)} ms/node); ${cpuLine(deploy, NODES)}; ` +
        `load average after ${load()}\n`,
    );
  } finally {
    await close();
    await stopServer(server);
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.stdout.write(
  `fleet enrolment bench: ${NODES} nodes over HTTP, server in its own process, generator on the same ` +
    `${(await import('node:os')).cpus().length}-core machine\n`,
);
for (const kind of STORES) for (const c of CONCURRENCY) await benchStore(kind as 'sqlite' | 'postgres', c);
