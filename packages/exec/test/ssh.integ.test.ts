import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Executor } from '@fleet/core';
import { freePort, hasService, serviceEnv, startSshd, type TestSshd } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshExecutor, createSshPool, type SshExecutorOptions } from '../src/index.js';
import { HOSTILE_ARGS } from './remote-command.test.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI) throw new Error('the SSH integration tests need root (they start sshd)');

/** The sshd session process of the connection that ran this shell; killing it drops our connection. */
const DROP_CONNECTION = ['sh', ['-c', 'kill -9 $PPID']] as const;

/**
 * bash sources ~/.bashrc for every command sshd runs unless it thinks it is nested (SHLVL >= 1): a heavy
 * root .bashrc on a dev box would otherwise cost seconds per command. Production nodes are unaffected.
 */
const FAST_SHELL = { extraConfig: ['SetEnv SHLVL=1'] };

// Generous per-test timeout: every remote command starts the user's login shell, which on a loaded
// 2-core box with a heavy root .bashrc takes seconds.
describe.skipIf(!isRoot)('SSH executor against a real sshd', { timeout: 120_000 }, () => {
  let sshd: TestSshd;
  let other: TestSshd;
  const executors: Executor[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'fleet-exec-'));

  const options = (extra: Partial<SshExecutorOptions> = {}): SshExecutorOptions => ({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.privateKey,
    knownHosts: sshd.knownHostsLine,
    connectTimeoutMs: 20_000,
    ...extra,
  });
  const track = <T extends Executor>(executor: T): T => {
    executors.push(executor);
    return executor;
  };

  beforeAll(async () => {
    [sshd, other] = await Promise.all([startSshd(FAST_SHELL), startSshd(FAST_SHELL)]);
    // The pool uses one client key for every host: let sshd's client key into the other server too.
    appendFileSync(join(other.dir, 'authorized_keys'), readFileSync(`${sshd.privateKeyPath}.pub`));
  });
  afterAll(async () => {
    await Promise.allSettled(executors.map((e) => e.close?.()));
    await Promise.allSettled([sshd?.stop(), other?.stop()]);
    for (const d of [dir, sshd?.dir, other?.dir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('runs commands over one reused connection', async () => {
    const ssh = track(createSshExecutor(options()));
    expect(ssh.target).toBe(`${sshd.username}@127.0.0.1:${sshd.port}`);
    const first = await ssh.run('sh', ['-c', 'echo "$SSH_CONNECTION"; echo err >&2; exit 4']);
    expect(first.code).toBe(4);
    expect(first.stderr).toBe('err\n');
    const second = await ssh.run('sh', ['-c', 'echo "$SSH_CONNECTION"']);
    // Same client source port: the second command went over the same TCP connection.
    expect(second.stdout).toBe(first.stdout);
  });

  it('delivers hostile arguments to the remote program unchanged', async () => {
    const ssh = track(createSshExecutor(options()));
    const result = await ssh.run('printf', ['%s\\0', ...HOSTILE_ARGS]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS);
    const env = await ssh.run('sh', ['-c', 'printf "%s|%s" "$FLEET_V" "$PWD"'], {
      env: { FLEET_V: '$(touch /tmp/fleet-pwned); `id`' },
      cwd: '/tmp',
    });
    expect(env.stdout).toBe('$(touch /tmp/fleet-pwned); `id`|/tmp');
  });

  it('writes stdin and reports a missing program as 127', async () => {
    const ssh = track(createSshExecutor(options()));
    expect((await ssh.run('cat', [], { stdin: 'a\nb\n' })).stdout).toBe('a\nb\n');
    expect((await ssh.run('fleet-no-such-program', [])).code).toBe(127);
  });

  it('kills the remote command on timeout and keeps the connection usable', async () => {
    // Generous: the remote login shell may take a second to start (root's .bashrc on dev boxes).
    const ssh = track(createSshExecutor(options({ commandTimeoutMs: 2500 })));
    const marker = `30.${Date.now() % 100000}`;
    await expect(ssh.run('sleep', [marker])).rejects.toMatchObject({ code: 'EXEC_TIMEOUT' });
    await expect
      .poll(
        () =>
          execFileSync('ps', ['-eo', 'args'])
            .toString()
            .split('\n')
            .filter((l) => l === `sleep ${marker}`),
        {
          timeout: 20_000,
        },
      )
      .toEqual([]);
    expect((await ssh.run('echo', ['still here'], { timeoutMs: 30_000 })).stdout).toBe('still here\n');
  });

  it('aborts a running command', async () => {
    const ssh = track(createSshExecutor(options()));
    const controller = new AbortController();
    await ssh.run('true', []);
    const run = ssh.run('sleep', ['20']);
    const aborted = ssh.run('sleep', ['20'], { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'EXEC_ABORTED' });
    await ssh.close?.();
    // Closing under a running command fails it with a typed error instead of leaving it hanging.
    const error = await run.catch((e: { code?: string }) => e);
    expect(['EXEC_CONNECTION_LOST', 'EXEC_CLOSED']).toContain((error as { code?: string }).code);
    await expect(ssh.run('true', [])).rejects.toMatchObject({ code: 'EXEC_CLOSED' });
  });

  it('refuses an unknown host key with EXEC_HOST_KEY_UNKNOWN naming the key', async () => {
    const ssh = track(createSshExecutor(options({ knownHosts: other.knownHostsLine })));
    const error = await ssh.run('true', []).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EXEC_HOST_KEY_UNKNOWN', presentedKey: sshd.hostPublicKey });
    expect((error as Error).message).toContain(sshd.knownHostsLine);
  });

  it('refuses a CHANGED host key with EXEC_HOST_KEY_MISMATCH, even with trustUnknownHost', async () => {
    const wrong = other.knownHostsLine.replace(`]:${other.port} `, `]:${sshd.port} `);
    expect(wrong).not.toBe(other.knownHostsLine);
    const ssh = track(createSshExecutor(options({ knownHosts: wrong, trustUnknownHost: true })));
    await expect(ssh.run('true', [])).rejects.toMatchObject({ code: 'EXEC_HOST_KEY_MISMATCH' });
  });

  it('accepts hashed known_hosts entries read from a file', async () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update(`[127.0.0.1]:${sshd.port}`).digest('base64');
    const path = join(dir, 'known_hosts_hashed');
    writeFileSync(path, `|1|${salt.toString('base64')}|${hash} ${sshd.hostPublicKey}\n`);
    const ssh = track(createSshExecutor(options({ knownHosts: undefined, knownHostsPath: path })));
    expect((await ssh.run('echo', ['ok'])).stdout).toBe('ok\n');
  });

  it('trusts an unknown host once when asked, reports the line and pins the key', async () => {
    const lines: string[] = [];
    const ssh = track(
      createSshExecutor(options({ knownHosts: undefined, trustUnknownHost: true, onNewHostKey: (l) => lines.push(l) })),
    );
    expect((await ssh.run('echo', ['tofu'])).stdout).toBe('tofu\n');
    expect(lines).toEqual([sshd.knownHostsLine]);
  });

  it('reconnects after the node reboots (same host key) without failing the next command', async () => {
    const ssh = track(createSshExecutor(options({ keepaliveIntervalMs: 1000 })));
    const before = (await ssh.run('sh', ['-c', 'echo "$SSH_CONNECTION"'])).stdout;
    await sshd.stop();
    // Stopping the listener leaves sessions alive (like OpenSSH): drop ours the way a reboot would.
    await expect(ssh.run(...DROP_CONNECTION)).rejects.toMatchObject({ code: 'EXEC_CONNECTION_LOST' });
    await expect(ssh.run('true', [])).rejects.toMatchObject({ code: 'EXEC_CONNECT_FAILED' });
    await sshd.restart();
    const after = (await ssh.run('sh', ['-c', 'echo "$SSH_CONNECTION"'])).stdout;
    expect(after).not.toBe(before);
    expect((await ssh.run('echo', ['back'])).stdout).toBe('back\n');
  });

  it('notices a host key changed across a reconnect (reinstalled node)', async () => {
    const port = await freePort();
    const first = await startSshd({ port, ...FAST_SHELL });
    const ssh = track(
      createSshExecutor(options({ port, privateKey: first.privateKey, knownHosts: undefined, trustUnknownHost: true })),
    );
    try {
      await ssh.run('true', []);
      await ssh.run(...DROP_CONNECTION).catch(() => undefined);
      await first.stop();
      // A fresh sshd on the same port has new keys: the pinned first key must be required.
      const second = await startSshd({ port, ...FAST_SHELL });
      try {
        await expect(ssh.run('true', [])).rejects.toMatchObject({ code: 'EXEC_HOST_KEY_MISMATCH' });
      } finally {
        await second.stop();
        rmSync(second.dir, { recursive: true, force: true });
      }
    } finally {
      await first.stop();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });

  it('reports a refused connection and a refused key as EXEC_CONNECT_FAILED', async () => {
    const closed = track(createSshExecutor(options({ port: await freePort() })));
    await expect(closed.run('true', [])).rejects.toMatchObject({ code: 'EXEC_CONNECT_FAILED' });
    const wrongKey = track(createSshExecutor(options({ privateKey: other.privateKey.replace('x', 'x') })));
    // other's client key is not in sshd's authorized_keys.
    const error = await wrongKey.run('true', []).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EXEC_CONNECT_FAILED' });
    expect((error as Error).message).toMatch(/authentication/);
    expect((error as Error).message).not.toContain('PRIVATE KEY');
  });

  it('validates options before connecting', () => {
    expect(() => createSshExecutor(options({ host: 'node1; rm -rf /' }))).toThrow(/host/);
    expect(() => createSshExecutor(options({ port: 70000 }))).toThrow(/port/);
    expect(() => createSshExecutor(options({ knownHosts: undefined }))).toThrow(/known_hosts/);
    expect(() => createSshExecutor(options({ privateKey: undefined }))).toThrow(/private key/);
  });

  it('queues commands beyond maxChannels on the one connection', async () => {
    const ssh = track(createSshExecutor(options({ maxChannels: 2 })));
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => ssh.run('echo', [String(i)])));
    expect(results.map((r) => r.stdout.trim())).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('pool: shares a connection per host and keeps at most maxConnections open', async () => {
    const pool = createSshPool({
      username: sshd.username,
      privateKey: sshd.privateKey,
      knownHosts: `${sshd.knownHostsLine}\n${other.knownHostsLine}\n`,
      maxConnections: 1,
    });
    try {
      const a1 = pool.executor({ host: '127.0.0.1', port: sshd.port });
      const a2 = pool.executor({ host: '127.0.0.1', port: sshd.port });
      const b = pool.executor({ host: '127.0.0.1', port: other.port });
      const conn = ['sh', ['-c', 'echo "$SSH_CONNECTION"']] as const;
      const [x, y] = await Promise.all([a1.run(...conn), a2.run(...conn)]);
      expect(x.stdout).toBe(y.stdout);
      expect(pool.stats()).toMatchObject({ open: 1, hosts: 2 });
      // Room for b is made by closing a's idle connection; both still work, never more than one open.
      const [r1, r2, r3] = await Promise.all([b.run('echo', ['b']), a1.run('echo', ['a']), b.run('echo', ['b2'])]);
      expect([r1.stdout, r2.stdout, r3.stdout]).toEqual(['b\n', 'a\n', 'b2\n']);
      expect(pool.stats().open).toBeLessThanOrEqual(1);
      await a2.close?.();
      await expect(a2.run('true', [])).rejects.toMatchObject({ code: 'EXEC_CLOSED' });
      expect((await a1.run('echo', ['a1 still works'])).code).toBe(0);
    } finally {
      await pool.close();
    }
    expect(pool.stats().open).toBe(0);
  });
});

describe.skipIf(!hasService('ssh'))('SSH executor against the shared test sshd', () => {
  it('connects with the service known_hosts file and runs a command', async () => {
    const env = serviceEnv().ssh!;
    const ssh = createSshExecutor({
      host: env.host,
      port: env.port,
      username: env.username,
      privateKey: readFileSync(env.privateKeyPath),
      knownHostsPath: env.knownHostsPath,
    });
    try {
      expect((await ssh.run('id', ['-un'])).stdout.trim()).toBe(env.username);
    } finally {
      await ssh.close?.();
    }
  });
});
