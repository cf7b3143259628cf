import { FleetError, FleetErrorOptions, Logger, ConnectionFault } from '@fleet/core';
import pg from 'pg';
import * as _sinclair_typebox from '@sinclair/typebox';
import { Static, TSchema } from '@sinclair/typebox';
import { Dispatcher } from 'undici';
type Family = 4 | 6;
interface Range {
    family: Family;
    start: bigint;
    end: bigint;
    length: number;
}
declare function parseAddress(text: unknown, field?: string): {
    family: Family;
    value: bigint;
};
declare function parsePrefix(text: unknown, field?: string, allowBare?: boolean): Range;
declare function formatAddress(family: Family, value: bigint): string;
declare function formatPrefix(range: Range): string;
type IpamErrorCode = 'IPAM_INVALID_PREFIX' | 'IPAM_INVALID_ADDRESS' | 'IPAM_HOST_BITS_SET' | 'IPAM_FAMILY_MISMATCH' | 'IPAM_OVERLAP' | 'IPAM_PARENT_MISSING' | 'IPAM_KIND_MISMATCH' | 'IPAM_EXHAUSTED' | 'IPAM_HAS_CHILDREN' | 'IPAM_NOT_FOUND' | 'IPAM_DUPLICATE' | 'IPAM_INVALID_INPUT' | 'IPAM_IMPORT_INVALID' | 'IPAM_STORE_FAILED';
interface ImportRowError {
    row: number;
    code: IpamErrorCode;
    message: string;
}
declare class IpamError extends FleetError {
    name: "IpamError";
    readonly code: IpamErrorCode;
    constructor(code: IpamErrorCode, message: string, options?: FleetErrorOptions);
}
declare class IpamImportError extends IpamError {
    name: "IpamError";
    readonly rows: ImportRowError[];
    constructor(rows: ImportRowError[]);
}
declare function isIpamError(value: unknown, code?: IpamErrorCode): value is IpamError;
type PrefixKind = 'reservation' | 'assignment' | 'host';
type PrefixStatus = 'active' | 'reserved' | 'deprecated' | 'quarantine';
declare const PREFIX_KINDS: readonly PrefixKind[];
declare const PREFIX_STATUSES: readonly PrefixStatus[];
interface Prefix {
    id: number;
    vrf: string;
    prefix: string;
    family: Family;
    length: number;
    kind: PrefixKind;
    parentId: number | null;
    description: string;
    function: string;
    status: PrefixStatus;
    tags: string[];
    node: string | null;
    expiresAt: string | null;
    pool: string | null;
    createdAt: string;
    createdBy: string;
    updatedAt: string;
    updatedBy: string;
}
interface Vrf {
    name: string;
    rd: string | null;
    description: string;
    createdAt: string;
}
interface KeepFree {
    network: boolean;
    broadcast: boolean;
    gateways: number;
}
interface Pool {
    name: string;
    vrf: string;
    description: string;
    defaultLength: {
        v4: number | null;
        v6: number | null;
    };
    keepFree: KeepFree;
    createdAt: string;
    updatedAt: string;
}
type HistoryAction = 'add' | 'edit' | 'remove' | 'allocate' | 'release' | 'import' | 'vrf.add' | 'vrf.remove' | 'pool.add' | 'pool.edit' | 'pool.remove';
interface HistoryEntry {
    id: number;
    at: string;
    actor: string;
    action: HistoryAction;
    vrf: string | null;
    subject: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
}
interface Usage {
    prefix: string;
    vrf: string;
    total: string;
    used: string;
    free: string;
    children: number;
    utilisation: number;
}
interface PoolUsage {
    pool: string;
    v4: {
        total: string;
        used: string;
        free: string;
        prefixes: number;
    };
    v6: {
        total: string;
        used: string;
        free: string;
        prefixes: number;
    };
}
interface PrefixRow {
    id: number;
    vrf: string;
    family: Family;
    start: bigint;
    end: bigint;
    length: number;
    kind: PrefixKind;
    parentId: number;
    description: string;
    function: string;
    status: PrefixStatus;
    tags: string[];
    node: string | null;
    expiresAt: string | null;
    pool: string | null;
    createdAt: string;
    createdBy: string;
    updatedAt: string;
    updatedBy: string;
    usedSize: bigint;
    childCount: number;
    hintFrom: bigint;
    hintTo: bigint;
}
type NewPrefixRow = Omit<PrefixRow, 'id'>;
type PrefixRowPatch = Partial<Pick<PrefixRow, 'parentId' | 'description' | 'function' | 'status' | 'tags' | 'node' | 'expiresAt' | 'pool' | 'updatedAt' | 'updatedBy' | 'usedSize' | 'childCount' | 'hintFrom' | 'hintTo'>>;
interface PrefixSearch {
    vrf?: string;
    family?: Family;
    kind?: PrefixKind;
    status?: PrefixStatus;
    tag?: string;
    function?: string;
    description?: string;
    node?: string;
    pool?: string;
    expiresBefore?: string;
    limit?: number;
}
type StoreOp =
{
    op: 'lock';
    vrf: string;
} | {
    op: 'getVrf';
    name: string;
} | {
    op: 'listVrfs';
} | {
    op: 'insertVrf';
    vrf: Vrf;
} | {
    op: 'deleteVrf';
    name: string;
} | {
    op: 'getPool';
    name: string;
} | {
    op: 'listPools';
} | {
    op: 'insertPool';
    pool: Pool;
} | {
    op: 'updatePool';
    pool: Pool;
} | {
    op: 'deletePool';
    name: string;
} | {
    op: 'getPrefix';
    id: number;
} | {
    op: 'findPrefix';
    vrf: string;
    family: Family;
    start: bigint;
    length: number;
}
 | {
    op: 'childAtOrBefore';
    vrf: string;
    parentId: number;
    family: Family;
    at: bigint;
}
 | {
    op: 'childrenFrom';
    vrf: string;
    parentId: number;
    family: Family;
    from: bigint;
    limit: number;
}
 | {
    op: 'childrenWithin';
    vrf: string;
    parentId: number;
    family: Family;
    start: bigint;
    end: bigint;
} | {
    op: 'insertPrefix';
    row: NewPrefixRow;
} | {
    op: 'updatePrefix';
    id: number;
    patch: PrefixRowPatch;
} | {
    op: 'reparent';
    ids: number[];
    parentId: number;
}
 | {
    op: 'deleteSubtree';
    id: number;
} | {
    op: 'search';
    query: PrefixSearch;
}
 | {
    op: 'poolPrefixes';
    pool: string;
    family: Family | null;
}
 | {
    op: 'allPrefixes';
} | {
    op: 'insertHistory';
    entry: Omit<HistoryEntry, 'id'>;
} | {
    op: 'listHistory';
    vrf?: string;
    subject?: string;
    limit: number;
};
interface StoreOpResults {
    lock: undefined;
    getVrf: Vrf | null;
    listVrfs: Vrf[];
    insertVrf: undefined;
    deleteVrf: undefined;
    getPool: Pool | null;
    listPools: Pool[];
    insertPool: undefined;
    updatePool: undefined;
    deletePool: undefined;
    getPrefix: PrefixRow | null;
    findPrefix: PrefixRow | null;
    childAtOrBefore: PrefixRow | null;
    childrenFrom: PrefixRow[];
    childrenWithin: PrefixRow[];
    insertPrefix: number;
    updatePrefix: undefined;
    reparent: undefined;
    deleteSubtree: number;
    search: PrefixRow[];
    poolPrefixes: PrefixRow[];
    allPrefixes: PrefixRow[];
    insertHistory: undefined;
    listHistory: HistoryEntry[];
}
type StoreProgram<T> = Generator<StoreOp, T, unknown>;
interface RunOptions {
    write: boolean;
}
interface Store {
    readonly kind: 'memory' | 'sqlite' | 'postgres';
    run<T>(program: () => StoreProgram<T>, options: RunOptions): Promise<T>;
    close(): Promise<void>;
}
declare function call<O extends StoreOp>(op: O): Generator<StoreOp, StoreOpResults[O['op']], unknown>;
interface PlanPrefix {
    vrf?: string;
    prefix: string;
    kind: PrefixKind;
    status?: string;
    description?: string;
    function?: string;
    tags?: string[];
    node?: string | null;
    expiresAt?: string | null;
    pool?: string | null;
}
interface PlanVrf {
    name: string;
    rd?: string | null;
    description?: string;
}
interface PlanPool {
    name: string;
    vrf?: string;
    description?: string;
    defaultLength?: {
        v4?: number | null;
        v6?: number | null;
    };
    keepFree?: Partial<KeepFree>;
}
interface PlanDocument {
    format: 'fleet-ipam';
    version: 1;
    vrfs: PlanVrf[];
    pools: PlanPool[];
    prefixes: PlanPrefix[];
}
interface ImportOptions {
    format: 'json' | 'csv';
    onExisting?: 'error' | 'update';
}
interface ImportResult {
    added: number;
    updated: number;
    vrfsAdded: number;
    poolsAdded: number;
}
declare const CSV_COLUMNS: readonly ["vrf", "prefix", "kind", "status", "description", "function", "tags", "node", "expires_at", "pool"];
type PrefixRef = number | string | {
    vrf?: string;
    prefix: string;
};
interface PrefixFields {
    description?: string;
    function?: string;
    status?: PrefixStatus;
    tags?: string[];
    node?: string | null;
    expiresAt?: string | null;
    pool?: string | null;
}
interface AddPrefixInput extends PrefixFields {
    prefix: string;
    kind: PrefixKind;
    vrf?: string;
    parent?: PrefixRef;
}
interface AllocationSource {
    from?: PrefixRef;
    pool?: string;
    family?: Family;
}
type AllocationFields = Omit<PrefixFields, 'pool'>;
interface AllocateAddressInput extends AllocationSource, AllocationFields {
    keepFree?: Partial<KeepFree>;
}
interface AllocatePrefixInput extends AllocationSource, AllocationFields {
    length?: number;
    kind?: 'assignment' | 'reservation';
}
type AllocateTransferNetInput = AllocationSource & AllocationFields;
interface NextFreeAddressInput extends AllocationSource {
    keepFree?: Partial<KeepFree>;
}
interface NextFreePrefixInput extends AllocationSource {
    length?: number;
}
interface NextFree {
    prefix: string;
    address: string;
    parent: Prefix;
}
interface TransferNet {
    net: Prefix;
    a: string;
    b: string;
}
interface AddVrfInput {
    name: string;
    rd?: string | null;
    description?: string;
}
interface AddPoolInput {
    name: string;
    vrf?: string;
    description?: string;
    defaultLength?: {
        v4?: number | null;
        v6?: number | null;
    };
    keepFree?: Partial<KeepFree>;
}
type EditPoolInput = Omit<AddPoolInput, 'name' | 'vrf'>;
interface ListChildrenOptions {
    vrf?: string;
    family?: Family;
    limit?: number;
}
interface HistoryQuery {
    vrf?: string;
    subject?: string;
    limit?: number;
}
interface IpamOptions {
    store: Store;
    actor?: string;
    keepFree?: Partial<KeepFree>;
    now?: () => Date;
}
interface ResolvedIpamOptions {
    store: Store;
    actor: string;
    keepFree: KeepFree;
    now: () => Date;
}
declare const DEFAULT_KEEP_FREE: KeepFree;
declare function resolveIpamOptions(options: IpamOptions): ResolvedIpamOptions;
interface Ipam {
    readonly store: Store;
    withActor(actor: string): Ipam;
    addVrf(input: AddVrfInput): Promise<Vrf>;
    listVrfs(): Promise<Vrf[]>;
    removeVrf(name: string): Promise<void>;
    addPool(input: AddPoolInput): Promise<Pool>;
    editPool(name: string, patch: EditPoolInput): Promise<Pool>;
    getPool(name: string): Promise<Pool>;
    listPools(): Promise<Pool[]>;
    removePool(name: string): Promise<void>;
    addPrefix(input: AddPrefixInput): Promise<Prefix>;
    editPrefix(ref: PrefixRef, patch: PrefixFields): Promise<Prefix>;
    removePrefix(ref: PrefixRef, options?: {
        recursive?: boolean;
    }): Promise<{
        removed: number;
    }>;
    getPrefix(ref: PrefixRef): Promise<Prefix>;
    lookup(address: string, options?: {
        vrf?: string;
    }): Promise<Prefix | null>;
    listChildren(ref: PrefixRef | null, options?: ListChildrenOptions): Promise<Prefix[]>;
    search(query: PrefixSearch): Promise<Prefix[]>;
    allocateAddress(input: AllocateAddressInput): Promise<Prefix>;
    allocateAddresses(input: AllocateAddressInput & {
        count: number;
    }): Promise<Prefix[]>;
    allocatePrefix(input: AllocatePrefixInput): Promise<Prefix>;
    allocatePrefixes(input: AllocatePrefixInput & {
        count: number;
    }): Promise<Prefix[]>;
    allocateTransferNet(input: AllocateTransferNetInput): Promise<TransferNet>;
    nextFreeAddress(input: NextFreeAddressInput): Promise<NextFree | null>;
    nextFreePrefix(input: NextFreePrefixInput): Promise<NextFree | null>;
    release(ref: PrefixRef, options?: {
        recursive?: boolean;
    }): Promise<{
        released: number;
    }>;
    releaseExpired(options?: {
        now?: Date;
    }): Promise<Prefix[]>;
    usage(ref: PrefixRef): Promise<Usage>;
    poolUsage(name: string): Promise<PoolUsage>;
    importPlan(input: string | PlanDocument, options: ImportOptions): Promise<ImportResult>;
    exportPlan(options: {
        format: 'json' | 'csv';
    }): Promise<string>;
    exportPlanDocument(): Promise<PlanDocument>;
    history(query?: HistoryQuery): Promise<HistoryEntry[]>;
}
declare function createIpam(options: IpamOptions): Ipam;
interface FabricPools {
    loopback: string;
    transfer: string;
    loopbackV6?: string;
    transferV6?: string;
}
interface NodeFabricInput {
    node: string;
    interfaces: readonly string[];
    pools: FabricPools;
    description?: string;
}
interface NodeFabricLink {
    interface: string;
    ipv4: string;
    peerIpv4: string;
    ipv6?: string;
    peerIpv6?: string;
}
interface NodeFabric {
    loopback: {
        ipv4: string;
        ipv6?: string;
    };
    links: NodeFabricLink[];
}
declare function allocateNodeFabric(ipam: Ipam, input: NodeFabricInput): Promise<NodeFabric>;
declare function releaseNodeFabric(ipam: Ipam, node: string): Promise<Prefix[]>;
interface ServiceAddressQuery {
    pool: string;
    function: string;
}
declare function findServiceAddresses(ipam: Ipam, query: ServiceAddressQuery): Promise<string[]>;
declare function checkServiceAddressQuery(value: unknown, field: string): ServiceAddressQuery;
declare function createMemoryStore(): Store;
interface PostgresStoreOptions {
    connectionString?: string;
    pool?: pg.Pool;
    maxConnections?: number;
    logger?: Logger;
    onConnectionError?: (fault: ConnectionFault) => void;
}
interface ResolvedPostgresStoreOptions {
    connectionString: string | null;
    pool: pg.Pool | null;
    maxConnections: number;
    logger: Logger | undefined;
    onConnectionError: ((fault: ConnectionFault) => void) | undefined;
}
declare function resolvePostgresStoreOptions(options: PostgresStoreOptions): ResolvedPostgresStoreOptions;
declare function createPostgresStore(options: PostgresStoreOptions): Promise<Store>;
declare const SCHEMA_VERSION: number;
interface SqliteStoreOptions {
    path: string;
    busyTimeoutMs?: number;
}
interface ResolvedSqliteStoreOptions {
    path: string;
    busyTimeoutMs: number;
}
declare function resolveSqliteStoreOptions(options: SqliteStoreOptions): ResolvedSqliteStoreOptions;
declare function createSqliteStore(options: SqliteStoreOptions): Store;
declare const IpamListPrefixesQuerySchema: _sinclair_typebox.TObject<{
    parent: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    vrf: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    family: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"4" | "6">>;
}>;
declare const IpamSearchQuerySchema: _sinclair_typebox.TObject<{
    tag: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    function: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    description: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    node: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    pool: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
declare const IpamAddressParamsSchema: _sinclair_typebox.TObject<{
    address: _sinclair_typebox.TString;
}>;
declare const IpamPrefixIdParamsSchema: _sinclair_typebox.TObject<{
    id: _sinclair_typebox.TString;
}>;
declare const IpamAddPrefixBodySchema: _sinclair_typebox.TObject<{
    prefix: _sinclair_typebox.TString;
    kind: _sinclair_typebox.TUnsafe<"reservation" | "assignment" | "host">;
    vrf: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    description: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    function: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    status: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"active" | "reserved" | "deprecated" | "quarantine">>;
    tags: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
    node: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
    pool: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
    expiresAt: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
}>;
declare const IpamRemovePrefixQuerySchema: _sinclair_typebox.TObject<{
    recursive: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"true" | "false">>;
}>;
declare const IpamAddPoolBodySchema: _sinclair_typebox.TObject<{
    name: _sinclair_typebox.TString;
    description: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    defaultLengthV4: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    defaultLengthV6: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
}>;
declare const IpamAllocateBodySchema: _sinclair_typebox.TObject<{
    what: _sinclair_typebox.TUnsafe<"address" | "prefix" | "transfer">;
    pool: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    from: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    length: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    count: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
    family: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<4 | 6>>;
    node: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    function: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    description: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
declare const IpamNextFreeQuerySchema: _sinclair_typebox.TObject<{
    what: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"address" | "prefix">>;
    pool: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    from: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    family: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"4" | "6">>;
    length: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
declare const IpamReleaseBodySchema: _sinclair_typebox.TObject<{
    prefix: _sinclair_typebox.TString;
    vrf: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
    recursive: _sinclair_typebox.TOptional<_sinclair_typebox.TBoolean>;
}>;
declare const IpamExportQuerySchema: _sinclair_typebox.TObject<{
    format: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"json" | "csv">>;
}>;
declare const IpamImportBodySchema: _sinclair_typebox.TObject<{
    format: _sinclair_typebox.TUnsafe<"json" | "csv">;
    data: _sinclair_typebox.TString;
}>;
declare const IpamHistoryQuerySchema: _sinclair_typebox.TObject<{
    limit: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
}>;
declare const IpamErrorBodySchema: _sinclair_typebox.TObject<{
    code: _sinclair_typebox.TString;
    message: _sinclair_typebox.TString;
    details: _sinclair_typebox.TOptional<_sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>>;
}>;
declare const IpamPrefixSchema: _sinclair_typebox.TObject<{
    id: _sinclair_typebox.TInteger;
    vrf: _sinclair_typebox.TString;
    prefix: _sinclair_typebox.TString;
    family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
    length: _sinclair_typebox.TInteger;
    kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
    parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
    description: _sinclair_typebox.TString;
    function: _sinclair_typebox.TString;
    status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
    tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
    node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    createdAt: _sinclair_typebox.TString;
    createdBy: _sinclair_typebox.TString;
    updatedAt: _sinclair_typebox.TString;
    updatedBy: _sinclair_typebox.TString;
}>;
declare const IpamPoolSchema: _sinclair_typebox.TObject<{
    name: _sinclair_typebox.TString;
    vrf: _sinclair_typebox.TString;
    description: _sinclair_typebox.TString;
    defaultLength: _sinclair_typebox.TObject<{
        v4: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
        v6: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
    }>;
    keepFree: _sinclair_typebox.TObject<{
        network: _sinclair_typebox.TBoolean;
        broadcast: _sinclair_typebox.TBoolean;
        gateways: _sinclair_typebox.TInteger;
    }>;
    createdAt: _sinclair_typebox.TString;
    updatedAt: _sinclair_typebox.TString;
}>;
declare const IpamPoolWithUsageSchema: _sinclair_typebox.TIntersect<[_sinclair_typebox.TObject<{
    name: _sinclair_typebox.TString;
    vrf: _sinclair_typebox.TString;
    description: _sinclair_typebox.TString;
    defaultLength: _sinclair_typebox.TObject<{
        v4: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
        v6: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
    }>;
    keepFree: _sinclair_typebox.TObject<{
        network: _sinclair_typebox.TBoolean;
        broadcast: _sinclair_typebox.TBoolean;
        gateways: _sinclair_typebox.TInteger;
    }>;
    createdAt: _sinclair_typebox.TString;
    updatedAt: _sinclair_typebox.TString;
}>, _sinclair_typebox.TObject<{
    usage: _sinclair_typebox.TObject<{
        pool: _sinclair_typebox.TString;
        v4: _sinclair_typebox.TObject<{
            total: _sinclair_typebox.TString;
            used: _sinclair_typebox.TString;
            free: _sinclair_typebox.TString;
            prefixes: _sinclair_typebox.TInteger;
        }>;
        v6: _sinclair_typebox.TObject<{
            total: _sinclair_typebox.TString;
            used: _sinclair_typebox.TString;
            free: _sinclair_typebox.TString;
            prefixes: _sinclair_typebox.TInteger;
        }>;
    }>;
}>]>;
declare const IpamTransferNetSchema: _sinclair_typebox.TObject<{
    net: _sinclair_typebox.TObject<{
        id: _sinclair_typebox.TInteger;
        vrf: _sinclair_typebox.TString;
        prefix: _sinclair_typebox.TString;
        family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
        length: _sinclair_typebox.TInteger;
        kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
        parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
        description: _sinclair_typebox.TString;
        function: _sinclair_typebox.TString;
        status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
        tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
        node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
        createdAt: _sinclair_typebox.TString;
        createdBy: _sinclair_typebox.TString;
        updatedAt: _sinclair_typebox.TString;
        updatedBy: _sinclair_typebox.TString;
    }>;
    a: _sinclair_typebox.TString;
    b: _sinclair_typebox.TString;
}>;
declare const IpamNextFreeSchema: _sinclair_typebox.TObject<{
    next: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
        prefix: _sinclair_typebox.TString;
        address: _sinclair_typebox.TString;
        parent: _sinclair_typebox.TObject<{
            id: _sinclair_typebox.TInteger;
            vrf: _sinclair_typebox.TString;
            prefix: _sinclair_typebox.TString;
            family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
            length: _sinclair_typebox.TInteger;
            kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
            parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            description: _sinclair_typebox.TString;
            function: _sinclair_typebox.TString;
            status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            createdAt: _sinclair_typebox.TString;
            createdBy: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            updatedBy: _sinclair_typebox.TString;
        }>;
    }>, _sinclair_typebox.TNull]>;
}>;
declare const IpamHistoryEntrySchema: _sinclair_typebox.TObject<{
    id: _sinclair_typebox.TInteger;
    at: _sinclair_typebox.TString;
    actor: _sinclair_typebox.TString;
    action: _sinclair_typebox.TString;
    vrf: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
    subject: _sinclair_typebox.TString;
    before: _sinclair_typebox.TUnion<[_sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>, _sinclair_typebox.TNull]>;
    after: _sinclair_typebox.TUnion<[_sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>, _sinclair_typebox.TNull]>;
}>;
declare const IpamImportResultSchema: _sinclair_typebox.TObject<{
    added: _sinclair_typebox.TInteger;
    updated: _sinclair_typebox.TInteger;
    vrfsAdded: _sinclair_typebox.TInteger;
    poolsAdded: _sinclair_typebox.TInteger;
}>;
type IpamListPrefixesQuery = Static<typeof IpamListPrefixesQuerySchema>;
type IpamSearchQuery = Static<typeof IpamSearchQuerySchema>;
type IpamAddPrefixBody = Static<typeof IpamAddPrefixBodySchema>;
type IpamAddPoolBody = Static<typeof IpamAddPoolBodySchema>;
type IpamAllocateBody = Static<typeof IpamAllocateBodySchema>;
type IpamNextFreeQuery = Static<typeof IpamNextFreeQuerySchema>;
type IpamReleaseBody = Static<typeof IpamReleaseBodySchema>;
type IpamImportBody = Static<typeof IpamImportBodySchema>;
type IpamErrorBody = Static<typeof IpamErrorBodySchema>;
type IpamRole = 'viewer' | 'admin';
interface IpamOperationSpec {
    id: string;
    method: 'GET' | 'POST' | 'DELETE';
    path: string;
    role: IpamRole;
    status: 200 | 201;
    params?: TSchema;
    query?: TSchema;
    body?: TSchema;
    response?: TSchema;
    idempotent: boolean;
}
declare const ipamOperations: {
    readonly listPrefixes: {
        readonly id: "listPrefixes";
        readonly method: "GET";
        readonly path: "/api/v1/ipam/prefixes";
        readonly role: "viewer";
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            parent: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            vrf: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            family: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"4" | "6">>;
        }>;
        readonly response: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            id: _sinclair_typebox.TInteger;
            vrf: _sinclair_typebox.TString;
            prefix: _sinclair_typebox.TString;
            family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
            length: _sinclair_typebox.TInteger;
            kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
            parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            description: _sinclair_typebox.TString;
            function: _sinclair_typebox.TString;
            status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            createdAt: _sinclair_typebox.TString;
            createdBy: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            updatedBy: _sinclair_typebox.TString;
        }>>;
        readonly idempotent: true;
    };
    readonly searchPrefixes: {
        readonly id: "searchPrefixes";
        readonly method: "GET";
        readonly path: "/api/v1/ipam/search";
        readonly role: "viewer";
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            tag: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            function: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            description: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            node: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            pool: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>;
        readonly response: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            id: _sinclair_typebox.TInteger;
            vrf: _sinclair_typebox.TString;
            prefix: _sinclair_typebox.TString;
            family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
            length: _sinclair_typebox.TInteger;
            kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
            parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            description: _sinclair_typebox.TString;
            function: _sinclair_typebox.TString;
            status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            createdAt: _sinclair_typebox.TString;
            createdBy: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            updatedBy: _sinclair_typebox.TString;
        }>>;
        readonly idempotent: true;
    };
    readonly lookup: {
        readonly id: "lookup";
        readonly method: "GET";
        readonly path: "/api/v1/ipam/lookup/:address";
        readonly role: "viewer";
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            address: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            id: _sinclair_typebox.TInteger;
            vrf: _sinclair_typebox.TString;
            prefix: _sinclair_typebox.TString;
            family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
            length: _sinclair_typebox.TInteger;
            kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
            parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            description: _sinclair_typebox.TString;
            function: _sinclair_typebox.TString;
            status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            createdAt: _sinclair_typebox.TString;
            createdBy: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            updatedBy: _sinclair_typebox.TString;
        }>;
        readonly idempotent: true;
    };
    readonly addPrefix: {
        readonly id: "addPrefix";
        readonly method: "POST";
        readonly path: "/api/v1/ipam/prefixes";
        readonly role: "admin";
        readonly status: 201;
        readonly body: _sinclair_typebox.TObject<{
            prefix: _sinclair_typebox.TString;
            kind: _sinclair_typebox.TUnsafe<"reservation" | "assignment" | "host">;
            vrf: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            description: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            function: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            status: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"active" | "reserved" | "deprecated" | "quarantine">>;
            tags: _sinclair_typebox.TOptional<_sinclair_typebox.TArray<_sinclair_typebox.TString>>;
            node: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
            pool: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
            expiresAt: _sinclair_typebox.TOptional<_sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            id: _sinclair_typebox.TInteger;
            vrf: _sinclair_typebox.TString;
            prefix: _sinclair_typebox.TString;
            family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
            length: _sinclair_typebox.TInteger;
            kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
            parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            description: _sinclair_typebox.TString;
            function: _sinclair_typebox.TString;
            status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            createdAt: _sinclair_typebox.TString;
            createdBy: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            updatedBy: _sinclair_typebox.TString;
        }>;
        readonly idempotent: false;
    };
    readonly removePrefix: {
        readonly id: "removePrefix";
        readonly method: "DELETE";
        readonly path: "/api/v1/ipam/prefixes/:id";
        readonly role: "admin";
        readonly status: 200;
        readonly params: _sinclair_typebox.TObject<{
            id: _sinclair_typebox.TString;
        }>;
        readonly query: _sinclair_typebox.TObject<{
            recursive: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"true" | "false">>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            [x: string]: _sinclair_typebox.TInteger;
        }>;
        readonly idempotent: false;
    };
    readonly listPools: {
        readonly id: "listPools";
        readonly method: "GET";
        readonly path: "/api/v1/ipam/pools";
        readonly role: "viewer";
        readonly status: 200;
        readonly response: _sinclair_typebox.TArray<_sinclair_typebox.TIntersect<[_sinclair_typebox.TObject<{
            name: _sinclair_typebox.TString;
            vrf: _sinclair_typebox.TString;
            description: _sinclair_typebox.TString;
            defaultLength: _sinclair_typebox.TObject<{
                v4: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
                v6: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            }>;
            keepFree: _sinclair_typebox.TObject<{
                network: _sinclair_typebox.TBoolean;
                broadcast: _sinclair_typebox.TBoolean;
                gateways: _sinclair_typebox.TInteger;
            }>;
            createdAt: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
        }>, _sinclair_typebox.TObject<{
            usage: _sinclair_typebox.TObject<{
                pool: _sinclair_typebox.TString;
                v4: _sinclair_typebox.TObject<{
                    total: _sinclair_typebox.TString;
                    used: _sinclair_typebox.TString;
                    free: _sinclair_typebox.TString;
                    prefixes: _sinclair_typebox.TInteger;
                }>;
                v6: _sinclair_typebox.TObject<{
                    total: _sinclair_typebox.TString;
                    used: _sinclair_typebox.TString;
                    free: _sinclair_typebox.TString;
                    prefixes: _sinclair_typebox.TInteger;
                }>;
            }>;
        }>]>>;
        readonly idempotent: true;
    };
    readonly addPool: {
        readonly id: "addPool";
        readonly method: "POST";
        readonly path: "/api/v1/ipam/pools";
        readonly role: "admin";
        readonly status: 201;
        readonly body: _sinclair_typebox.TObject<{
            name: _sinclair_typebox.TString;
            description: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            defaultLengthV4: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            defaultLengthV6: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            name: _sinclair_typebox.TString;
            vrf: _sinclair_typebox.TString;
            description: _sinclair_typebox.TString;
            defaultLength: _sinclair_typebox.TObject<{
                v4: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
                v6: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            }>;
            keepFree: _sinclair_typebox.TObject<{
                network: _sinclair_typebox.TBoolean;
                broadcast: _sinclair_typebox.TBoolean;
                gateways: _sinclair_typebox.TInteger;
            }>;
            createdAt: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
        }>;
        readonly idempotent: false;
    };
    readonly allocate: {
        readonly id: "allocate";
        readonly method: "POST";
        readonly path: "/api/v1/ipam/allocate";
        readonly role: "admin";
        readonly status: 201;
        readonly body: _sinclair_typebox.TObject<{
            what: _sinclair_typebox.TUnsafe<"address" | "prefix" | "transfer">;
            pool: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            from: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            length: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            count: _sinclair_typebox.TOptional<_sinclair_typebox.TInteger>;
            family: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<4 | 6>>;
            node: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            function: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            description: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>;
        readonly response: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
            id: _sinclair_typebox.TInteger;
            vrf: _sinclair_typebox.TString;
            prefix: _sinclair_typebox.TString;
            family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
            length: _sinclair_typebox.TInteger;
            kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
            parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            description: _sinclair_typebox.TString;
            function: _sinclair_typebox.TString;
            status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            createdAt: _sinclair_typebox.TString;
            createdBy: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            updatedBy: _sinclair_typebox.TString;
        }>, _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            id: _sinclair_typebox.TInteger;
            vrf: _sinclair_typebox.TString;
            prefix: _sinclair_typebox.TString;
            family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
            length: _sinclair_typebox.TInteger;
            kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
            parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
            description: _sinclair_typebox.TString;
            function: _sinclair_typebox.TString;
            status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
            tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
            node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            createdAt: _sinclair_typebox.TString;
            createdBy: _sinclair_typebox.TString;
            updatedAt: _sinclair_typebox.TString;
            updatedBy: _sinclair_typebox.TString;
        }>>, _sinclair_typebox.TObject<{
            net: _sinclair_typebox.TObject<{
                id: _sinclair_typebox.TInteger;
                vrf: _sinclair_typebox.TString;
                prefix: _sinclair_typebox.TString;
                family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
                length: _sinclair_typebox.TInteger;
                kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
                parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
                description: _sinclair_typebox.TString;
                function: _sinclair_typebox.TString;
                status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
                tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                createdAt: _sinclair_typebox.TString;
                createdBy: _sinclair_typebox.TString;
                updatedAt: _sinclair_typebox.TString;
                updatedBy: _sinclair_typebox.TString;
            }>;
            a: _sinclair_typebox.TString;
            b: _sinclair_typebox.TString;
        }>]>;
        readonly idempotent: false;
    };
    readonly nextFree: {
        readonly id: "nextFree";
        readonly method: "GET";
        readonly path: "/api/v1/ipam/next-free";
        readonly role: "viewer";
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            what: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"address" | "prefix">>;
            pool: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            from: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            family: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"4" | "6">>;
            length: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            next: _sinclair_typebox.TUnion<[_sinclair_typebox.TObject<{
                prefix: _sinclair_typebox.TString;
                address: _sinclair_typebox.TString;
                parent: _sinclair_typebox.TObject<{
                    id: _sinclair_typebox.TInteger;
                    vrf: _sinclair_typebox.TString;
                    prefix: _sinclair_typebox.TString;
                    family: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<4>, _sinclair_typebox.TLiteral<6>]>;
                    length: _sinclair_typebox.TInteger;
                    kind: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"reservation">, _sinclair_typebox.TLiteral<"assignment">, _sinclair_typebox.TLiteral<"host">]>;
                    parentId: _sinclair_typebox.TUnion<[_sinclair_typebox.TInteger, _sinclair_typebox.TNull]>;
                    description: _sinclair_typebox.TString;
                    function: _sinclair_typebox.TString;
                    status: _sinclair_typebox.TUnion<[_sinclair_typebox.TLiteral<"active">, _sinclair_typebox.TLiteral<"reserved">, _sinclair_typebox.TLiteral<"deprecated">, _sinclair_typebox.TLiteral<"quarantine">]>;
                    tags: _sinclair_typebox.TArray<_sinclair_typebox.TString>;
                    node: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                    expiresAt: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                    pool: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
                    createdAt: _sinclair_typebox.TString;
                    createdBy: _sinclair_typebox.TString;
                    updatedAt: _sinclair_typebox.TString;
                    updatedBy: _sinclair_typebox.TString;
                }>;
            }>, _sinclair_typebox.TNull]>;
        }>;
        readonly idempotent: true;
    };
    readonly release: {
        readonly id: "release";
        readonly method: "POST";
        readonly path: "/api/v1/ipam/release";
        readonly role: "admin";
        readonly status: 200;
        readonly body: _sinclair_typebox.TObject<{
            prefix: _sinclair_typebox.TString;
            vrf: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
            recursive: _sinclair_typebox.TOptional<_sinclair_typebox.TBoolean>;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            [x: string]: _sinclair_typebox.TInteger;
        }>;
        readonly idempotent: false;
    };
    readonly exportPlan: {
        readonly id: "exportPlan";
        readonly method: "GET";
        readonly path: "/api/v1/ipam/export";
        readonly role: "viewer";
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            format: _sinclair_typebox.TOptional<_sinclair_typebox.TUnsafe<"json" | "csv">>;
        }>;
        readonly idempotent: true;
    };
    readonly importPlan: {
        readonly id: "importPlan";
        readonly method: "POST";
        readonly path: "/api/v1/ipam/import";
        readonly role: "admin";
        readonly status: 200;
        readonly body: _sinclair_typebox.TObject<{
            format: _sinclair_typebox.TUnsafe<"json" | "csv">;
            data: _sinclair_typebox.TString;
        }>;
        readonly response: _sinclair_typebox.TObject<{
            added: _sinclair_typebox.TInteger;
            updated: _sinclair_typebox.TInteger;
            vrfsAdded: _sinclair_typebox.TInteger;
            poolsAdded: _sinclair_typebox.TInteger;
        }>;
        readonly idempotent: false;
    };
    readonly history: {
        readonly id: "history";
        readonly method: "GET";
        readonly path: "/api/v1/ipam/history";
        readonly role: "viewer";
        readonly status: 200;
        readonly query: _sinclair_typebox.TObject<{
            limit: _sinclair_typebox.TOptional<_sinclair_typebox.TString>;
        }>;
        readonly response: _sinclair_typebox.TArray<_sinclair_typebox.TObject<{
            id: _sinclair_typebox.TInteger;
            at: _sinclair_typebox.TString;
            actor: _sinclair_typebox.TString;
            action: _sinclair_typebox.TString;
            vrf: _sinclair_typebox.TUnion<[_sinclair_typebox.TString, _sinclair_typebox.TNull]>;
            subject: _sinclair_typebox.TString;
            before: _sinclair_typebox.TUnion<[_sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>, _sinclair_typebox.TNull]>;
            after: _sinclair_typebox.TUnion<[_sinclair_typebox.TRecord<_sinclair_typebox.TString, _sinclair_typebox.TUnknown>, _sinclair_typebox.TNull]>;
        }>>;
        readonly idempotent: true;
    };
};
type IpamOperationId = keyof typeof ipamOperations;
declare class IpamHttpError extends FleetError {
    name: "IpamHttpError";
    readonly status: number;
    readonly operation: string;
    constructor(code: string, status: number, operation: string, message: string, options?: FleetErrorOptions);
}
interface IpamClientOptions {
    baseUrl: string;
    token?: string;
    basic?: {
        username: string;
        password: string;
    };
    dispatcher?: Dispatcher;
    timeoutMs?: number;
    retries?: number;
    retryBaseMs?: number;
    validateResponses?: boolean;
    userAgent?: string;
}
type IpamPoolWithUsage = Pool & {
    usage: PoolUsage;
};
interface IpamClient {
    readonly baseUrl: string;
    listPrefixes(query?: IpamListPrefixesQuery): Promise<Prefix[]>;
    searchPrefixes(query: IpamSearchQuery): Promise<Prefix[]>;
    lookup(address: string): Promise<Prefix>;
    addPrefix(body: IpamAddPrefixBody): Promise<Prefix>;
    removePrefix(ref: string | number, options?: {
        recursive?: boolean;
    }): Promise<{
        removed: number;
    }>;
    listPools(): Promise<IpamPoolWithUsage[]>;
    addPool(body: IpamAddPoolBody): Promise<Pool>;
    allocate(body: IpamAllocateBody): Promise<Prefix | Prefix[] | TransferNet>;
    nextFree(query?: IpamNextFreeQuery): Promise<{
        next: NextFree | null;
    }>;
    release(body: IpamReleaseBody): Promise<{
        released: number;
    }>;
    exportPlan(format?: 'json' | 'csv'): Promise<string>;
    importPlan(data: string, format: 'json' | 'csv'): Promise<ImportResult>;
    history(query?: {
        limit?: number;
    }): Promise<HistoryEntry[]>;
    close(): Promise<void>;
}
declare function createIpamClient(options: IpamClientOptions): IpamClient;
export { type AddPoolInput, type AddPrefixInput, type AddVrfInput, type AllocateAddressInput, type AllocatePrefixInput, type AllocateTransferNetInput, type AllocationFields, type AllocationSource, CSV_COLUMNS, DEFAULT_KEEP_FREE, type EditPoolInput, type FabricPools, type Family, type HistoryAction, type HistoryEntry, type HistoryQuery, type ImportOptions, type ImportResult, type ImportRowError, type Ipam, type IpamAddPoolBody, IpamAddPoolBodySchema, type IpamAddPrefixBody, IpamAddPrefixBodySchema, IpamAddressParamsSchema, type IpamAllocateBody, IpamAllocateBodySchema, type IpamClient, type IpamClientOptions, IpamError, type IpamErrorBody, IpamErrorBodySchema, type IpamErrorCode, IpamExportQuerySchema, IpamHistoryEntrySchema, IpamHistoryQuerySchema, IpamHttpError, type IpamImportBody, IpamImportBodySchema, IpamImportError, IpamImportResultSchema, type IpamListPrefixesQuery, IpamListPrefixesQuerySchema, type IpamNextFreeQuery, IpamNextFreeQuerySchema, IpamNextFreeSchema, type IpamOperationId, type IpamOperationSpec, type IpamOptions, IpamPoolSchema, type IpamPoolWithUsage, IpamPoolWithUsageSchema, IpamPrefixIdParamsSchema, IpamPrefixSchema, type IpamReleaseBody, IpamReleaseBodySchema, IpamRemovePrefixQuerySchema, type IpamRole, type IpamSearchQuery, IpamSearchQuerySchema, IpamTransferNetSchema, type KeepFree, type ListChildrenOptions, type NewPrefixRow, type NextFree, type NextFreeAddressInput, type NextFreePrefixInput, type NodeFabric, type NodeFabricInput, type NodeFabricLink, PREFIX_KINDS, PREFIX_STATUSES, type PlanDocument, type PlanPool, type PlanPrefix, type PlanVrf, type Pool, type PoolUsage, type PostgresStoreOptions, type Prefix, type PrefixFields, type PrefixKind, type PrefixRef, type PrefixRow, type PrefixRowPatch, type PrefixSearch, type PrefixStatus, type Range, type ResolvedIpamOptions, type ResolvedPostgresStoreOptions, type ResolvedSqliteStoreOptions, type RunOptions, SCHEMA_VERSION, type ServiceAddressQuery, type SqliteStoreOptions, type Store, type StoreOp, type StoreOpResults, type StoreProgram, type TransferNet, type Usage, type Vrf, allocateNodeFabric, call, checkServiceAddressQuery, createIpam, createIpamClient, createMemoryStore, createPostgresStore, createSqliteStore, findServiceAddresses, formatAddress, formatPrefix, ipamOperations, isIpamError, parseAddress, parsePrefix, releaseNodeFabric, resolveIpamOptions, resolvePostgresStoreOptions, resolveSqliteStoreOptions };
