import Consul from 'consul';
import { FleetError, FleetErrorOptions, BackoffOptions, Logger } from '@fleet/core';
export { BackoffOptions, backoffDelay } from '@fleet/core';
import { Node, NodeState } from '@fleet/machinedb-contract';
type ConsulClient = InstanceType<typeof Consul>;
interface ConsulOptions {
    host?: string;
    port?: number;
    secure?: boolean;
    token?: string;
    timeoutMs?: number;
    defaults?: {
        dc?: string;
        consistent?: boolean;
        stale?: boolean;
    };
}
interface ResolvedConsulOptions {
    host: string;
    port: number;
    secure: boolean;
    token: string | undefined;
    timeoutMs: number;
    defaults: {
        dc?: string;
        consistent?: boolean;
        stale?: boolean;
    };
}
declare function resolveConsulOptions(options?: ConsulOptions): ResolvedConsulOptions;
declare function createConsul(options?: ConsulOptions): ConsulClient;
declare function closeConsul(consul: ConsulClient): void;
declare const DEFAULT_CONSUL_HTTP_ADDR = "http://127.0.0.1:8500";
interface ConsulAddress {
    host: string;
    port: number;
    secure: boolean;
    url: string;
}
interface ConsulEndpoint extends ConsulAddress {
    token?: string;
}
interface ParseConsulAddressOptions {
    ssl?: boolean;
    field?: string;
}
declare function parseConsulAddress(address: string, options?: ParseConsulAddressOptions): ConsulAddress;
interface ResolveConsulEndpointOptions {
    address?: string;
    token?: string;
    field?: string;
}
declare function resolveConsulEndpoint(options?: ResolveConsulEndpointOptions, env?: Readonly<Record<string, string | undefined>>): ConsulEndpoint;
declare class ConsulError extends FleetError {
    name: string;
}
declare class ConsulRequestError extends ConsulError {
    name: "ConsulRequestError";
    readonly status: number;
    constructor(operation: string, status: number, detail: string, options?: FleetErrorOptions);
}
declare class LockHeldError extends ConsulError {
    name: "LockHeldError";
    readonly key: string;
    readonly holder: string;
    constructor(key: string, holder: string);
}
declare class SemaphoreFullError extends ConsulError {
    name: "SemaphoreFullError";
    readonly prefix: string;
    readonly holders: string[];
    constructor(prefix: string, limit: number, holders: string[]);
}
declare class CasConflictError extends ConsulError {
    name: "CasConflictError";
    constructor(key: string, attempts: number);
}
declare class ConsulValueError extends ConsulError {
    name: "ConsulValueError";
    constructor(key: string, reason: string);
}
interface KvEntry {
    key: string;
    value: string | null;
    flags: number;
    createIndex: number;
    modifyIndex: number;
    lockIndex: number;
    session?: string;
}
interface ReadKeyOptions {
    dc?: string;
    index?: number;
    waitMs?: number;
    signal?: AbortSignal;
}
interface KeyRead {
    entry: KvEntry | undefined;
    index: number;
}
declare function readKey(consul: ConsulClient, key: string, options?: ReadKeyOptions): Promise<KeyRead>;
declare function readPrefix(consul: ConsulClient, prefix: string, options?: ReadKeyOptions): Promise<{
    entries: KvEntry[];
    index: number;
}>;
interface WriteKeyOptions {
    dc?: string;
    cas?: number;
    acquire?: string;
    release?: string;
    flags?: number;
}
declare function writeKey(consul: ConsulClient, key: string, value: string, options?: WriteKeyOptions): Promise<boolean>;
declare function deleteKey(consul: ConsulClient, key: string, options?: {
    dc?: string;
    cas?: number;
    recurse?: boolean;
}): Promise<boolean>;
interface JsonValue<T> {
    value: T;
    modifyIndex: number;
}
interface ReadJsonOptions<T> {
    dc?: string;
    validate?: (value: unknown) => T;
}
declare function readJson<T = unknown>(consul: ConsulClient, key: string, options?: ReadJsonOptions<T>): Promise<JsonValue<T> | undefined>;
declare function writeJson(consul: ConsulClient, key: string, value: unknown, options?: WriteKeyOptions): Promise<boolean>;
interface CasJsonOptions<T> extends ReadJsonOptions<T> {
    attempts?: number;
}
declare function casJson<T>(consul: ConsulClient, key: string, update: (current: T | undefined) => T | undefined | Promise<T | undefined>, options?: CasJsonOptions<T>): Promise<{
    value: T | undefined;
    changed: boolean;
}>;
interface WatchKeyOptions {
    signal: AbortSignal;
    onChange: (entry: KvEntry | undefined, index: number) => void | Promise<void>;
    onError?: (error: ConsulError, attempt: number) => void;
    dc?: string;
    waitMs?: number;
    backoff?: BackoffOptions;
}
declare function watchKey(consul: ConsulClient, key: string, options: WatchKeyOptions): Promise<void>;
interface HaltState {
    key: string;
    reason: string;
    index: number;
}
interface WatchHaltOptions {
    signal?: AbortSignal;
    onHalt?: (state: HaltState) => void;
    onError?: (error: ConsulError, attempt: number) => void;
    dc?: string;
    backoff?: BackoffOptions;
}
interface HaltWatch {
    readonly halted: Promise<HaltState | undefined>;
    current(): HaltState | undefined;
    stop(): void;
}
declare function parseHalt(entry: KvEntry | undefined): HaltState | undefined;
declare function watchHalt(consul: ConsulClient, key: string, options?: WatchHaltOptions): HaltWatch;
declare function setHalt(consul: ConsulClient, key: string, reason: string, by?: string): Promise<void>;
declare function clearHalt(consul: ConsulClient, key: string): Promise<void>;
interface Lease {
    readonly key: string;
    readonly holder: string;
    readonly sessionId: string;
    readonly lost: boolean;
    readonly signal: AbortSignal;
    onLost(listener: (reason: string) => void): () => void;
    release(): Promise<void>;
}
type Lock = Lease;
interface LockOptions {
    key: string;
    holder: string;
    ttl?: string | number;
    lockDelay?: string;
    waitMs?: number;
    signal?: AbortSignal;
    logger?: Logger;
}
declare function acquireLock(consul: ConsulClient, options: LockOptions): Promise<Lock>;
interface SemaphoreOptions {
    prefix: string;
    limit: number;
    ttl?: string | number;
    logger?: Logger;
}
interface SemaphoreAcquireOptions {
    holder: string;
    waitMs?: number;
    signal?: AbortSignal;
}
interface Semaphore {
    readonly prefix: string;
    readonly limit: number;
    acquire(options: SemaphoreAcquireOptions): Promise<Lease>;
    holders(): Promise<string[]>;
}
declare function createSemaphore(consul: ConsulClient, options: SemaphoreOptions): Semaphore;
type CheckStatus = 'passing' | 'warning' | 'critical' | 'maintenance';
interface CatalogCheck {
    id: string;
    name: string;
    status: CheckStatus;
    serviceId: string;
    serviceName: string;
    output: string;
}
interface CatalogServiceInstance {
    id: string;
    name: string;
    tags: string[];
    address: string;
    port: number;
}
interface CatalogNodeInfo {
    name: string;
    address: string;
    taggedAddresses: Record<string, string>;
    meta: Record<string, string>;
    services: CatalogServiceInstance[];
    checks: CatalogCheck[];
}
interface CatalogSnapshot {
    datacenter: string;
    nodes: CatalogNodeInfo[];
}
declare function readCatalog(consul: ConsulClient, dc?: string): Promise<CatalogSnapshot>;
declare function listDatacenters(consul: ConsulClient): Promise<string[]>;
interface ExpectedNode {
    name: string;
    datacenter: string;
    addresses: readonly string[];
}
interface DriftDatacenter {
    name: string;
    consul: ConsulClient;
    dc?: string;
}
interface CompareWithConsulOptions {
    expected: readonly ExpectedNode[];
    datacenters: readonly DriftDatacenter[];
    ignore?: ReadonlyArray<string | RegExp>;
}
type DriftFinding = {
    kind: 'absent';
    node: string;
    datacenter: string;
    expectedAddresses: string[];
} | {
    kind: 'unknown';
    node: string;
    datacenter: string;
    address: string;
} | {
    kind: 'address-mismatch';
    node: string;
    datacenter: string;
    expectedAddresses: string[];
    actualAddress: string;
} | {
    kind: 'failing-checks';
    node: string;
    datacenter: string;
    checks: CatalogCheck[];
} | {
    kind: 'wrong-datacenter';
    node: string;
    datacenter: string;
    expectedDatacenter: string;
} | {
    kind: 'datacenter-unreachable';
    node: '';
    datacenter: string;
    error: string;
};
type DriftKind = DriftFinding['kind'];
declare const DRIFT_KINDS: readonly DriftKind[];
interface DriftDatacenterResult {
    name: string;
    reachable: boolean;
    nodes: number;
    error?: string;
}
interface DriftReport {
    checkedAt: string;
    datacenters: DriftDatacenterResult[];
    findings: DriftFinding[];
    counts: Record<DriftKind, number>;
    matching: number;
    ok: boolean;
}
declare function compareWithConsul(options: CompareWithConsulOptions): Promise<DriftReport>;
declare function formatDriftFindings(findings: readonly DriftFinding[]): string;
declare function formatDriftTable(report: DriftReport): string;
interface MachineDbNodeSource {
    iterateNodes(query: {
        limit?: number;
    }): AsyncIterable<Node>;
}
interface MachineDbDriftOptions {
    source: MachineDbNodeSource | Iterable<Node> | AsyncIterable<Node>;
    datacenters: CompareWithConsulOptions['datacenters'];
    datacenterOf?: (node: Node) => string | undefined;
    states?: readonly NodeState[];
    ignore?: CompareWithConsulOptions['ignore'];
}
declare function expectedFromNodes(nodes: Iterable<Node>, options?: Pick<MachineDbDriftOptions, 'datacenterOf' | 'states'>): ExpectedNode[];
declare function compareMachineDbWithConsul(options: MachineDbDriftOptions): Promise<DriftReport>;
export { CasConflictError, type CasJsonOptions, type CatalogCheck, type CatalogNodeInfo, type CatalogServiceInstance, type CatalogSnapshot, type CheckStatus, type CompareWithConsulOptions, type ConsulAddress, type ConsulClient, type ConsulEndpoint, ConsulError, type ConsulOptions, ConsulRequestError, ConsulValueError, DEFAULT_CONSUL_HTTP_ADDR, DRIFT_KINDS, type DriftDatacenter, type DriftDatacenterResult, type DriftFinding, type DriftKind, type DriftReport, type ExpectedNode, type HaltState, type HaltWatch, type JsonValue, type KeyRead, type KvEntry, type Lease, type Lock, LockHeldError, type LockOptions, type MachineDbDriftOptions, type MachineDbNodeSource, type ParseConsulAddressOptions, type ReadJsonOptions, type ReadKeyOptions, type ResolveConsulEndpointOptions, type ResolvedConsulOptions, type Semaphore, type SemaphoreAcquireOptions, SemaphoreFullError, type SemaphoreOptions, type WatchHaltOptions, type WatchKeyOptions, type WriteKeyOptions, acquireLock, casJson, clearHalt, closeConsul, compareMachineDbWithConsul, compareWithConsul, createConsul, createSemaphore, deleteKey, expectedFromNodes, formatDriftFindings, formatDriftTable, listDatacenters, parseConsulAddress, parseHalt, readCatalog, readJson, readKey, readPrefix, resolveConsulEndpoint, resolveConsulOptions, setHalt, watchHalt, watchKey, writeJson, writeKey };
