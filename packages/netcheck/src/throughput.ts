import { type Executor, ValidationError, validateInteger } from '@fleet/core';
import { validateAddress } from './address.js';
import { NetcheckError } from './errors.js';
import { parseJson } from './mtu.js';
import { type CheckResult, makeResult, plural } from './result.js';

export interface Iperf3Summary {
  /** Sender-side rate in Gbit/s. */
  sentGbps: number;
  /** Receiver-side rate in Gbit/s: what actually arrived. */
  receivedGbps: number;
  retransmits: number | undefined;
  seconds: number;
  bytes: number;
  streams: number;
}

interface Iperf3Json {
  error?: string;
  start?: { test_start?: { num_streams?: number } };
  end?: {
    sum_sent?: { bits_per_second?: number; retransmits?: number; seconds?: number; bytes?: number };
    sum_received?: { bits_per_second?: number; seconds?: number; bytes?: number };
    sum?: { bits_per_second?: number; retransmits?: number; seconds?: number; bytes?: number };
  };
}

/** Parses `iperf3 -c … -J` output; an `error` member (server busy, refused) becomes NETCHECK_TOOL_FAILED. */
export function parseIperf3(json: string): Iperf3Summary {
  const data = parseJson(json, 'iperf3 -J') as Iperf3Json;
  if (typeof data.error === 'string') {
    throw new NetcheckError('NETCHECK_TOOL_FAILED', `iperf3 reported: ${data.error}`);
  }
  const sent = data.end?.sum_sent ?? data.end?.sum;
  const received = data.end?.sum_received ?? data.end?.sum;
  if (typeof sent?.bits_per_second !== 'number' || typeof received?.bits_per_second !== 'number') {
    throw new NetcheckError('NETCHECK_PARSE_FAILED', 'iperf3 -J output has no end.sum_sent / end.sum_received');
  }
  return {
    sentGbps: sent.bits_per_second / 1e9,
    receivedGbps: received.bits_per_second / 1e9,
    retransmits: sent.retransmits,
    seconds: received.seconds ?? sent.seconds ?? 0,
    bytes: received.bytes ?? sent.bytes ?? 0,
    streams: data.start?.test_start?.num_streams ?? 1,
  };
}

export interface ThroughputOptions {
  /** Below this received rate the check fails (Gbit/s). Default 1. */
  floorGbps?: number;
  /** More retransmits than this is a warning. Default: unlimited. */
  maxRetransmits?: number;
  /** Test length in seconds (default 2). */
  seconds?: number;
  /** Parallel streams (default 1). */
  streams?: number;
  /** iperf3 server port (default 5201). */
  port?: number;
  /** Measure server → client instead (`-R`). */
  reverse?: boolean;
  from?: string;
}

export interface ResolvedThroughputOptions {
  floorGbps: number;
  maxRetransmits: number | undefined;
  seconds: number;
  streams: number;
  port: number;
  reverse: boolean;
  from: string | undefined;
}

export function resolveThroughputOptions(options: ThroughputOptions = {}): ResolvedThroughputOptions {
  const floorGbps = options.floorGbps ?? 1;
  if (typeof floorGbps !== 'number' || !(floorGbps >= 0) || !Number.isFinite(floorGbps)) {
    throw new ValidationError('floorGbps', `floorGbps must be a number >= 0, got ${JSON.stringify(floorGbps)}`);
  }
  return {
    floorGbps,
    maxRetransmits:
      options.maxRetransmits === undefined ? undefined : validateInteger(options.maxRetransmits, 'maxRetransmits', 0, 1e12),
    seconds: validateInteger(options.seconds ?? 2, 'seconds', 1, 600),
    streams: validateInteger(options.streams ?? 1, 'streams', 1, 128),
    port: validateInteger(options.port ?? 5201, 'port', 1, 65535),
    reverse: options.reverse ?? false,
    from: options.from,
  };
}

export interface ThroughputEvidence extends Iperf3Summary {
  floorGbps: number;
}

/**
 * TCP throughput from the executor's host to an `iperf3 -s` at `address`. Codes: `OK`,
 * `THROUGHPUT_LOW` (fail, under the floor), `RETRANSMITS_HIGH` (warn).
 */
export async function checkThroughput(
  executor: Executor,
  address: string,
  options: ThroughputOptions = {},
): Promise<CheckResult<ThroughputEvidence>> {
  const started = performance.now();
  const addr = validateAddress(address);
  const opts = resolveThroughputOptions(options);
  const args = ['-c', addr, '-J', '-t', String(opts.seconds), '-P', String(opts.streams), '-p', String(opts.port)];
  if (opts.reverse) args.push('-R');
  const run = await executor.run('iperf3', args, { timeoutMs: opts.seconds * 1000 + 30_000 });
  // iperf3 -J prints its error inside the JSON and exits 1; parseIperf3 turns that into an error.
  if (run.code !== 0 && !run.stdout.trim().startsWith('{')) {
    throw new NetcheckError('NETCHECK_TOOL_FAILED', `iperf3 on ${executor.target} failed: ${run.stderr.trim()}`);
  }
  const summary = parseIperf3(run.stdout);
  const evidence: ThroughputEvidence = { ...summary, floorGbps: opts.floorGbps };
  const target = `${addr} from ${opts.from ?? executor.target}`;
  const rate = `${summary.receivedGbps.toFixed(2)} Gbit/s`;
  const retr = summary.retransmits === undefined ? '' : `, ${plural(summary.retransmits, 'retransmit')}`;
  if (summary.receivedGbps < opts.floorGbps) {
    return makeResult('throughput', target, 'fail', 'THROUGHPUT_LOW', `${rate}${retr}, under the floor of ${opts.floorGbps} Gbit/s`, evidence, started);
  }
  if (opts.maxRetransmits !== undefined && (summary.retransmits ?? 0) > opts.maxRetransmits) {
    return makeResult('throughput', target, 'warn', 'RETRANSMITS_HIGH', `${rate}${retr}, more than ${opts.maxRetransmits} allowed`, evidence, started);
  }
  return makeResult('throughput', target, 'ok', 'OK', `${rate}${retr}`, evidence, started);
}
