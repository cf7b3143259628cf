import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import {
  CommandTimeoutError,
  describeCommand,
  type ExecOptions,
  type ExecResult,
  type Executor,
  isValid,
  validateFqdn,
  validateHostname,
  validateInteger,
  ValidationError,
} from '@fleet/core';
import ipaddr from 'ipaddr.js';
import ssh2 from 'ssh2';
import { ExecError, HostKeyError } from './errors.js';
import {
  checkHostKey,
  formatKnownHostsLine,
  hostKeyFingerprint,
  type KnownHostEntry,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
} from './known-hosts.js';
import { renderRemoteCommand } from './remote-command.js';

type Client = InstanceType<typeof ssh2.Client>;
type ClientChannel = Parameters<Parameters<Client['exec']>[1]>[1];

export interface SshExecutorOptions {
  host: string;
  /** Default 22. */
  port?: number;
  /** Default `root`. */
  username?: string;
  /** OpenSSH or PEM private key text. One of `privateKey` / `privateKeyPath` is required. */
  privateKey?: string | Buffer;
  privateKeyPath?: string;
  passphrase?: string;
  /** known_hosts text. One of `knownHosts` / `knownHostsPath` is required (or `trustUnknownHost`). */
  knownHosts?: string;
  /** Read at every (re)connect, so an operator's edit applies without restarting. */
  knownHostsPath?: string;
  /**
   * Accept a host missing from known_hosts (trust on first use); its key is then pinned for this executor's
   * lifetime. A host whose key CHANGED is never accepted: fix known_hosts instead.
   */
  trustUnknownHost?: boolean;
  /** Called with the known_hosts line of a host accepted through `trustUnknownHost`, to persist it. */
  onNewHostKey?: (line: string) => void;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Timeout for commands that set none. Default 5 minutes; 0 disables. */
  commandTimeoutMs?: number;
  /** SSH keepalive interval; a dead peer is noticed after 3 missed replies. Default 15 s; 0 disables. */
  keepaliveIntervalMs?: number;
  /** Concurrent commands on the one connection (sshd's MaxSessions is 10 by default). Default 8. */
  maxChannels?: number;
}

export interface ResolvedSshExecutorOptions {
  host: string;
  port: number;
  username: string;
  privateKey: string | Buffer;
  passphrase: string | undefined;
  knownHosts: string | undefined;
  knownHostsPath: string | undefined;
  trustUnknownHost: boolean;
  onNewHostKey: ((line: string) => void) | undefined;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  keepaliveIntervalMs: number;
  maxChannels: number;
}

const PID_MARKER = 'fleet-exec-pid-';
const USERNAME = /^[a-z_][a-z0-9_.-]{0,31}$/;
const DAY_MS = 86_400_000;

/**
 * Fills defaults and validates SSH executor options. Pure apart from reading `privateKeyPath`, so a
 * missing key file fails here, before any connection is attempted.
 */
export function resolveSshExecutorOptions(options: SshExecutorOptions): ResolvedSshExecutorOptions {
  const host = validateSshHost(options.host);
  const port = validateInteger(options.port ?? 22, 'port', 1, 65_535);
  const username = options.username ?? 'root';
  if (!USERNAME.test(username)) {
    throw new ValidationError('username', `username ${JSON.stringify(username)} is not a valid login name`);
  }
  let privateKey = options.privateKey;
  if (privateKey === undefined && options.privateKeyPath !== undefined) {
    try {
      privateKey = readFileSync(options.privateKeyPath);
    } catch (error) {
      throw new ValidationError('privateKeyPath', `cannot read private key file ${options.privateKeyPath}`, {
        cause: error,
      });
    }
  }
  if (privateKey === undefined || privateKey.length === 0) {
    throw new ValidationError('privateKey', 'an SSH private key is required: set privateKey or privateKeyPath');
  }
  const trustUnknownHost = options.trustUnknownHost ?? false;
  if (options.knownHosts === undefined && options.knownHostsPath === undefined && !trustUnknownHost) {
    throw new ValidationError(
      'knownHosts',
      `no known_hosts for ${host}: set knownHosts or knownHostsPath (or trustUnknownHost to accept a new host once)`,
    );
  }
  return {
    host,
    port,
    username,
    privateKey,
    passphrase: options.passphrase,
    knownHosts: options.knownHosts,
    knownHostsPath: options.knownHostsPath,
    trustUnknownHost,
    onNewHostKey: options.onNewHostKey,
    connectTimeoutMs: validateInteger(options.connectTimeoutMs ?? 10_000, 'connectTimeoutMs', 1, DAY_MS),
    commandTimeoutMs: validateInteger(options.commandTimeoutMs ?? 300_000, 'commandTimeoutMs', 0, DAY_MS),
    keepaliveIntervalMs: validateInteger(options.keepaliveIntervalMs ?? 15_000, 'keepaliveIntervalMs', 0, DAY_MS),
    maxChannels: validateInteger(options.maxChannels ?? 8, 'maxChannels', 1, 1000),
  };
}

