import { randomInt } from 'node:crypto';
import { describeError, ValidationError, validateInteger } from '@fleet/core';
import { canonicalAddress, validateAddress } from './address.js';
import { type DnsAnswer, type DnsRecordType, type DnsResponse, decodeDnsResponse, encodeDnsQuery, validateQueryName } from './dns.js';
import type { Exchanger } from './exchange.js';
import { decodeNtpResponse, encodeNtpRequest, type NtpSample } from './ntp.js';
import { type CheckResult, makeResult } from './result.js';

export interface DnsCheckOptions {
  /** Name to resolve (default `.` SOA-free: `localhost`). */
  name?: string;
  type?: DnsRecordType;
  protocol?: 'udp' | 'tcp';
  port?: number;
  timeoutMs?: number;
  /** Slower answers are a warning (default 200 ms). */
  warnLatencyMs?: number;
  /** When set, at least one answer's data must equal one of these. */
  expect?: readonly string[];
  /** Names the probing side in results. */
  from?: string;
}

export interface ResolvedDnsCheckOptions {
  name: string;
  type: DnsRecordType;
  protocol: 'udp' | 'tcp';
  port: number;
  timeoutMs: number;
  warnLatencyMs: number;
  expect: readonly string[] | undefined;
  from: string;
}

const TYPES: readonly DnsRecordType[] = ['A', 'AAAA', 'TXT', 'SOA', 'NS'];

