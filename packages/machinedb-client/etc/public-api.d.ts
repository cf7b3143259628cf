import { OperationResponse, LoginRequest, PageQuery, CreateUserRequest, CreateTokenRequest, NodeListQuery, NodeUpdate, TransitionRequest, IdentityResetRequest, HistoryQuery, Inventory, NodeEvent, OperationQuery, Node, HistoryEntry, User, TokenInfo, OperationId, InventoryDisk, NodeState, BmcConfig } from '@fleet/machinedb-contract';
export * from '@fleet/machinedb-contract';
import { FleetError, FleetErrorOptions, Executor, Logger } from '@fleet/core';
import { Dispatcher } from 'undici';
declare class MachineDbError extends FleetError {
    name: "MachineDbError";
    readonly status: number;
    readonly operation: string;
    constructor(code: string, status: number, operation: string, message: string, options?: FleetErrorOptions);
}
declare class MachineDbClientError extends FleetError {
    name: "MachineDbClientError";
}
interface MachineDbClientOptions {
    baseUrl: string;
    token?: string;
    dispatcher?: Dispatcher;
    timeoutMs?: number;
    retries?: number;
    retryBaseMs?: number;
    validateResponses?: boolean;
    userAgent?: string;
}
interface ResolvedMachineDbClientOptions {
    baseUrl: URL;
    token: string | undefined;
    dispatcher: Dispatcher | undefined;
    timeoutMs: number;
    retries: number;
    retryBaseMs: number;
    validateResponses: boolean;
    userAgent: string;
}
declare function resolveMachineDbClientOptions(options: MachineDbClientOptions): ResolvedMachineDbClientOptions;
interface RequestInput {
    params?: Record<string, string>;
    query?: Record<string, unknown>;
    body?: unknown;
    version?: number;
    signal?: AbortSignal;
}
interface MachineDbClient {
    readonly baseUrl: string;
    getOpenApi(): Promise<OperationResponse<'getOpenApi'>>;
    login(body: LoginRequest): Promise<OperationResponse<'login'>>;
    whoami(): Promise<OperationResponse<'whoami'>>;
    listUsers(query?: PageQuery): Promise<OperationResponse<'listUsers'>>;
    createUser(body: CreateUserRequest): Promise<OperationResponse<'createUser'>>;
    deleteUser(username: string): Promise<OperationResponse<'deleteUser'>>;
    listTokens(query?: PageQuery): Promise<OperationResponse<'listTokens'>>;
    createToken(body: CreateTokenRequest): Promise<OperationResponse<'createToken'>>;
    revokeToken(tokenId: string): Promise<OperationResponse<'revokeToken'>>;
    listNodes(query?: NodeListQuery): Promise<OperationResponse<'listNodes'>>;
    getNode(nodeId: string): Promise<OperationResponse<'getNode'>>;
    updateNode(nodeId: string, body: NodeUpdate, options: {
        version: number;
    }): Promise<OperationResponse<'updateNode'>>;
    transitionNode(nodeId: string, body: TransitionRequest, options?: {
        version?: number;
    }): Promise<OperationResponse<'transitionNode'>>;
    resetNodeIdentity(nodeId: string, body: IdentityResetRequest): Promise<OperationResponse<'resetNodeIdentity'>>;
    getNodeBmcCredentials(nodeId: string): Promise<OperationResponse<'getNodeBmcCredentials'>>;
    listNodeHistory(nodeId: string, query?: PageQuery): Promise<OperationResponse<'listNodeHistory'>>;
    listHistory(query?: HistoryQuery): Promise<OperationResponse<'listHistory'>>;
    submitInventory(inventory: Inventory): Promise<OperationResponse<'submitInventory'>>;
    getNodeConfig(nodeId: string): Promise<OperationResponse<'getNodeConfig'>>;
    reportNodeEvent(nodeId: string, event: NodeEvent): Promise<OperationResponse<'reportNodeEvent'>>;
    getBootTarget(mac: string): Promise<OperationResponse<'getBootTarget'>>;
    exportAnsibleInventory(query?: OperationQuery<'exportAnsibleInventory'>): Promise<OperationResponse<'exportAnsibleInventory'>>;
    iterateNodes(query?: Omit<NodeListQuery, 'cursor'>): AsyncIterableIterator<Node>;
    iterateHistory(query?: Omit<HistoryQuery, 'cursor'>): AsyncIterableIterator<HistoryEntry>;
    iterateNodeHistory(nodeId: string, query?: Omit<PageQuery, 'cursor'>): AsyncIterableIterator<HistoryEntry>;
    iterateUsers(query?: Omit<PageQuery, 'cursor'>): AsyncIterableIterator<User>;
    iterateTokens(query?: Omit<PageQuery, 'cursor'>): AsyncIterableIterator<TokenInfo>;
    request<K extends OperationId>(id: K, input?: RequestInput): Promise<OperationResponse<K>>;
    withToken(token: string): MachineDbClient;
    close(): Promise<void>;
}
declare function createMachineDbClient(options: MachineDbClientOptions): MachineDbClient;
declare function cleanText(value: unknown, max?: number): string | undefined;
declare function derivedByIdPaths(disk: {
    tran?: string | undefined;
    model?: string | undefined;
    serial?: string | undefined;
    wwn?: string | undefined;
}): string[];
declare function parseLsblk(jsonText: string, byId?: ReadonlyMap<string, string[]>): InventoryDisk[];
interface IpInterface {
    name: string;
    mac: string;
    up: boolean;
    virtual: boolean;
    addresses: string[];
}
declare function parseIpLinks(jsonText: string): IpInterface[];
interface LshwFacts {
    manufacturer?: string;
    product?: string;
    serial?: string;
    memoryBytes?: number;
    cpuModels: string[];
    nicSpeeds: Map<string, number>;
}
declare function parseLshw(jsonText: string): LshwFacts;
interface DmiSection {
    type: string;
    fields: Record<string, string>;
}
interface DmiFacts {
    systemUuid?: string;
    manufacturer?: string;
    product?: string;
    serial?: string;
    board: {
        manufacturer?: string;
        product?: string;
        serial?: string;
    };
    bios: {
        vendor?: string;
        version?: string;
        date?: string;
    };
    cpus: Array<{
        socket: number;
        model: string;
        cores: number;
        threads: number;
        mhz?: number;
    }>;
    dimms: Array<{
        slot: string;
        sizeBytes: number;
        type?: string;
        speedMts?: number;
    }>;
}
declare function parseDmiSections(text: string): DmiSection[];
declare function parseDmidecode(text: string): DmiFacts;
interface LldpFacts {
    switchName?: string;
    switchChassisId?: string;
    port: string;
    portDescription?: string;
    vlan?: number;
}
declare function parseLldpctl(jsonText: string): Map<string, LldpFacts>;
interface BmcFacts {
    address?: string;
    mac?: string;
    firmware?: string;
    vendor?: string;
}
declare function parseIpmiLan(lanPrint: string, mcInfo?: string): BmcFacts;
declare function parseMeminfo(text: string): number | undefined;
declare function parseCpuinfo(text: string): Array<{
    socket: number;
    model: string;
    cores: number;
    threads: number;
    mhz?: number;
}>;
interface InventoryFiles {
    readFile(path: string): Promise<string | undefined>;
    readDir(path: string): Promise<string[] | undefined>;
    readLink(path: string): Promise<string | undefined>;
}
interface CollectInventoryOptions {
    executor?: Executor;
    files?: InventoryFiles;
    timeoutMs?: number;
    ipmi?: boolean;
    ipmiChannel?: number;
}
declare const localFiles: InventoryFiles;
declare function collectInventory(options?: CollectInventoryOptions): Promise<Inventory>;
declare function createAgentExecutor(): Executor;
type AgentEvent = {
    type: 'inventory-collected';
    notes: string[];
} | {
    type: 'inventory-submitted';
    nodeId: string;
    created: boolean;
    state: NodeState;
} | {
    type: 'waiting';
    nodeId: string;
    state: NodeState;
    retryInMs: number;
} | {
    type: 'bmc-applied';
    nodeId: string;
    address: string;
    user: string;
} | {
    type: 'reported';
    nodeId: string;
    event: 'bmc-configured' | 'failed';
    state: NodeState;
} | {
    type: 'retrying';
    step: string;
    error: string;
    retryInMs: number;
} | {
    type: 'done';
    outcome: AgentOutcome;
    nodeId?: string;
};
type AgentOutcome = 'bmc-configured' | 'already-configured' | 'decommissioned' | 'aborted';
interface AgentResult {
    outcome: AgentOutcome;
    nodeId?: string;
    state?: NodeState;
}
interface RunAgentOptions {
    client: MachineDbClient;
    executor: Executor;
    signal?: AbortSignal;
    inventory?: () => Promise<Inventory>;
    logger?: Logger;
    onEvent?: (event: AgentEvent) => void;
    maxPollMs?: number;
    backoffMinMs?: number;
    backoffMaxMs?: number;
}
declare function planBmcCommands(bmc: BmcConfig): string[][];
declare function runAgent(options: RunAgentOptions): Promise<AgentResult>;
export { type AgentEvent, type AgentOutcome, type AgentResult, type BmcFacts, type CollectInventoryOptions, type DmiFacts, type DmiSection, type InventoryFiles, type IpInterface, type LldpFacts, type LshwFacts, type MachineDbClient, MachineDbClientError, type MachineDbClientOptions, MachineDbError, type RequestInput, type ResolvedMachineDbClientOptions, type RunAgentOptions, cleanText, collectInventory, createAgentExecutor, createMachineDbClient, derivedByIdPaths, localFiles, parseCpuinfo, parseDmiSections, parseDmidecode, parseIpLinks, parseIpmiLan, parseLldpctl, parseLsblk, parseLshw, parseMeminfo, planBmcCommands, resolveMachineDbClientOptions, runAgent };
