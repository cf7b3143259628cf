export { NetcheckError, type NetcheckErrorCode } from './errors.js';
export { type CheckStatus, type CheckResult, worstStatus, exitCodeFor } from './result.js';
export { validateAddress, validatePrefix } from './address.js';
export { createNetnsExecutor, validateNamespaceName } from './netns.js';
export {
  type ProbeOutcome,
  type ProbeRecord,
  type Prober,
  type PathMtuSearch,
  type InterfaceMtu,
  type TracepathHop,
  type TracepathReport,
  type PathMtuOptions,
  type ResolvedPathMtuOptions,
  type PathMtuEvidence,
  searchPathMtu,
  parsePingProbe,
  parseTracepath,
  readInterfaceMtu,
  createPingProber,
  resolvePathMtuOptions,
  checkPathMtu,
} from './mtu.js';
export {
  type Iperf3Summary,
  type ThroughputOptions,
  type ResolvedThroughputOptions,
  type ThroughputEvidence,
  parseIperf3,
  resolveThroughputOptions,
  checkThroughput,
} from './throughput.js';
export {
  type DnsRecordType,
  type DnsAnswer,
  type DnsResponse,
  encodeDnsQuery,
  decodeDnsResponse,
  validateQueryName,
} from './dns.js';
export { type NtpSample, encodeNtpRequest, decodeNtpResponse, readNtpTimestamp, writeNtpTimestamp } from './ntp.js';
export {
  type ExchangeRequest,
  type ExchangeResult,
  type Exchanger,
  createExecutorExchanger,
  createLocalExchanger,
} from './exchange.js';
export {
  type DnsCheckOptions,
  type ResolvedDnsCheckOptions,
  type DnsEvidence,
  type NtpCheckOptions,
  type ResolvedNtpCheckOptions,
  type NtpEvidence,
  resolveDnsCheckOptions,
  resolveNtpCheckOptions,
  checkDns,
  checkNtp,
} from './anycast.js';
export {
  type BgpChannel,
  type BgpSession,
  type BirdRoute,
  type BgpCheckOptions,
  type BgpEvidence,
  parseBirdProtocols,
  parseBirdRoutes,
  readBgpSessions,
  readBirdRoutes,
  evaluateBgpSessions,
  checkBgpSessions,
} from './bird.js';
export {
  type AsnNode,
  type AsnPolicyOptions,
  type AsnFinding,
  type AsnEvidence,
  checkAsnPolicy,
  localAsnsOf,
  configuredAsnsOf,
} from './asn.js';
export {
  type DuplicateAnnouncement,
  type DuplicateEvidence,
  type DuplicateOptions,
  type RouteDuplicateOptions,
  findDuplicateExports,
  findDuplicateRoutes,
} from './duplicates.js';
export {
  type FleetNode,
  type NodeCheck,
  type PairCheck,
  type FleetOptions,
  type FleetRow,
  type FleetReport,
  mapBounded,
  rackPairMatrix,
  runFleet,
  renderFleetTable,
  fleetReportJson,
} from './fleet.js';