function validateSshHost(value: unknown): string {
  // A dotted-quad IPv4 (ipaddr.js alone would also take `10.1` or octal) or an IPv6 literal.
  if (typeof value === 'string' && (ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value))) return value;
  if (isValid(validateHostname, value)) return validateHostname(value, 'host');
  if (isValid(validateFqdn, value)) return validateFqdn(value, 'host');
  throw new ValidationError('host', `host ${JSON.stringify(value)} is neither an IP address nor a host name`);
}

/** How a connection asks its pool for room, and tells it when it is gone or idle. */
export interface ConnectionSlots {
  acquire(connection: SshConnection): Promise<void>;
  release(connection: SshConnection): void;
  idle(connection: SshConnection): void;
}

const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * One SSH connection to one host, opened on first use and reopened after it drops (a rebooted node).
 * Internal: reached through `createSshExecutor` and `createSshPool`.
 */
export class SshConnection {
  readonly target: string;
  lastUsed = 0;
  private client: Client | undefined;
  private ready: Promise<Client> | undefined;
  private holdsSlot = false;
  private closed = false;
  private active = 0;
  private readonly channelWaiters: Array<() => void> = [];
  /** The key accepted through trust-on-first-use: a later connection must present the same one. */
  private pinned: { keyType: string; key: string } | undefined;

  constructor(
    private readonly options: ResolvedSshExecutorOptions,
    private readonly slots?: ConnectionSlots,
  ) {
    this.target = `${options.username}@${options.host}:${options.port}`;
  }

  /** Connected or connecting, and not running anything: the pool may close it to make room. */
  get evictable(): boolean {
    return this.holdsSlot && this.active === 0 && this.channelWaiters.length === 0;
  }

  get isConnected(): boolean {
    return this.client !== undefined;
  }

  /** Drops the connection without telling the pool (the pool already took the slot back). */
  evict(): void {
    this.holdsSlot = false;
    this.drop();
  }

  async close(): Promise<void> {
    this.closed = true;
    const ready = this.ready;
    this.drop();
    if (ready) await ready.catch(() => undefined);
  }

  async run(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const shown = describeCommand(command, args, options.secrets);
    const line = renderRemoteCommand(command, args, { env: options.env, cwd: options.cwd });
    if (this.closed) throw new ExecError('EXEC_CLOSED', `the executor for ${this.target} is closed; create a new one`);
    if (options.signal?.aborted) throw aborted(shown, this.target, options.signal);
    await this.acquireChannel();
    try {
      return await this.runOnChannel(line, shown, options, true);
    } finally {
      this.releaseChannel();
    }
  }

