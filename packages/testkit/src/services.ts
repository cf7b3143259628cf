import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface ServiceEnv {
  postgres?: { url: string; port: number };
  ldap?: {
    url: string;
    baseDn: string;
    bindDn: string;
    bindPassword: string;
    usersDn: string;
    groupsDn: string;
    users: Record<string, string>;
    adminGroup: string;
    viewerGroup: string;
  };
  ssh?: {
    host: string;
    port: number;
    username: string;
    privateKeyPath: string;
    knownHostsPath: string;
    hostPublicKeyPath: string;
  };
}

/** Where `scripts/services.sh up` wrote its env.json. */
export function servicesDir(): string {
  return process.env.FLEET_SERVICES_DIR ?? '/tmp/fleet-services';
}

/** The services started by `scripts/services.sh up`, or `{}` when none are running. */
export function serviceEnv(): ServiceEnv {
  const file = join(servicesDir(), 'env.json');
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as ServiceEnv;
}

/**
 * True when the named service is up. In CI (`CI` set) a missing service is an error, so an integration
 * test can never pass by being skipped there; on a laptop the test is skipped with a reason.
 */
export function hasService(name: keyof ServiceEnv): boolean {
  const present = serviceEnv()[name] !== undefined;
  if (!present && process.env.CI) {
    throw new Error(`service ${name} is not running: start it with scripts/services.sh up`);
  }
  return present;
}

export interface ScratchDatabase {
  url: string;
  name: string;
  /**
   * Ends every connection to this database with `pg_terminate_backend` (what a restart or failover does to a
   * client) and returns how many it ended. Only this scratch database's backends are touched.
   */
  terminateBackends(): Promise<number>;
  drop(): Promise<void>;
}

/** Creates a fresh, empty PostgreSQL database on the test server; `drop()` removes it. */
export async function createScratchDatabase(prefix = 'fleet_test'): Promise<ScratchDatabase> {
  const admin = serviceEnv().postgres?.url;
  if (!admin) throw new Error('PostgreSQL is not running: start it with scripts/services.sh up');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const withAdmin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: admin });
    c.on('error', () => {});
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return {
    url,
    name,
    async terminateBackends() {
      return await withAdmin(async (c) => {
        const { rows } = await c.query<{ n: number }>(
          'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        return rows[0]?.n ?? 0;
      });
    },
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      c.on('error', () => {});
      await c.connect();
      try {
        // pg's pool.end() resolves before its sockets have closed: wait (bounded) for the database's own
        // clients to go, so FORCE does not terminate a connection whose owner would see a 57P01 error.
        const deadline = Date.now() + 10_000;
        for (;;) {
          const { rows } = await c.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if ((rows[0]?.n ?? 0) === 0 || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SshdOptions {
  /** Reuse a host key directory to keep the same host key across restarts (a rebooted node). */
  dir?: string;
  port?: number;
  /** Extra sshd_config lines. */
  extraConfig?: string[];
}

export interface TestSshd {
  host: string;
  port: number;
  username: string;
  dir: string;
  privateKey: string;
  privateKeyPath: string;
  /** `ssh-ed25519 AAAA…` of the host key. */
  hostPublicKey: string;
  /** One known_hosts line for this server. */
  knownHostsLine: string;
  stop(): Promise<void>;
  /** Stop and start again on the same port with the same host key (a reboot). */
  restart(): Promise<void>;
}

/** Starts a real OpenSSH server on 127.0.0.1 with its own host and client keys (root only). */
export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const dir = options.dir ?? join(tmpdir(), `fleet-sshd-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  if (!existsSync(hostKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  if (!existsSync(clientKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const port = options.port ?? (await freePort());
  const config = [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    'MaxStartups 100:30:200',
    'MaxSessions 50',
    ...(options.extraConfig ?? []),
  ];
  writeFileSync(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  let child: ReturnType<typeof spawn> | undefined;
  const start = async () => {
    child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (await canConnect(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`sshd did not start on port ${port}`);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  const hostPublicKey = readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  return {
    host: '127.0.0.1',
    port,
    username: execFileSync('id', ['-un']).toString().trim(),
    dir,
    privateKey: readFileSync(clientKey, 'utf8'),
    privateKeyPath: clientKey,
    hostPublicKey,
    knownHostsLine: `[127.0.0.1]:${port} ${hostPublicKey}`,
    stop,
    async restart() {
      await stop();
      await start();
    },
  };
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
