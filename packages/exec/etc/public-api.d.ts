import { FleetError, FleetErrorOptions, Executor, ExecOptions } from '@fleet/core';
type ExecErrorCode = 'EXEC_INVALID_OPTIONS' | 'EXEC_INVALID_ARGUMENT' | 'EXEC_CONNECT_FAILED' | 'EXEC_HOST_KEY_UNKNOWN' | 'EXEC_HOST_KEY_MISMATCH' | 'EXEC_CONNECTION_LOST' | 'EXEC_ABORTED' | 'EXEC_CLOSED' | 'EXEC_UNSCRIPTED';
declare class ExecError extends FleetError {
    name: string;
    readonly code: ExecErrorCode;
    constructor(code: ExecErrorCode, message: string, options?: FleetErrorOptions);
}
declare class HostKeyError extends ExecError {
    name: string;
    readonly presentedKey: string;
    readonly fingerprint: string;
    constructor(code: 'EXEC_HOST_KEY_UNKNOWN' | 'EXEC_HOST_KEY_MISMATCH', message: string, presentedKey: string, fingerprint: string, details: Record<string, unknown>);
}
interface LocalExecutorOptions {
    env?: Record<string, string>;
    inheritEnv?: boolean;
    defaultTimeoutMs?: number;
}
interface ResolvedLocalExecutorOptions {
    env: Record<string, string>;
    inheritEnv: boolean;
    defaultTimeoutMs: number;
}
declare function resolveLocalExecutorOptions(options?: LocalExecutorOptions): ResolvedLocalExecutorOptions;
declare function createLocalExecutor(options?: LocalExecutorOptions): Executor;
interface SshExecutorOptions {
    host: string;
    port?: number;
    username?: string;
    privateKey?: string | Buffer;
    privateKeyPath?: string;
    passphrase?: string;
    knownHosts?: string;
    knownHostsPath?: string;
    trustUnknownHost?: boolean;
    onNewHostKey?: (line: string) => void;
    connectTimeoutMs?: number;
    commandTimeoutMs?: number;
    keepaliveIntervalMs?: number;
    maxChannels?: number;
}
interface ResolvedSshExecutorOptions {
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
declare function resolveSshExecutorOptions(options: SshExecutorOptions): ResolvedSshExecutorOptions;
declare function createSshExecutor(options: SshExecutorOptions): Executor;
interface SshPoolOptions extends Omit<SshExecutorOptions, 'host'> {
    maxConnections?: number;
}
interface SshPoolTarget {
    host: string;
    port?: number;
    username?: string;
}
interface SshPoolStats {
    open: number;
    waiting: number;
    hosts: number;
}
interface SshPool {
    executor(target: SshPoolTarget): Executor;
    stats(): SshPoolStats;
    close(): Promise<void>;
}
declare function createSshPool(defaults: SshPoolOptions): SshPool;
interface KnownHostEntry {
    marker?: 'revoked' | 'cert-authority';
    hosts: string;
    keyType: string;
    key: string;
}
type HostKeyVerdict = {
    status: 'known';
} | {
    status: 'unknown';
} | {
    status: 'mismatch';
    expectedTypes: string[];
} | {
    status: 'revoked';
};
declare function parseKnownHosts(text: string): KnownHostEntry[];
declare function knownHostsName(host: string, port: number): string;
declare function formatKnownHostsLine(host: string, port: number, keyType: string, key: string): string;
declare function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyType: string, key: string): HostKeyVerdict;
declare function hostKeyFingerprint(key: string): string;
declare function quoteShellArg(value: string): string;
interface RemoteCommandParts {
    env?: Record<string, string>;
    cwd?: string;
}
declare function renderRemoteCommand(command: string, args: readonly string[], parts?: RemoteCommandParts): string;
interface ScriptedResponse {
    command: string;
    args?: readonly string[] | ((args: readonly string[]) => boolean);
    code?: number;
    stdout?: string;
    stderr?: string;
    error?: Error;
    repeat?: boolean;
}
interface ScriptedCall {
    command: string;
    args: readonly string[];
    options: ExecOptions;
    line: string;
}
interface ScriptedExecutor extends Executor {
    readonly calls: ScriptedCall[];
    unused(): ScriptedResponse[];
}
declare function createScriptedExecutor(responses?: readonly ScriptedResponse[], target?: string): ScriptedExecutor;
export { ExecError, type ExecErrorCode, HostKeyError, type HostKeyVerdict, type KnownHostEntry, type LocalExecutorOptions, type RemoteCommandParts, type ResolvedLocalExecutorOptions, type ResolvedSshExecutorOptions, type ScriptedCall, type ScriptedExecutor, type ScriptedResponse, type SshExecutorOptions, type SshPool, type SshPoolOptions, type SshPoolStats, type SshPoolTarget, checkHostKey, createLocalExecutor, createScriptedExecutor, createSshExecutor, createSshPool, formatKnownHostsLine, hostKeyFingerprint, knownHostsName, parseKnownHosts, quoteShellArg, renderRemoteCommand, resolveLocalExecutorOptions, resolveSshExecutorOptions };