  private async acquireChannel(): Promise<void> {
    if (this.active < this.options.maxChannels) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.channelWaiters.push(resolve));
  }

  private releaseChannel(): void {
    this.lastUsed = Date.now();
    const next = this.channelWaiters.shift();
    if (next) {
      next();
      return;
    }
    this.active--;
    if (this.active === 0) this.slots?.idle(this);
  }

  private async runOnChannel(line: string, shown: string, options: ExecOptions, mayRetry: boolean): Promise<ExecResult> {
    const client = await this.connect();
    if (options.signal?.aborted) throw aborted(shown, this.target, options.signal);
    let stream: ClientChannel;
    // The remote shell reports its PID (= the process group sshd created for the session, kept by exec)
    // so a timeout or abort can kill the command: sshd ignores `signal` requests on root logins.
    const nonce = randomBytes(6).toString('hex');
    try {
      stream = await new Promise<ClientChannel>((resolve, reject) => {
        const wrapped = `printf '${PID_MARKER}%s %d\\n' ${nonce} "$$" >&2; ${line}`;
        client.exec(wrapped, (error, channel) => (error ? reject(error) : resolve(channel)));
      });
    } catch (error) {
      // The connection died between runs (peer rebooted): nothing was started, so one fresh try is safe.
      if (mayRetry && this.client !== client) return await this.runOnChannel(line, shown, options, false);
      if (this.client === client) this.drop();
      throw new ExecError(
        'EXEC_CONNECTION_LOST',
        `could not start ${shown} on ${this.target}: ${(error as Error).message}`,
        { cause: error, details: { target: this.target } },
      );
    }
    return await this.collect(client, stream, shown, options, nonce);
  }

  /** Kills the remote process group over a channel of its own; best effort, never waited for. */
  private killRemote(client: Client, pid: number | undefined): void {
    if (pid === undefined || this.client !== client) return;
    client.exec(`kill -s KILL -- -${pid} 2>/dev/null || kill -s KILL ${pid}`, (error, channel) => {
      if (error) return;
      channel.on('error', () => {});
      channel.resume();
      channel.stderr.resume();
      channel.end();
    });
  }

  private collect(
    client: Client,
    stream: ClientChannel,
    shown: string,
    options: ExecOptions,
    nonce: string,
  ): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
    const started = performance.now();
    return new Promise<ExecResult>((resolve, reject) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const pidLine = new RegExp(`${PID_MARKER}${nonce} (\\d+)\\n`);
      let pid: number | undefined;
      let settled = false;
      const finish = (error: Error | undefined, result?: ExecResult) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        client.removeListener('close', onConnectionClose);
        if (error) reject(error);
        else resolve(result!);
      };
      const closeChannel = () => {
        try {
          stream.close();
        } catch {
          // The channel is already gone.
        }
      };
      // Set when we gave up before the remote shell told its PID (a slow login shell): the kill follows
      // as soon as the PID arrives, or the channel is closed after a grace period.
      let killWhenKnown: ReturnType<typeof setTimeout> | undefined;
      const stop = (error: Error) => {
        finish(error);
        if (pid !== undefined) {
          this.killRemote(client, pid);
          closeChannel();
        } else {
          killWhenKnown = setTimeout(closeChannel, 30_000);
          killWhenKnown.unref?.();
        }
      };
      const timer =
        timeoutMs > 0 ? setTimeout(() => stop(new CommandTimeoutError(this.target, shown, timeoutMs)), timeoutMs) : undefined;
      const onAbort = () => stop(aborted(shown, this.target, options.signal!));
      const onConnectionClose = () =>
        finish(
          new ExecError(
            'EXEC_CONNECTION_LOST',
            `the connection to ${this.target} closed before ${shown} reported its exit status (did the node reboot?)`,
            { details: { target: this.target } },
          ),
        );
      options.signal?.addEventListener('abort', onAbort, { once: true });
      client.once('close', onConnectionClose);
      stream.on('data', (chunk: Buffer) => stdout.push(chunk));
      stream.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        if (pid === undefined) {
          const match = pidLine.exec(Buffer.concat(stderr).toString('utf8'));
          if (match) pid = Number(match[1]);
          if (pid !== undefined && killWhenKnown !== undefined) {
            clearTimeout(killWhenKnown);
            this.killRemote(client, pid);
            closeChannel();
          }
        }
      });
      stream.on('error', () => {});
      stream.on('close', (code: number | null | undefined, signalName?: string) => {
        if (typeof code !== 'number' && !signalName) return onConnectionClose();
        const signalNumber = signalName ? (constants.signals[`SIG${signalName}` as NodeJS.Signals] ?? 0) : 0;
        finish(undefined, {
          code: typeof code === 'number' ? code : 128 + signalNumber,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8').replace(pidLine, ''),
          durationMs: performance.now() - started,
        });
      });
      if (options.stdin !== undefined) stream.end(options.stdin);
      else stream.end();
    });
  }

  private connect(): Promise<Client> {
    if (this.closed) {
      return Promise.reject(new ExecError('EXEC_CLOSED', `the executor for ${this.target} is closed; create a new one`));
    }
    if (this.ready) return this.ready;
    const ready = (async () => {
      if (this.slots && !this.holdsSlot) await this.slots.acquire(this);
      this.holdsSlot = true;
      try {
        if (this.closed) throw new ExecError('EXEC_CLOSED', `the executor for ${this.target} was closed while waiting`);
        return await this.open();
      } catch (error) {
        this.giveBackSlot();
        throw error;
      }
    })();
    this.ready = ready;
    ready.catch(() => {
      if (this.ready === ready) this.ready = undefined;
    });
    return ready;
  }

  private giveBackSlot(): void {
    if (!this.holdsSlot) return;
    this.holdsSlot = false;
    this.slots?.release(this);
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    this.ready = undefined;
    client?.end();
    this.giveBackSlot();
  }

  private knownHostEntries(): KnownHostEntry[] {
    let text = this.options.knownHosts ?? '';
    if (this.options.knownHostsPath !== undefined) {
      try {
        text += `\n${readFileSync(this.options.knownHostsPath, 'utf8')}`;
      } catch (error) {
        throw new ExecError(
          'EXEC_CONNECT_FAILED',
          `cannot read known_hosts file ${this.options.knownHostsPath} for ${this.target}`,
          { cause: error, details: { target: this.target } },
        );
      }
    }
    const entries = parseKnownHosts(text);
    if (this.pinned) {
      entries.push({ hosts: knownHostsName(this.options.host, this.options.port), ...this.pinned });
    }
    return entries;
  }

  private open(): Promise<Client> {
    const { host, port } = this.options;
    const entries = this.knownHostEntries();
    const types = knownKeyTypes(entries, host, port).flatMap((type) => HOST_KEY_ALGORITHMS[type] ?? []);
    let hostKeyFailure: HostKeyError | undefined;
    let acceptedNew: { keyType: string; key: string } | undefined;

    const verify = (blob: Buffer): boolean => {
      const keyType = keyTypeOfBlob(blob);
      const key = blob.toString('base64');
      const verdict = checkHostKey(entries, host, port, keyType, key);
      if (verdict.status === 'known') return true;
      const fingerprint = hostKeyFingerprint(key);
      const presented = `${keyType} ${key}`;
      const details = { target: this.target, keyType };
      if (verdict.status === 'unknown') {
        if (this.options.trustUnknownHost) {
          acceptedNew = { keyType, key };
          return true;
        }
        hostKeyFailure = new HostKeyError(
          'EXEC_HOST_KEY_UNKNOWN',
          `host key of ${this.target} (${keyType} ${fingerprint}) is not in known_hosts: verify it out of band and ` +
            `add "${formatKnownHostsLine(host, port, keyType, key)}", or set trustUnknownHost`,
          presented,
          fingerprint,
          details,
        );
      } else {
        hostKeyFailure = new HostKeyError(
          'EXEC_HOST_KEY_MISMATCH',
          `host key of ${this.target} CHANGED: it presented ${keyType} ${fingerprint}, which known_hosts does not ` +
            `list for it${verdict.status === 'revoked' ? ' (the key is revoked)' : ''}. This may be an attack or a ` +
            `reinstalled node; check out of band before replacing the known_hosts entry`,
          presented,
          fingerprint,
          { ...details, revoked: verdict.status === 'revoked' },
        );
      }
      return false;
    };

    return new Promise<Client>((resolve, reject) => {
      const client = new ssh2.Client();
      let isReady = false;
      client.on('ready', () => {
        isReady = true;
        if (this.closed) {
          client.end();
          return reject(new ExecError('EXEC_CLOSED', `the executor for ${this.target} was closed while connecting`));
        }
        if (acceptedNew && !this.pinned) {
          this.pinned = acceptedNew;
          this.options.onNewHostKey?.(formatKnownHostsLine(host, port, acceptedNew.keyType, acceptedNew.key));
        }
        this.client = client;
        resolve(client);
      });
      client.on('error', (error: Error & { level?: string }) => {
        if (isReady) return; // Reported to running commands through 'close'.
        reject(hostKeyFailure ?? connectFailed(this.target, error, this.options.connectTimeoutMs));
      });
      client.on('close', () => {
        if (!isReady) {
          reject(
            hostKeyFailure ??
              new ExecError('EXEC_CONNECT_FAILED', `connection to ${this.target} closed during the handshake`, {
                details: { target: this.target },
              }),
          );
          return;
        }
        if (this.client === client) this.drop();
      });
      client.connect({
        host,
        port,
        username: this.options.username,
        privateKey: this.options.privateKey,
        passphrase: this.options.passphrase,
        readyTimeout: this.options.connectTimeoutMs,
        keepaliveInterval: this.options.keepaliveIntervalMs,
        keepaliveCountMax: 3,
        hostVerifier: verify,
        ...(types.length > 0 ? { algorithms: { serverHostKey: types as never } } : {}),
      });
    });
  }
}

function connectFailed(target: string, error: Error & { level?: string; code?: string }, timeoutMs: number): ExecError {
  let reason = error.message;
  if (error.level === 'client-timeout') reason = `no SSH handshake within ${timeoutMs} ms`;
  else if (error.level === 'client-authentication') reason = 'the server refused our key (authentication failed)';
  return new ExecError('EXEC_CONNECT_FAILED', `cannot connect to ${target}: ${reason}`, {
    cause: error,
    details: { target, level: error.level, errno: error.code },
  });
}

function aborted(shown: string, target: string, signal: AbortSignal): ExecError {
  return new ExecError('EXEC_ABORTED', `${shown} on ${target} was aborted before it finished`, {
    cause: signal.reason,
    details: { target },
  });
}

/** An executor running commands over one reused SSH connection, verified against known_hosts. */
export function createSshExecutor(options: SshExecutorOptions): Executor {
  const connection = new SshConnection(resolveSshExecutorOptions(options));
  return {
    target: connection.target,
    run: (command, args, runOptions) => connection.run(command, args, runOptions),
    close: () => connection.close(),
  };
}