export function resolveDnsCheckOptions(options: DnsCheckOptions = {}): ResolvedDnsCheckOptions {
  const type = options.type ?? 'A';
  if (!TYPES.includes(type)) throw new ValidationError('type', `type must be one of ${TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  const protocol = options.protocol ?? 'udp';
  if (protocol !== 'udp' && protocol !== 'tcp') throw new ValidationError('protocol', `protocol must be 'udp' or 'tcp'`);
  return {
    name: validateQueryName(options.name ?? 'localhost'),
    type,
    protocol,
    port: validateInteger(options.port ?? 53, 'port', 1, 65535),
    timeoutMs: validateInteger(options.timeoutMs ?? 2000, 'timeoutMs', 1, 60_000),
    warnLatencyMs: validateInteger(options.warnLatencyMs ?? 200, 'warnLatencyMs', 0, 60_000),
    expect: options.expect,
    from: options.from ?? 'local',
  };
}

export interface DnsEvidence {
  server: string;
  protocol: 'udp' | 'tcp';
  name: string;
  type: DnsRecordType;
  latencyMs: number | undefined;
  rcode: string | undefined;
  answers: DnsAnswer[];
  error: string | undefined;
}

/**
 * A real DNS query to `server` through `exchanger` (this host's sockets, or a probe run on a node).
 * Codes: `OK`; `DNS_NO_ANSWER` (fail: timeout, refused, garbled); `DNS_ERROR_RCODE` (fail: SERVFAIL …);
 * `DNS_EMPTY` / `DNS_UNEXPECTED_ANSWER` (fail); `DNS_SLOW` (warn).
 */
export async function checkDns(
  exchanger: Exchanger,
  server: string,
  options: DnsCheckOptions = {},
): Promise<CheckResult<DnsEvidence>> {
  const started = performance.now();
  const addr = validateAddress(server, 'server');
  const opts = resolveDnsCheckOptions(options);
  const id = randomInt(0, 0x10000);
  const evidence: DnsEvidence = {
    server: addr, protocol: opts.protocol, name: opts.name, type: opts.type,
    latencyMs: undefined, rcode: undefined, answers: [], error: undefined,
  };
  const target = `dns ${addr}/${opts.protocol} from ${opts.from}`;
  const done = (status: 'ok' | 'warn' | 'fail', code: string, summary: string) =>
    makeResult('dns', target, status, code, summary, evidence, started);
  const reply = await exchanger({
    protocol: opts.protocol, address: addr, port: opts.port, payload: encodeDnsQuery(id, opts.name, opts.type), timeoutMs: opts.timeoutMs,
  });
  evidence.latencyMs = round(reply.rttMs);
  if (!reply.ok) {
    evidence.error = reply.error;
    return done('fail', 'DNS_NO_ANSWER', `no DNS answer from ${addr} over ${opts.protocol}: ${reply.error}`);
  }
  let response: DnsResponse;
  try {
    response = decodeDnsResponse(reply.response);
  } catch (error) {
    evidence.error = describeError(error);
    return done('fail', 'DNS_NO_ANSWER', `garbled DNS answer from ${addr}: ${evidence.error}`);
  }
  evidence.rcode = response.rcode;
  evidence.answers = response.answers;
  if (response.id !== id) return done('fail', 'DNS_NO_ANSWER', `DNS answer from ${addr} has id ${response.id}, expected ${id}`);
  if (response.rcode !== 'NOERROR') return done('fail', 'DNS_ERROR_RCODE', `${addr} answered ${response.rcode} for ${opts.name} ${opts.type}`);
  const relevant = response.answers.filter((a) => a.type === opts.type);
  if (relevant.length === 0) return done('fail', 'DNS_EMPTY', `${addr} returned no ${opts.type} record for ${opts.name}`);
  // Addresses compare by value: `2001:db8:0:0:1::` and `2001:db8::1:0:0:0`... spell the same address differently.
  const expected = opts.expect?.map(canonicalAddress);
  if (expected && !relevant.some((a) => expected.includes(canonicalAddress(a.data)))) {
    return done('fail', 'DNS_UNEXPECTED_ANSWER', `${addr} answered ${relevant.map((a) => a.data).join(', ')}, expected one of ${(opts.expect ?? []).join(', ')}`);
  }
  const answers = relevant.map((a) => a.data).join(', ');
  if (reply.rttMs > opts.warnLatencyMs) return done('warn', 'DNS_SLOW', `${answers} in ${evidence.latencyMs} ms (over ${opts.warnLatencyMs} ms)`);
  return done('ok', 'OK', `${answers} in ${evidence.latencyMs} ms`);
}

export interface NtpCheckOptions {
  port?: number;
  timeoutMs?: number;
  /** |offset| above this is a warning (default 100 ms)… */
  warnOffsetMs?: number;
  /** …and above this a failure (default 1000 ms). */
  maxOffsetMs?: number;
  /** Stratum above this is a warning (default 4). */
  maxStratum?: number;
  from?: string;
}

export interface ResolvedNtpCheckOptions {
  port: number;
  timeoutMs: number;
  warnOffsetMs: number;
  maxOffsetMs: number;
  maxStratum: number;
  from: string;
}

export function resolveNtpCheckOptions(options: NtpCheckOptions = {}): ResolvedNtpCheckOptions {
  const warnOffsetMs = validateInteger(options.warnOffsetMs ?? 100, 'warnOffsetMs', 0, 3_600_000);
  return {
    port: validateInteger(options.port ?? 123, 'port', 1, 65535),
    timeoutMs: validateInteger(options.timeoutMs ?? 2000, 'timeoutMs', 1, 60_000),
    warnOffsetMs,
    maxOffsetMs: validateInteger(options.maxOffsetMs ?? 1000, 'maxOffsetMs', warnOffsetMs, 3_600_000),
    maxStratum: validateInteger(options.maxStratum ?? 4, 'maxStratum', 1, 15),
    from: options.from ?? 'local',
  };
}

export interface NtpEvidence {
  server: string;
  sample: NtpSample | undefined;
  error: string | undefined;
  latencyMs: number | undefined;
}

/**
 * A real NTPv4 client exchange (mode 3) with `server`. Codes: `OK`; `NTP_NO_ANSWER` (fail);
 * `NTP_UNSYNCHRONISED` (fail: stratum 0 kiss-o'-death or 16); `NTP_OFFSET` (warn/fail by size);
 * `NTP_STRATUM_HIGH` (warn).
 */
export async function checkNtp(
  exchanger: Exchanger,
  server: string,
  options: NtpCheckOptions = {},
): Promise<CheckResult<NtpEvidence>> {
  const started = performance.now();
  const addr = validateAddress(server, 'server');
  const opts = resolveNtpCheckOptions(options);
  const evidence: NtpEvidence = { server: addr, sample: undefined, error: undefined, latencyMs: undefined };
  const target = `ntp ${addr} from ${opts.from}`;
  const done = (status: 'ok' | 'warn' | 'fail', code: string, summary: string) =>
    makeResult('ntp', target, status, code, summary, evidence, started);
  const reply = await exchanger({
    protocol: 'udp', address: addr, port: opts.port, payload: encodeNtpRequest(Date.now()), timeoutMs: opts.timeoutMs, stampNtpTransmit: true,
  });
  evidence.latencyMs = round(reply.rttMs);
  if (!reply.ok) {
    evidence.error = reply.error;
    return done('fail', 'NTP_NO_ANSWER', `no NTP answer from ${addr}: ${reply.error}`);
  }
  let sample: NtpSample;
  try {
    sample = decodeNtpResponse(reply.response, reply.sent, reply.sentAt, reply.receivedAt);
  } catch (error) {
    evidence.error = describeError(error);
    return done('fail', 'NTP_NO_ANSWER', `garbled NTP answer from ${addr}: ${evidence.error}`);
  }
  evidence.sample = { ...sample, offsetMs: round(sample.offsetMs), delayMs: round(sample.delayMs) };
  const offset = Math.abs(sample.offsetMs);
  const facts = `stratum ${sample.stratum}, offset ${round(sample.offsetMs)} ms, delay ${round(sample.delayMs)} ms`;
  if (sample.stratum === 0 || sample.stratum >= 16 || sample.leap === 3) {
    return done('fail', 'NTP_UNSYNCHRONISED', `${addr} is not synchronised (${facts}${sample.stratum === 0 ? `, kiss code ${sample.refId}` : ''})`);
  }
  if (offset > opts.maxOffsetMs) return done('fail', 'NTP_OFFSET', `${facts}: offset above ${opts.maxOffsetMs} ms`);
  if (offset > opts.warnOffsetMs) return done('warn', 'NTP_OFFSET', `${facts}: offset above ${opts.warnOffsetMs} ms`);
  if (sample.stratum > opts.maxStratum) return done('warn', 'NTP_STRATUM_HIGH', `${facts}: stratum above ${opts.maxStratum}`);
  return done('ok', 'OK', facts);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
