import { FleetError, FleetErrorOptions, Executor } from '@fleet/core';
type NetcheckErrorCode = 'NETCHECK_TOOL_FAILED' | 'NETCHECK_PARSE_FAILED' | 'NETCHECK_PROBE_FAILED';
declare class NetcheckError extends FleetError {
    name: "NetcheckError";
    readonly code: NetcheckErrorCode;
    constructor(code: NetcheckErrorCode, message: string, options?: FleetErrorOptions);
}
type CheckStatus = 'ok' | 'warn' | 'fail';
interface CheckResult<E = unknown> {
    check: string;
    target: string;
    status: CheckStatus;
    code: string;
    summary: string;
    evidence: E;
    durationMs: number;
}
declare function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus;
declare function exitCodeFor(status: CheckStatus): 0 | 1 | 2;
declare function validateAddress(value: unknown, field?: string): string;
declare function validatePrefix(value: unknown, field?: string): string;
declare function validateNamespaceName(value: unknown, field?: string): string;
declare function createNetnsExecutor(namespace: string, inner: Executor): Executor;
type ProbeOutcome = {
    kind: 'reply';
    rttMs?: number;
}
 | {
    kind: 'frag-needed';
    mtu: number;
    from?: string;
}
 | {
    kind: 'local-too-big';
    mtu: number;
}
 | {
    kind: 'unreachable';
    from?: string;
    message: string;
}
 | {
    kind: 'timeout';
};
interface ProbeRecord {
    size: number;
    outcome: ProbeOutcome;
}
type Prober = (size: number) => Promise<ProbeOutcome>;
interface PathMtuSearch {
    pathMtu: number | undefined;
    dropsAt: number | undefined;
    firstFailure: ProbeRecord | undefined;
    hop: string | undefined;
    fragNeededMtu: number | undefined;
    probes: ProbeRecord[];
}
interface PathMtuSearchOptions {
    start?: number;
}
declare function searchPathMtu(prober: Prober, min: number, max: number, options?: PathMtuSearchOptions): Promise<PathMtuSearch>;
declare function parsePingProbe(output: string): ProbeOutcome;
interface InterfaceMtu {
    interface: string;
    mtu: number;
    routeMtu?: number;
}
declare function readInterfaceMtu(executor: Executor, address: string): Promise<InterfaceMtu>;
declare function createPingProber(executor: Executor, address: string, timeoutMs?: number): Prober;
interface TracepathHop {
    ttl: number;
    address?: string;
    pmtu?: number;
    reached: boolean;
    noReply: boolean;
}
interface TracepathReport {
    hops: TracepathHop[];
    localPmtu?: number;
    pmtu?: number;
    reached: boolean;
}
declare function parseTracepath(output: string): TracepathReport;
interface PathMtuOptions {
    method?: 'icmp' | 'udp';
    minMtu?: number;
    maxMtu?: number;
    requiredMtu?: number;
    probeTimeoutMs?: number;
    maxHops?: number;
    pmtuCache?: 'clear' | 'keep';
    from?: string;
    local?: InterfaceMtu;
}
interface ResolvedPathMtuOptions {
    method: 'icmp' | 'udp';
    minMtu: number;
    maxMtu: number;
    requiredMtu: number | undefined;
    probeTimeoutMs: number;
    maxHops: number;
    pmtuCache: 'clear' | 'keep';
    from: string | undefined;
    local: InterfaceMtu | undefined;
}
declare function resolvePathMtuOptions(options?: PathMtuOptions): ResolvedPathMtuOptions;
interface PathMtuEvidence {
    method: 'icmp' | 'udp';
    interface: string;
    localMtu: number;
    pathMtu: number | undefined;
    hop: string | undefined;
    dropsAt: number | undefined;
    pmtuCache: 'cleared' | 'kept';
    probes: ProbeRecord[];
    tracepath?: TracepathReport;
}
declare function checkPathMtu(executor: Executor, address: string, options?: PathMtuOptions): Promise<CheckResult<PathMtuEvidence>>;
interface Iperf3Summary {
    sentGbps: number;
    receivedGbps: number;
    retransmits: number | undefined;
    seconds: number;
    bytes: number;
    streams: number;
}
declare function parseIperf3(json: string): Iperf3Summary;
interface ThroughputOptions {
    floorGbps?: number;
    maxRetransmits?: number;
    seconds?: number;
    streams?: number;
    port?: number;
    reverse?: boolean;
    from?: string;
}
interface ResolvedThroughputOptions {
    floorGbps: number;
    maxRetransmits: number | undefined;
    seconds: number;
    streams: number;
    port: number;
    reverse: boolean;
    from: string | undefined;
}
declare function resolveThroughputOptions(options?: ThroughputOptions): ResolvedThroughputOptions;
interface ThroughputEvidence extends Iperf3Summary {
    floorGbps: number;
}
declare function checkThroughput(executor: Executor, address: string, options?: ThroughputOptions): Promise<CheckResult<ThroughputEvidence>>;
type DnsRecordType = 'A' | 'AAAA' | 'TXT' | 'SOA' | 'NS';
declare function validateQueryName(value: unknown, field?: string): string;
declare function encodeDnsQuery(id: number, name: string, type?: DnsRecordType): Uint8Array;
interface DnsAnswer {
    name: string;
    type: string;
    ttl: number;
    data: string;
}
interface DnsResponse {
    id: number;
    rcode: string;
    authoritative: boolean;
    truncated: boolean;
    answers: DnsAnswer[];
}
declare function decodeDnsResponse(bytes: Uint8Array): DnsResponse;
declare function writeNtpTimestamp(buf: Uint8Array, offset: number, unixMs: number): void;
declare function readNtpTimestamp(buf: Uint8Array, offset: number): number;
declare function encodeNtpRequest(nowMs: number): Uint8Array;
interface NtpSample {
    leap: number;
    version: number;
    mode: number;
    stratum: number;
    refId: string;
    offsetMs: number;
    delayMs: number;
}
declare function decodeNtpResponse(bytes: Uint8Array, request: Uint8Array, sentMs: number, receivedMs: number): NtpSample;
interface ExchangeRequest {
    protocol: 'udp' | 'tcp';
    address: string;
    port: number;
    payload: Uint8Array;
    timeoutMs: number;
    stampNtpTransmit?: boolean;
}
type ExchangeResult = {
    ok: true;
    response: Uint8Array;
    sent: Uint8Array;
    sentAt: number;
    receivedAt: number;
    rttMs: number;
} | {
    ok: false;
    error: string;
    rttMs: number;
};
type Exchanger = (request: ExchangeRequest) => Promise<ExchangeResult>;
declare function createExecutorExchanger(executor: Executor, nodePath?: string): Exchanger;
declare function createLocalExchanger(): Exchanger;
interface DnsCheckOptions {
    name?: string;
    type?: DnsRecordType;
    protocol?: 'udp' | 'tcp';
    port?: number;
    timeoutMs?: number;
    warnLatencyMs?: number;
    expect?: readonly string[];
    from?: string;
}
interface ResolvedDnsCheckOptions {
    name: string;
    type: DnsRecordType;
    protocol: 'udp' | 'tcp';
    port: number;
    timeoutMs: number;
    warnLatencyMs: number;
    expect: readonly string[] | undefined;
    from: string;
}
declare function resolveDnsCheckOptions(options?: DnsCheckOptions): ResolvedDnsCheckOptions;
interface DnsEvidence {
    server: string;
    protocol: 'udp' | 'tcp';
    name: string;
    type: DnsRecordType;
    latencyMs: number | undefined;
    rcode: string | undefined;
    answers: DnsAnswer[];
    error: string | undefined;
}
declare function checkDns(exchanger: Exchanger, server: string, options?: DnsCheckOptions): Promise<CheckResult<DnsEvidence>>;
interface NtpCheckOptions {
    port?: number;
    timeoutMs?: number;
    warnOffsetMs?: number;
    maxOffsetMs?: number;
    maxStratum?: number;
    from?: string;
}
interface ResolvedNtpCheckOptions {
    port: number;
    timeoutMs: number;
    warnOffsetMs: number;
    maxOffsetMs: number;
    maxStratum: number;
    from: string;
}
declare function resolveNtpCheckOptions(options?: NtpCheckOptions): ResolvedNtpCheckOptions;
interface NtpEvidence {
    server: string;
    sample: NtpSample | undefined;
    error: string | undefined;
    latencyMs: number | undefined;
}
declare function checkNtp(exchanger: Exchanger, server: string, options?: NtpCheckOptions): Promise<CheckResult<NtpEvidence>>;
interface BgpChannel {
    family: string;
    state: string;
    table: string | undefined;
    imported: number | undefined;
    exported: number | undefined;
    preferred: number | undefined;
}
interface BgpSession {
    name: string;
    protocolState: string;
    bgpState: string;
    established: boolean;
    since: string;
    uptimeSeconds: number | undefined;
    info: string;
    neighborAddress: string | undefined;
    neighborAs: number | undefined;
    localAs: number | undefined;
    neighborId: string | undefined;
    lastError: string | undefined;
    transport: 4 | 6 | undefined;
    channels: BgpChannel[];
}
declare function parseBirdProtocols(output: string, now?: Date): BgpSession[];
interface BirdRoute {
    prefix: string;
    table: string | undefined;
    protocol: string;
    from: string | undefined;
    primary: boolean;
    nextHop: string | undefined;
    asPath: number[];
    originAs: number | undefined;
    kind: string;
}
declare function parseBirdRoutes(output: string): BirdRoute[];
declare function readBgpSessions(executor: Executor, socket?: string): Promise<BgpSession[]>;
declare function readBirdRoutes(executor: Executor, options?: {
    socket?: string;
    exportedTo?: string;
}): Promise<BirdRoute[]>;
interface BgpCheckOptions {
    include?: (session: BgpSession) => boolean;
    minUptimeSeconds?: number;
    requireSessions?: boolean;
    from?: string;
}
interface BgpEvidence {
    sessions: BgpSession[];
    down: string[];
}
declare function evaluateBgpSessions(sessions: BgpSession[], options?: BgpCheckOptions, startedAt?: number): CheckResult<BgpEvidence>;
declare function checkBgpSessions(executor: Executor, options?: BgpCheckOptions & {
    socket?: string;
}): Promise<CheckResult<BgpEvidence>>;
interface AsnNode {
    name: string;
    configuredAsn?: number;
    observedAsns?: readonly number[];
}
interface AsnPolicyOptions<N extends AsnNode> {
    expectedAsn: (node: N) => number | undefined;
    unique?: boolean;
}
interface AsnFinding {
    node: string;
    code: 'OK' | 'ASN_MISMATCH' | 'ASN_NOT_OBSERVED' | 'ASN_NO_POLICY' | 'ASN_DUPLICATE';
    status: CheckStatus;
    expected: number | undefined;
    configured: number | undefined;
    observed: number[];
    message: string;
}
interface AsnEvidence {
    findings: AsnFinding[];
}
declare function checkAsnPolicy<N extends AsnNode>(nodes: readonly N[], options: AsnPolicyOptions<N>): CheckResult<AsnEvidence>;
declare function localAsnsOf(sessions: readonly BgpSession[]): number[];
declare function configuredAsnsOf(birdConfig: string): number[];
interface DuplicateAnnouncement {
    prefix: string;
    announcers: string[];
}
interface DuplicateEvidence {
    duplicates: DuplicateAnnouncement[];
    prefixes: number;
    allowed: string[];
}
interface DuplicateOptions {
    allowed?: readonly string[];
    view?: string;
}
declare function findDuplicateExports(exports: Readonly<Record<string, readonly string[]>>, options?: DuplicateOptions): CheckResult<DuplicateEvidence>;
interface RouteDuplicateOptions extends DuplicateOptions {
    announcer?: 'neighbor' | 'origin-as' | ((route: BirdRoute) => string | undefined);
    neighbors?: Readonly<Record<string, string>>;
}
declare function findDuplicateRoutes(routes: readonly BirdRoute[], options?: RouteDuplicateOptions): CheckResult<DuplicateEvidence>;
interface FleetNode {
    name: string;
    rack: string;
    address: string;
    executor: Executor;
}
type NodeCheck = (node: FleetNode) => Promise<CheckResult | CheckResult[]>;
type PairCheck = (from: FleetNode, to: FleetNode) => Promise<CheckResult | CheckResult[]>;
interface FleetOptions {
    nodes: readonly FleetNode[];
    nodeChecks?: readonly NodeCheck[];
    pairChecks?: readonly PairCheck[];
    pairs?: 'rack-matrix' | readonly (readonly [string, string])[];
    concurrency?: number;
}
interface FleetRow {
    node: string;
    peer?: string;
    result: CheckResult;
}
interface FleetReport {
    status: CheckStatus;
    exitCode: 0 | 1 | 2;
    counts: Record<CheckStatus, number>;
    rows: FleetRow[];
    durationMs: number;
}
declare function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]>;
declare function rackPairMatrix(nodes: readonly FleetNode[]): Array<[FleetNode, FleetNode]>;
declare function runFleet(options: FleetOptions): Promise<FleetReport>;
declare function renderFleetTable(report: FleetReport): string;
declare function fleetReportJson(report: FleetReport): string;
export { type AsnEvidence, type AsnFinding, type AsnNode, type AsnPolicyOptions, type BgpChannel, type BgpCheckOptions, type BgpEvidence, type BgpSession, type BirdRoute, type CheckResult, type CheckStatus, type DnsAnswer, type DnsCheckOptions, type DnsEvidence, type DnsRecordType, type DnsResponse, type DuplicateAnnouncement, type DuplicateEvidence, type DuplicateOptions, type ExchangeRequest, type ExchangeResult, type Exchanger, type FleetNode, type FleetOptions, type FleetReport, type FleetRow, type InterfaceMtu, type Iperf3Summary, NetcheckError, type NetcheckErrorCode, type NodeCheck, type NtpCheckOptions, type NtpEvidence, type NtpSample, type PairCheck, type PathMtuEvidence, type PathMtuOptions, type PathMtuSearch, type ProbeOutcome, type ProbeRecord, type Prober, type ResolvedDnsCheckOptions, type ResolvedNtpCheckOptions, type ResolvedPathMtuOptions, type ResolvedThroughputOptions, type RouteDuplicateOptions, type ThroughputEvidence, type ThroughputOptions, type TracepathHop, type TracepathReport, checkAsnPolicy, checkBgpSessions, checkDns, checkNtp, checkPathMtu, checkThroughput, configuredAsnsOf, createExecutorExchanger, createLocalExchanger, createNetnsExecutor, createPingProber, decodeDnsResponse, decodeNtpResponse, encodeDnsQuery, encodeNtpRequest, evaluateBgpSessions, exitCodeFor, findDuplicateExports, findDuplicateRoutes, fleetReportJson, localAsnsOf, mapBounded, parseBirdProtocols, parseBirdRoutes, parseIperf3, parsePingProbe, parseTracepath, rackPairMatrix, readBgpSessions, readBirdRoutes, readInterfaceMtu, readNtpTimestamp, renderFleetTable, resolveDnsCheckOptions, resolveNtpCheckOptions, resolvePathMtuOptions, resolveThroughputOptions, runFleet, searchPathMtu, validateAddress, validateNamespaceName, validatePrefix, validateQueryName, worstStatus, writeNtpTimestamp };
