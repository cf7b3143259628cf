// Shared parts of the server benches: the server in its own process, CPU from /proc, node fixtures.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Writes a server config whose IPAM pools hold 10,000 nodes (the defaults are sized for a lab); returns its path. */
export function writeBenchConfig(dataDir: string): string {
  const file = join(dataDir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      ipam: {
        pools: {
          bmc: { cidr: '10.64.0.0/16', description: 'BMC', gateways: 1 },
          primary: { cidr: '10.65.0.0/16', description: 'management', gateways: 1 },
          loopback: { cidr: '10.66.0.0/16', description: 'loopbacks' },
          transfer: { cidr: '10.67.0.0/16', description: 'transfer', kind: 'reservation', defaultLengthV4: 31 },
        },
      },
    }),
  );
  return file;
}

export interface Server {
  child: ChildProcess;
  url: string;
  password: string;
}

/** Starts `src/main.ts` in its own process on port 0; resolves with its URL and the admin password it printed. */
export async function startServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  { firstStart = true }: { firstStart?: boolean } = {},
): Promise<Server> {
  // BENCH_SERVER_ARGS: extra Node flags for every server process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const extraArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extraArgs, ...nodeArgs, '--import', 'tsx', main], {
    cwd: root,
    env: { ...process.env, FLEET_PORT: '0', FLEET_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return await new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      const password = /password: +(\S+)/.exec(out)?.[1];
      // Only the first start of an empty database prints the admin password; a further instance does not.
      if (url && (password || !firstStart)) resolve({ child, url, password: password ?? '' });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** utime + stime of a process in ms, from /proc (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0; // ended meanwhile
  }
}

/**
 * CPU of a process and its children (a postmaster and its backends), in ms: its own, its live children's,
 * and that of the children it has reaped (cutime + cstime), so backends that ended still count.
 */
export function treeCpuMs(pid: number): number {
  let total = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // ended while we looked
    }
  }
  return total;
}

const hex = (i: number, width: number) => i.toString(16).padStart(width, '0');

export { hex };
export const macOf = (i: number) => `3c:ec:ef:${hex(i >> 16, 2)}:${hex((i >> 8) & 0xff, 2)}:${hex(i & 0xff, 2)}`;
export const inventory = (i: number) => ({
  systemUuid: `4c4c4544-0000-4000-8000-${hex(i, 12)}`,
  serial: `BENCH${hex(i, 7)}`,
  cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
  memory: { totalBytes: 64 * 2 ** 30 },
  disks: [{ name: 'nvme0n1', sizeBytes: 960e9, rotational: false, byId: [`/dev/disk/by-id/nvme-BENCH_${hex(i, 6)}`] }],
  nics: [{ name: 'eno1', mac: macOf(i) }],
});

/** Runs `fn` over 0..n-1 with `concurrency` in flight; returns wall time in ms. */
export async function parallel(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await fn(i);
    }),
  );
  return performance.now() - started;
}

/** JSON over HTTP; a 4xx/5xx throws with the status and the start of the body. */
export function caller(url: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    const json =
      text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : {};
    return { status: res.status, json };
  };
}

export type Call = (
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Record<string, unknown>>;

/**
 * JSON over HTTP through undici's Pool, not fetch: the generator shares two cores with the server and fetch
 * costs it ~1 ms a call. A 4xx/5xx throws with the status and the start of the body.
 */
export function poolCaller(url: string, connections: number): { call: Call; close: () => Promise<void> } {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const call: Call = async (method, path, body, headers = {}) => {
    const res = await pool.request({
      method,
      path,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  return { call, close: () => pool.close() };
}

export interface BenchNode {
  id: string;
  token: string;
  mac: string;
}

/** `n` live systems enrol (`concurrency` in flight); returns the nodes and the wall time in ms. */
export async function enrolNodes(call: Call, n: number, concurrency: number) {
  const nodes: BenchNode[] = [];
  const wallMs = await parallel(n, concurrency, async (i) => {
    const r = await call('POST', '/api/v1/inventory', inventory(i));
    nodes[i] = { id: r.nodeId as string, token: r.token as string, mac: macOf(i) };
  });
  return { nodes, wallMs };
}

/**
 * Each node on to deployed: an admin PATCH (host name, rack, system disk: addresses are drawn from IPAM),
 * then the node's own events. Returns the wall time in ms.
 */
export async function deployNodes(
  call: Call,
  admin: Record<string, string>,
  nodes: BenchNode[],
  concurrency: number,
): Promise<number> {
  return await parallel(nodes.length, concurrency, async (i) => {
    const n = nodes[i]!;
    await call(
      'PATCH',
      `/api/v1/nodes/${n.id}`,
      {
        hostname: `cmp-${hex(i, 5)}`,
        location: { site: 'lab', rack: `r${String((i % 32) + 1).padStart(2, '0')}` },
        systemDisk: { byId: `/dev/disk/by-id/nvme-BENCH_${hex(i, 6)}` },
      },
      { ...admin, 'if-match': '"1"' },
    );
    for (const type of ['bmc-configured', 'install-started', 'install-finished']) {
      await call('POST', `/api/v1/nodes/${n.id}/events`, { type }, { authorization: `Bearer ${n.token}` });
    }
  });
}

/**
 * Caps a process at `cores` CPUs through a cgroup (v1 `cpu` controller, 10 ms periods so a throttled server
 * pauses for a few ms, not tens), as if it ran on a machine of its own that size. Needs root; returns a
 * `release` that removes the cgroup once the process has exited, or the reason it could not cap.
 */
export function capCpu(pid: number, cores: number): { release: () => void } | { error: string } {
  const dir = `/sys/fs/cgroup/cpu/fleet-bench-${pid}`;
  const release = () => {
    try {
      rmdirSync(dir);
    } catch {
      // never made, or still has a process in it; the next boot clears it
    }
  };
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'cpu.cfs_period_us'), '10000');
    writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round(cores * 10_000)));
    writeFileSync(join(dir, 'cgroup.procs'), String(pid));
  } catch (error) {
    release(); // a cgroup made but not filled is not left behind
    return { error: (error as Error).message };
  }
  return { release };
}
