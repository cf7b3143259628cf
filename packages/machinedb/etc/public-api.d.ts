import { AddressAssignment, Location, MachineDbErrorCode, NodeState, NodeEventType, BootTarget, SystemDiskHint, Inventory, HistoryEntry, Principal, Actor, InventoryResponse, NodeDetail, NodeConfig, BmcCredentials, NodeEvent, NodeEventResponse, BootTargetResponse, NodeListQuery, Page, Node, NodeUpdate, TransitionRequest, PageQuery, AnsibleExportQuery, AnsibleInventory, LoginResponse, CreateTokenRequest, IssuedToken, TokenInfo, CreateUserRequest, User } from '@fleet/machinedb-contract';
import { FleetError, FleetErrorOptions, Logger, ConnectionFault } from '@fleet/core';
import { FastifyInstance } from 'fastify';
import { Ipam } from '@fleet/ipam';
type AddressPurpose = AddressAssignment['purpose'];
interface AddressRequest {
    nodeId: string;
    purpose: AddressPurpose;
    hostname: string | null;
    location: Location | null;
}
interface AddressAllocator {
    allocate(request: AddressRequest): Promise<AddressAssignment>;
    release(nodeId: string, purpose: AddressPurpose): Promise<void>;
}
interface MemoryPool {
    cidr: string;
    gateway?: string;
}
declare function createMemoryAllocator(pools: Partial<Record<AddressPurpose, MemoryPool>>): AddressAllocator;
declare class MachineDbServerError extends FleetError {
    name: string;
    readonly code: MachineDbErrorCode;
    readonly status: number;
    constructor(code: MachineDbErrorCode, message: string, options?: FleetErrorOptions);
}
declare const MachineDbError: typeof MachineDbServerError;
type MachineDbError = MachineDbServerError;
declare function httpStatusOfError(error: unknown): number;
declare class IllegalTransitionError extends MachineDbServerError {
    name: "IllegalTransitionError";
    constructor(nodeId: string, from: NodeState, to: NodeState, allowed: readonly NodeState[]);
}
declare class NodeNotFoundError extends MachineDbServerError {
    name: "NodeNotFoundError";
    constructor(nodeId: string);
}
declare class PreconditionFailedError extends MachineDbServerError {
    name: "PreconditionFailedError";
    constructor(nodeId: string, expected: number, current: number);
}
declare class AuthError extends MachineDbServerError {
    name: "AuthError";
}
declare class StoreConflictError extends MachineDbServerError {
    name: "StoreConflictError";
    constructor(what: string, key: string);
}
interface LdapOptions {
    url: string;
    usersDn: string;
    userAttribute?: string;
    groupsDn: string;
    adminGroup: string;
    viewerGroup: string;
    operatorGroup?: string;
    bindDn?: string;
    bindPassword?: string;
    timeoutMs?: number;
}
type LdapResult = {
    ok: true;
    role: 'admin' | 'operator' | 'viewer';
    userDn: string;
} | {
    ok: false;
    reason: 'bad-credentials' | 'no-group';
};
declare function ldapAuthenticate(options: LdapOptions, username: string, password: string): Promise<LdapResult>;
declare const TRANSITIONS: Readonly<Record<NodeState, readonly NodeState[]>>;
declare function allowedTransitions(from: NodeState): readonly NodeState[];
declare function canTransition(from: NodeState, to: NodeState): boolean;
declare function assertTransition(nodeId: string, from: NodeState, to: NodeState): void;
declare function nextBootTarget(state: NodeState): BootTarget;
declare const EVENT_TRANSITIONS: Readonly<Record<NodeEventType, {
    to: NodeState;
    from: readonly NodeState[];
}>>;
type StateTimeouts = Partial<Record<NodeState, number>>;
declare const DEFAULT_STATE_TIMEOUTS: StateTimeouts;
declare function timeoutReason(state: NodeState, since: Date, now: Date, timeouts: StateTimeouts): string | null;
interface LoginLimiterOptions {
    freeFailures?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    forgetAfterMs?: number;
    maxKeys?: number;
    now?: () => number;
}
declare class LoginLimiter {
    private readonly entries;
    private readonly free;
    private readonly base;
    private readonly max;
    private readonly forget;
    private readonly maxKeys;
    private readonly now;
    constructor(options?: LoginLimiterOptions);
    check(keys: readonly string[]): void;
    failed(keys: readonly string[]): void;
    succeeded(key: string): void;
}
interface NodeRecord {
    id: string;
    identityKey: string;
    systemUuid: string;
    serial: string | null;
    macs: string[];
    hostname: string | null;
    fqdn: string | null;
    cluster: string | null;
    roles: string[];
    groups: string[];
    tags: string[];
    asn: number | null;
    location: Location | null;
    systemDisk: SystemDiskHint | null;
    bmc: {
        address: string | null;
        user: string;
        passwordSealed: string | null;
        handedOutAt?: string | null;
    } | null;
    addresses: AddressAssignment[];
    state: NodeState;
    stateReason: string | null;
    stateSince: string;
    createdAt: string;
    updatedAt: string;
    inventoriedAt: string | null;
    version: number;
    nodeTokenHash: string | null;
    identityResetAt?: string | null;
}
type NewHistoryEntry = Omit<HistoryEntry, 'seq'>;
interface NodeFilter {
    state?: NodeState | undefined;
    states?: readonly NodeState[] | undefined;
    site?: string | undefined;
    rack?: string | undefined;
    group?: string | undefined;
    role?: string | undefined;
    tag?: string | undefined;
    cluster?: string | undefined;
    mac?: string | undefined;
    q?: string | undefined;
    updatedSince?: string | undefined;
}
interface UserRecord {
    username: string;
    role: 'admin' | 'operator' | 'viewer';
    passwordHash: string;
    createdAt: string;
}
interface TokenRecord {
    id: string;
    kind: 'api' | 'session';
    name: string;
    role: 'admin' | 'operator' | 'viewer';
    username: string;
    source: 'local' | 'ldap' | 'token';
    hash: string;
    createdAt: string;
    expiresAt: string | null;
}
interface Store {
    readonly kind: 'sqlite' | 'postgres';
    migrate(): Promise<void>;
    getNode(id: string): Promise<NodeRecord | null>;
    getInventory(id: string): Promise<Inventory | null>;
    findByIdentityKey(key: string): Promise<NodeRecord | null>;
    findByMacs(macs: readonly string[]): Promise<NodeRecord[]>;
    findBySerial?(serial: string): Promise<NodeRecord[]>;
    findIdentityOwners?(identityKey: string, macs: readonly string[], serial: string | null): Promise<{
        byIdentity: NodeRecord | null;
        byMacs: NodeRecord[];
        bySerial: NodeRecord[];
    }>;
    findBootNode(mac: string): Promise<NodeRecord | null>;
    insertNode(record: NodeRecord, inventory: Inventory | null, history: NewHistoryEntry): Promise<void>;
    updateNode(record: NodeRecord, expectedVersion: number, inventory: Inventory | undefined, history: NewHistoryEntry): Promise<boolean>;
    listNodes(filter: NodeFilter, afterId: string | null, limit: number): Promise<NodeRecord[]>;
    listHistory(nodeId: string | null, beforeSeq: number | null, limit: number): Promise<HistoryEntry[]>;
    countHistory(nodeId: string): Promise<number>;
    nodesMark(): Promise<string>;
    countNodesByState?(): Promise<{
        mark: string;
        counts: Record<string, number>;
    }>;
    createUser(user: UserRecord): Promise<void>;
    getUser(username: string): Promise<UserRecord | null>;
    listUsers(afterUsername: string | null, limit: number): Promise<UserRecord[]>;
    deleteUser(username: string): Promise<boolean>;
    createToken(token: TokenRecord): Promise<void>;
    getToken(id: string): Promise<TokenRecord | null>;
    listTokens(kind: TokenRecord['kind'], afterId: string | null, limit: number): Promise<TokenRecord[]>;
    deleteToken(id: string): Promise<boolean>;
    close(): Promise<void>;
}
interface MachineDbOptions {
    store: Store;
    serverKey: Buffer | string;
    allocator: AddressAllocator;
    addressPurposes?: AddressPurpose[];
    localUsers?: boolean;
    ldap?: LdapOptions;
    provisioningSecret?: string;
    requireAcceptance?: boolean;
    bmcUser?: string;
    bmcChannel?: number;
    bmcUserId?: number;
    stateTimeouts?: StateTimeouts;
    sessionTtlSeconds?: number;
    loginLimiter?: LoginLimiter | LoginLimiterOptions;
    checkLocation?: LocationCheck;
    logger?: Logger;
    now?: () => Date;
}
type LocationCheck = (location: Location, roles: readonly string[]) => void | Promise<void>;
interface ResolvedMachineDbOptions {
    store: Store;
    serverKey: Buffer;
    allocator: AddressAllocator;
    addressPurposes: AddressPurpose[];
    localUsers: boolean;
    ldap: LdapOptions | null;
    provisioningSecret: string | null;
    requireAcceptance: boolean;
    bmcUser: string;
    bmcChannel: number;
    bmcUserId: number;
    stateTimeouts: StateTimeouts;
    sessionTtlSeconds: number;
    checkLocation: LocationCheck | null;
    logger: Logger;
    now: () => Date;
}
declare function resolveMachineDbOptions(options: MachineDbOptions): ResolvedMachineDbOptions;
type Caller = {
    kind: 'user';
    principal: Principal;
    actor: Actor;
} | {
    kind: 'node';
    principal: Principal;
    actor: Actor;
    nodeId: string;
    record: NodeRecord;
} | {
    kind: 'enrol';
};
declare function nodeView(record: NodeRecord): Node;
interface AnsibleExportBody {
    json: Buffer;
    gzip: Buffer;
    etag: string;
}
declare class MachineDb {
    readonly options: ResolvedMachineDbOptions;
    readonly store: Store;
    private readonly key;
    readonly loginLimiter: LoginLimiter;
    private dummyHash;
    private readonly exportCache;
    private readonly verified;
    private readonly stateCounts;
    constructor(options: MachineDbOptions);
    nodeCountsByState(): Promise<Record<string, number>>;
    private nowIso;
    private load;
    private writeNode;
    private mutate;
    private prepareForBmc;
    private readyForBmc;
    submitInventory(input: Inventory, caller: Caller): Promise<InventoryResponse>;
    private assertNoOtherOwner;
    resetIdentity(nodeId: string, reason: string, actor: Actor): Promise<NodeDetail>;
    private normaliseInventory;
    getNodeConfig(nodeId: string, preloaded?: NodeRecord): Promise<NodeConfig>;
    readBmcCredentials(nodeId: string, actor: Actor): Promise<BmcCredentials>;
    reportEvent(nodeId: string, event: NodeEvent, actor: Actor): Promise<NodeEventResponse>;
    bootTarget(mac: string): Promise<BootTargetResponse>;
    getNode(nodeId: string): Promise<NodeDetail>;
    listNodes(query: NodeListQuery): Promise<Page<Node>>;
    updateNode(nodeId: string, update: NodeUpdate, ifMatch: number | null, actor: Actor): Promise<NodeDetail>;
    private checkLocation;
    transitionNode(nodeId: string, request: TransitionRequest, ifMatch: number | null, actor: Actor): Promise<NodeDetail>;
    private releaseAddresses;
    listHistory(nodeId: string | null, query: PageQuery): Promise<Page<HistoryEntry>>;
    sweepTimeouts(): Promise<string[]>;
    exportAnsibleJson(query?: AnsibleExportQuery): Promise<AnsibleExportBody>;
    exportAnsible(query?: AnsibleExportQuery): Promise<AnsibleInventory>;
    private installSecret;
    issueInstallToken(nodeId: string): Promise<string>;
    authenticate(header: string | undefined, source?: string): Promise<Caller | null>;
    checkPassword(username: string, password: string, source?: string): Promise<Principal>;
    private verifyCredentials;
    login(username: string, password: string, source?: string): Promise<LoginResponse>;
    private issueToken;
    createToken(request: CreateTokenRequest, actor: Actor): Promise<IssuedToken>;
    listTokens(query: PageQuery): Promise<Page<TokenInfo>>;
    revokeToken(id: string): Promise<{
        deleted: boolean;
    }>;
    createUser(request: CreateUserRequest): Promise<User>;
    listUsers(query: PageQuery): Promise<Page<User>>;
    deleteUser(username: string): Promise<{
        deleted: boolean;
    }>;
    ensureUser(request: CreateUserRequest): Promise<boolean>;
    close(): Promise<void>;
}
declare function createMachineDb(options: MachineDbOptions): Promise<MachineDb>;
interface MachineDbRoutesOptions {
    machineDb: MachineDb;
    bodyLimit?: number;
    sweepIntervalMs?: number;
}
declare const DATABASE_RETRY_AFTER_SECONDS = 2;
declare function errorBody(error: unknown): {
    status: number;
    body: {
        code: string;
        message: string;
        details: Record<string, unknown>;
    };
};
declare function machineDbRoutes(app: FastifyInstance, options: MachineDbRoutesOptions): Promise<void>;
interface MachineDbAppOptions extends MachineDbOptions {
    bodyLimit?: number;
    sweepIntervalMs?: number;
}
interface MachineDbApp {
    app: FastifyInstance;
    machineDb: MachineDb;
    close(): Promise<void>;
}
declare function createMachineDbApp(options: MachineDbAppOptions): Promise<MachineDbApp>;
interface IpamAllocatorOptions {
    ipam: Ipam;
    pools: Partial<Record<AddressPurpose, string>>;
    gateways?: Partial<Record<AddressPurpose, string | null | 'first'>>;
}
declare function createIpamAllocator(options: IpamAllocatorOptions): AddressAllocator;
declare function buildOpenApiDocument(info?: {
    title?: string;
    version?: string;
}): Record<string, unknown>;
declare function parseServerKey(key: Buffer | string): Buffer;
declare function generateBmcPassword(length?: number): string;
interface NodeChange {
    ids: readonly string[];
    macs: readonly string[];
    users?: readonly string[] | undefined;
    tokens?: readonly string[] | undefined;
}
interface NodeChangeFeed {
    readonly live: boolean;
    subscribe(listener: (change: NodeChange | 'reset') => void): () => void;
    close(): Promise<void>;
}
declare function createLocalNodeChangeFeed(): NodeChangeFeed;
interface CachedStoreOptions {
    feed?: NodeChangeFeed;
    maxEntries?: number;
}
interface CachedStore extends Store {
    readonly cacheStats: {
        hits: number;
        misses: number;
    };
}
declare function createCachedStore(inner: Store, options?: CachedStoreOptions): CachedStore;
type StoreConfig = {
    kind: 'sqlite';
    path: string;
} | {
    kind: 'postgres';
    url: string;
    maxConnections?: number;
};
declare function openStore(config: StoreConfig): Store;
interface PostgresStoreOptions {
    url: string;
    maxConnections?: number;
    logger?: Logger;
    onConnectionError?: (fault: ConnectionFault) => void;
}
declare function createPostgresStore(options: PostgresStoreOptions): Store;
interface PostgresNodeChangeFeedOptions {
    url: string;
    logger?: Logger;
    onConnectionError?: (fault: ConnectionFault) => void;
    maxReconnectMs?: number;
}
declare function createPostgresNodeChangeFeed(options: PostgresNodeChangeFeedOptions): Promise<NodeChangeFeed>;
interface SqliteStoreOptions {
    path: string;
}
declare function createSqliteStore(options: SqliteStoreOptions): Store;
export { type AddressAllocator, type AddressPurpose, type AddressRequest, type AnsibleExportBody, AuthError, type CachedStore, type CachedStoreOptions, type Caller, DATABASE_RETRY_AFTER_SECONDS, DEFAULT_STATE_TIMEOUTS, EVENT_TRANSITIONS, IllegalTransitionError, type IpamAllocatorOptions, type LdapOptions, type LdapResult, type LocationCheck, LoginLimiter, type LoginLimiterOptions, MachineDb, type MachineDbApp, type MachineDbAppOptions, MachineDbError, type MachineDbOptions, type MachineDbRoutesOptions, MachineDbServerError, type MemoryPool, type NewHistoryEntry, type NodeChange, type NodeChangeFeed, type NodeFilter, NodeNotFoundError, type NodeRecord, type PostgresNodeChangeFeedOptions, type PostgresStoreOptions, PreconditionFailedError, type ResolvedMachineDbOptions, type SqliteStoreOptions, type StateTimeouts, type Store, type StoreConfig, StoreConflictError, TRANSITIONS, type TokenRecord, type UserRecord, allowedTransitions, assertTransition, buildOpenApiDocument, canTransition, createCachedStore, createIpamAllocator, createLocalNodeChangeFeed, createMachineDb, createMachineDbApp, createMemoryAllocator, createPostgresNodeChangeFeed, createPostgresStore, createSqliteStore, errorBody, generateBmcPassword, httpStatusOfError, ldapAuthenticate, machineDbRoutes, nextBootTarget, nodeView, openStore, parseServerKey, resolveMachineDbOptions, timeoutReason };
