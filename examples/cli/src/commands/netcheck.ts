import { formatTable, isFleetError } from '@fleet/core';
import type { CheckResult, DnsRecordType, Exchanger } from '@fleet/netcheck';
import { type Command, type CommandContext, type OptionSpec, printJson, str } from '../command.js';
import { CliError, usageError } from '../errors.js';
import { EXECUTOR_OPTIONS, executorFor } from '../executor.js';
import { intFlag, listFlag, numberFlag, oneOf, requirePositional } from '../flags.js';

/** `812 ms` under ten seconds, `12.3 s` above. */
export function formatDuration(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Prints one check result; exit 1 only on `fail` (a warning is shown, not fatal). */
function report(ctx: CommandContext, result: CheckResult): number {
  if (ctx.json) printJson(ctx.io, result);
  else {
    // The path-MTU check says how many packets it sent: the table shows it, and how long the check took.
    const probes = (result.evidence as { probes?: unknown } | null)?.probes;
    const counted = Array.isArray(probes);
    ctx.io.out(
      formatTable(
        ['CHECK', 'TARGET', 'STATUS', 'CODE', ...(counted ? ['PROBES'] : []), 'TIME', 'SUMMARY'],
        [
          [
            result.check,
            result.target,
            result.status.toUpperCase(),
            result.code,
            ...(counted ? [String(probes.length)] : []),
            formatDuration(result.durationMs),
            result.summary,
          ],
        ],
      ),
    );
  }
  return result.status === 'fail' ? 1 : 0;
}

/** API option names → the flag (or argument) a user typed, per command. */
type FlagNames = Readonly<Record<string, string>>;

/** Renames API option names in a message to the flags a user typed (`minMtu 1500` → `--min-mtu 1500`). */
function withFlagNames(message: string, flags: FlagNames, field?: unknown): string {
  let out = message;
  if (typeof field === 'string' && flags[field] && out.startsWith(field))
    out = `${flags[field]}${out.slice(field.length)}`;
  for (const [name, flag] of Object.entries(flags)) {
    if (/[A-Z]/.test(name)) out = out.replace(new RegExp(`\\b${name}\\b`, 'g'), flag);
  }
  return out;
}

/**
 * A package validation error caused by a flag is a usage error (exit 2) that names the flag, not the API
 * field: `maxMtu must be …` becomes `--max-mtu must be …`. The field is renamed where it opens the message
 * and, for camelCase fields, wherever it appears (`minMtu 1500 is above maxMtu 1400`). Any other package
 * error keeps its code and exit code, with camelCase option names in its advice renamed the same way.
 */
export function flagUsageError(error: unknown, flags: FlagNames): unknown {
  if (!isFleetError(error)) return error;
  if (error.code === 'VALIDATION_FAILED') {
    return usageError(withFlagNames(error.message, flags, (error.details as { field?: unknown } | undefined)?.field));
  }
  const message = withFlagNames(error.message, flags);
  // Any other bad input here also came from a flag or argument: netcheck reads no files (exit 2).
  if (error.kind === 'invalid') return new CliError(error.code, message, { input: 'usage', cause: error });
  if (message === error.message) return error;
  return new CliError(error.code, message, { kind: error.kind, retryable: error.retryable, cause: error });
}

const remote = (ctx: CommandContext): boolean => str(ctx.values, 'ssh') !== undefined;
const netcheckPackage = () => import('@fleet/netcheck');
async function exchangerFor(ctx: CommandContext): Promise<Exchanger> {
  const { createExecutorExchanger, createLocalExchanger } = await netcheckPackage();
  return remote(ctx) ? createExecutorExchanger(await executorFor(ctx)) : createLocalExchanger();
}

const netcheck = (
  name: string,
  summary: string,
  usage: string,
  options: OptionSpec,
  examples: string[],
  flags: FlagNames,
  run: Command['run'],
): Command => ({
  name: `netcheck ${name}`,
  summary,
  usage: `${usage} [--ssh HOST --identity KEY --known-hosts FILE]`,
  options: { ...options, ...EXECUTOR_OPTIONS },
  examples,
  run: async (ctx) => {
    try {
      return await run(ctx);
    } catch (error) {
      throw flagUsageError(error, flags);
    }
  },
});

export const netcheckCommands: Command[] = [
  netcheck(
    'mtu',
    'path MTU towards an address, finding PMTU black holes (exit 1 on fail)',
    'ADDRESS [--required-mtu N] [--max-mtu N] [--min-mtu N] [--method icmp|udp] [--pmtu-cache clear|keep]',
    {
      'required-mtu': { type: 'string' },
      'max-mtu': { type: 'string' },
      'min-mtu': { type: 'string' },
      method: { type: 'string' },
      // clear (default): forget the kernel's cached path MTU first (root); keep: trust it (no root needed).
      'pmtu-cache': { type: 'string' },
    },
    ['fleet netcheck mtu 10.20.1.7 --required-mtu 9000', 'fleet netcheck mtu 10.20.1.7 --ssh 10.20.0.17 --json'],
    {
      address: 'ADDRESS',
      requiredMtu: '--required-mtu',
      maxMtu: '--max-mtu',
      minMtu: '--min-mtu',
      method: '--method',
      pmtuCache: '--pmtu-cache',
    },
    async (ctx) => {
      const address = requirePositional(ctx.positionals, 0, 'ADDRESS (fleet netcheck mtu 10.20.1.7)');
      const requiredMtu = intFlag(ctx.values, 'required-mtu', 576, 65535);
      const maxMtu = intFlag(ctx.values, 'max-mtu', 576, 65535);
      const minMtu = intFlag(ctx.values, 'min-mtu', 576, 65535);
      const method = oneOf(str(ctx.values, 'method'), ['icmp', 'udp'] as const, '--method');
      const pmtuCache = oneOf(str(ctx.values, 'pmtu-cache'), ['clear', 'keep'] as const, '--pmtu-cache');
      return report(
        ctx,
        await (await netcheckPackage()).checkPathMtu(await executorFor(ctx), address, {
          ...(requiredMtu ? { requiredMtu } : {}),
          ...(maxMtu ? { maxMtu } : {}),
          ...(minMtu ? { minMtu } : {}),
          ...(method ? { method } : {}),
          ...(pmtuCache ? { pmtuCache } : {}),
        }),
      );
    },
  ),
  netcheck(
    'bgp',
    'BGP sessions of the local BIRD (exit 1 when one is down)',
    '[--socket PATH] [--min-uptime SECONDS]',
    { socket: { type: 'string' }, 'min-uptime': { type: 'string' } },
    ['fleet netcheck bgp', 'fleet netcheck bgp --socket /run/bird/bird.ctl --min-uptime 300'],
    { socket: '--socket', minUptimeSeconds: '--min-uptime' },
    async (ctx) => {
      const socket = str(ctx.values, 'socket');
      const minUptimeSeconds = intFlag(ctx.values, 'min-uptime', 0, 31_536_000);
      return report(
        ctx,
        await (await netcheckPackage()).checkBgpSessions(await executorFor(ctx), {
          ...(socket ? { socket } : {}),
          ...(minUptimeSeconds ? { minUptimeSeconds } : {}),
        }),
      );
    },
  ),
  netcheck(
    'dns',
    'ask a DNS server one question (exit 1 when it does not answer right)',
    'SERVER [--name NAME] [--type A|AAAA|…] [--protocol udp|tcp] [--port N] [--expect a,b]',
    {
      name: { type: 'string' },
      type: { type: 'string' },
      protocol: { type: 'string' },
      port: { type: 'string' },
      expect: { type: 'string' },
    },
    ['fleet netcheck dns 10.255.0.53 --name fleet.internal --expect 10.20.0.1'],
    { server: 'SERVER', name: '--name', type: '--type', protocol: '--protocol', port: '--port' },
    async (ctx) => {
      const server = requirePositional(ctx.positionals, 0, 'SERVER address (fleet netcheck dns 10.255.0.53)');
      const name = str(ctx.values, 'name');
      const type = str(ctx.values, 'type') as DnsRecordType | undefined;
      const protocol = oneOf(str(ctx.values, 'protocol'), ['udp', 'tcp'] as const, '--protocol');
      const port = intFlag(ctx.values, 'port', 1, 65535);
      const expect = listFlag(ctx.values, 'expect');
      return report(
        ctx,
        await (await netcheckPackage()).checkDns(await exchangerFor(ctx), server, {
          ...(name ? { name } : {}),
          ...(type ? { type } : {}),
          ...(protocol ? { protocol } : {}),
          ...(port ? { port } : {}),
          ...(expect ? { expect } : {}),
        }),
      );
    },
  ),
  netcheck(
    'ntp',
    'one NTPv4 exchange: stratum and clock offset (exit 1 on fail)',
    'SERVER [--port N] [--max-offset-ms N]',
    { port: { type: 'string' }, 'max-offset-ms': { type: 'string' } },
    ['fleet netcheck ntp 10.255.0.123'],
    { server: 'SERVER', port: '--port', maxOffsetMs: '--max-offset-ms' },
    async (ctx) => {
      const server = requirePositional(ctx.positionals, 0, 'SERVER address (fleet netcheck ntp 10.255.0.123)');
      const port = intFlag(ctx.values, 'port', 1, 65535);
      const maxOffsetMs = intFlag(ctx.values, 'max-offset-ms', 1, 3_600_000);
      return report(
        ctx,
        await (await netcheckPackage()).checkNtp(await exchangerFor(ctx), server, {
          ...(port ? { port } : {}),
          ...(maxOffsetMs ? { maxOffsetMs } : {}),
        }),
      );
    },
  ),
  netcheck(
    'throughput',
    'iperf3 towards a running iperf3 -s (exit 1 under the floor)',
    'SERVER [--floor-gbps N] [--seconds N] [--streams N] [--port N] [--reverse]',
    {
      'floor-gbps': { type: 'string' },
      seconds: { type: 'string' },
      streams: { type: 'string' },
      port: { type: 'string' },
      reverse: { type: 'boolean' },
    },
    ['fleet netcheck throughput 10.20.1.7 --floor-gbps 20 --seconds 5'],
    { address: 'SERVER', floorGbps: '--floor-gbps', seconds: '--seconds', streams: '--streams', port: '--port' },
    async (ctx) => {
      const server = requirePositional(ctx.positionals, 0, 'SERVER address (fleet netcheck throughput 10.20.1.7)');
      const floorGbps = numberFlag(ctx.values, 'floor-gbps', 0);
      const seconds = intFlag(ctx.values, 'seconds', 1, 3600);
      const streams = intFlag(ctx.values, 'streams', 1, 128);
      const port = intFlag(ctx.values, 'port', 1, 65535);
      return report(
        ctx,
        await (await netcheckPackage()).checkThroughput(await executorFor(ctx), server, {
          ...(floorGbps !== undefined ? { floorGbps } : {}),
          ...(seconds ? { seconds } : {}),
          ...(streams ? { streams } : {}),
          ...(port ? { port } : {}),
          ...(ctx.values.reverse === true ? { reverse: true } : {}),
        }),
      );
    },
  ),
];
