import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './services.js';

const BIN = '/usr/lib/postgresql/15/bin';

/** A PostgreSQL server of the test's own, for tests that kill or restart it (never the shared one). */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication). */
  url: string;
  port: number;
  dataDir: string;
  /** The postmaster's pid, or null while it is down. */
  pid(): number | null;
  /** SIGKILL to the postmaster and every backend it forked (a crash); resolves when all are gone. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and data (crash recovery runs); resolves when it accepts queries. */
  start(): Promise<void>;
  /** Fast shutdown and removal of the data directory. */
  stop(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** Prefix of the temp directory, to tell helpers' instances apart. Default `fleet-pg`. */
  prefix?: string;
  /** How long start() waits for the server. Default 30 s. */
  startTimeoutMs?: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids whose parent is `pid` (the postmaster's backends and helpers), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`private PostgreSQL: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * initdb (as user `postgres`: initdb refuses root) into a fresh temp directory and start the server on a free
 * port on 127.0.0.1, socket in the data directory, fsync off. About a second on this machine.
 */
export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), `${options.prefix ?? 'fleet-pg'}-`));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dataDir, uid, gid);
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const run = (cmd: string, args: string[]) => {
    const [file, ...rest] = [...asPostgres, cmd, ...args];
    execFileSync(file!, rest, { stdio: 'pipe', timeout: 120_000 });
  };
  run(`${BIN}/initdb`, ['-D', join(dataDir, 'data'), '--auth=trust', '--no-sync', '-U', 'postgres']);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const pidFile = join(dataDir, 'data', 'postmaster.pid');
  let postmaster: number | null = null;

  const accepts = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const start = async () => {
    const [file, ...rest] = [
      ...asPostgres,
      `${BIN}/postgres`,
      '-D',
      join(dataDir, 'data'),
      '-p',
      String(port),
      '-k',
      dataDir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ];
    const child = spawn(file!, rest, { stdio: 'ignore', detached: false });
    child.unref();
    await until('the server to accept queries', accepts, timeoutMs);
    postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  };

  await start();
  return {
    url,
    port,
    dataDir,
    pid: () => (postmaster !== null && isAlive(postmaster) ? postmaster : null),
    async kill9() {
      if (postmaster === null) return;
      const victims = [postmaster, ...childrenOf(postmaster)];
      for (const pid of victims) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await until('the killed processes to go', () => victims.every((pid) => !isAlive(pid)), timeoutMs);
      postmaster = null;
    },
    start,
    async stop() {
      if (postmaster !== null && isAlive(postmaster)) {
        const pid = postmaster;
        process.kill(pid, 'SIGINT');
        await until('the server to stop', () => !isAlive(pid), timeoutMs);
      }
      postmaster = null;
      if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
