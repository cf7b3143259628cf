import { readFileSync, writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { formatTable } from '@fleet/core';
import type { IpamAddPrefixBody, IpamAllocateBody } from '@fleet/ipam';
import { ipamApi, machineDb } from '../api.js';
import type { CommandContext } from '../command.js';
import { type Command, printJson, str } from '../command.js';
import { configError, usageError } from '../errors.js';
import { intFlag, listFlag, oneOf, requireFlag, requirePositional } from '../flags.js';
import { NODE_REF_HELP, resolveNode } from '../node-ref.js';
import { dash } from '../table.js';

// The server's IPAM shapes, typed locally: the CLI only shows them.
interface IpamPrefix {
  id: number;
  vrf: string;
  prefix: string;
  kind: string;
  status: string;
  description: string;
  function: string;
  tags: string[];
  node: string | null;
  pool: string | null;
}
interface IpamPoolRow {
  name: string;
  vrf: string;
  description: string;
  usage: { v4: { total: string; used: string; free: string; prefixes: number } };
}
interface IpamHistoryEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  vrf: string | null;
  subject: string;
}

const prefixRows = (items: IpamPrefix[]) =>
  formatTable(
    ['PREFIX', 'VRF', 'KIND', 'STATUS', 'POOL', 'NODE', 'FUNCTION', 'DESCRIPTION'],
    items.map((p) => [
      p.prefix,
      p.vrf,
      p.kind,
      p.status,
      dash(p.pool),
      dash(p.node),
      dash(p.function),
      dash(p.description),
    ]),
  );

/** The object without its undefined fields (the client's query types have optional, not undefined, fields). */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

const asList = (value: IpamPrefix | IpamPrefix[]): IpamPrefix[] => (Array.isArray(value) ? value : [value]);

/**
 * `--node` names a MachineDB node by id, hostname, MAC or serial; IPAM records its id. With `strict` unset a
 * name MachineDB does not know is kept as written (IPAM also records devices MachineDB does not hold).
 */
async function nodeIdFor(ctx: CommandContext, strict: boolean): Promise<string | undefined> {
  const ref = str(ctx.values, 'node');
  if (ref === undefined) return undefined;
  try {
    return (await resolveNode(await machineDb(ctx), ref)).id;
  } catch (error) {
    if (!strict && (error as { code?: unknown }).code === 'NODE_NOT_FOUND') return ref;
    throw error;
  }
}

const NODE_OPTION = {
  type: 'string',
  arg: 'NODE',
  description: `the MachineDB node (${NODE_REF_HELP}); its id is recorded`,
} as const;

export const ipamCommands: Command[] = [
  {
    name: 'ipam prefixes',
    summary: 'list the prefixes under a parent (top level without --parent)',
    usage: '[--parent CIDR] [--vrf NAME] [--family 4|6]',
    options: {
      parent: { type: 'string', arg: 'CIDR', description: 'list the children of this prefix (default: top level)' },
      vrf: { type: 'string', arg: 'NAME', description: 'VRF (default: the default VRF)' },
      family: { type: 'string', arg: '4|6', description: 'only IPv4 or IPv6 (default: both)' },
    },
    examples: ['fleet ipam prefixes', 'fleet ipam prefixes --parent 10.20.0.0/22'],
    async run(ctx) {
      const family = oneOf(str(ctx.values, 'family'), ['4', '6'] as const, '--family');
      const items: IpamPrefix[] = await (await ipamApi(ctx)).listPrefixes(
        defined({ parent: str(ctx.values, 'parent'), vrf: str(ctx.values, 'vrf'), family }),
      );
      if (ctx.json) printJson(ctx.io, items);
      else ctx.io.out(prefixRows(items));
      return 0;
    },
  },
  {
    name: 'ipam search',
    summary: 'find prefixes by tag, function, description, node or pool',
    usage: '[--tag T] [--function F] [--description TEXT] [--node N] [--pool P]',
    options: {
      tag: { type: 'string', arg: 'T', description: 'prefixes with this tag' },
      function: { type: 'string', arg: 'F', description: 'prefixes with this function' },
      description: { type: 'string', arg: 'TEXT', description: 'prefixes whose description contains TEXT' },
      node: { ...NODE_OPTION, description: `prefixes of this node (${NODE_REF_HELP})` },
      pool: { type: 'string', arg: 'P', description: 'prefixes of this pool' },
    },
    examples: ['fleet ipam search --node cmp-0001', 'fleet ipam search --function "anycast dns"'],
    async run(ctx) {
      const query: Record<string, string | undefined> = {};
      for (const k of ['tag', 'function', 'description', 'pool']) query[k] = str(ctx.values, k);
      query.node = await nodeIdFor(ctx, false);
      const items: IpamPrefix[] = await (await ipamApi(ctx)).searchPrefixes(defined(query));
      if (ctx.json) printJson(ctx.io, items);
      else ctx.io.out(prefixRows(items));
      return 0;
    },
  },
  {
    name: 'ipam lookup',
    summary: 'the most specific prefix holding an address',
    usage: 'ADDRESS',
    examples: ['fleet ipam lookup 10.20.0.17'],
    async run(ctx) {
      const address = requirePositional(ctx.positionals, 0, 'ADDRESS (fleet ipam lookup 10.20.0.17)');
      const found: IpamPrefix = await (await ipamApi(ctx)).lookup(address);
      if (ctx.json) printJson(ctx.io, found);
      else ctx.io.out(prefixRows([found]));
      return 0;
    },
  },
  {
    name: 'ipam pools',
    summary: 'list allocation pools with their usage',
    usage: '',
    examples: ['fleet ipam pools', 'fleet ipam pools --json'],
    async run(ctx) {
      const pools: IpamPoolRow[] = await (await ipamApi(ctx)).listPools();
      if (ctx.json) printJson(ctx.io, pools);
      else
        ctx.io.out(
          formatTable(
            ['POOL', 'VRF', 'V4 USED', 'V4 FREE', 'V4 TOTAL', 'PREFIXES', 'DESCRIPTION'],
            pools.map((p) => [
              p.name,
              p.vrf,
              p.usage.v4.used,
              p.usage.v4.free,
              p.usage.v4.total,
              String(p.usage.v4.prefixes),
              dash(p.description),
            ]),
          ),
        );
      return 0;
    },
  },
  {
    name: 'ipam add-prefix',
    summary: 'add a prefix (reservation, assignment or host)',
    usage:
      'CIDR --kind reservation|assignment|host [--pool P] [--vrf V] [--description D] [--function F] [--tags a,b] [--node N]',
    options: {
      kind: { type: 'string', arg: 'KIND', description: 'reservation, assignment or host (required)' },
      pool: { type: 'string', arg: 'P', description: 'make the prefix part of this pool' },
      vrf: { type: 'string', arg: 'V', description: 'VRF (default: the default VRF)' },
      description: { type: 'string', arg: 'D', description: 'free text' },
      function: { type: 'string', arg: 'F', description: 'what the prefix is for' },
      tags: { type: 'string', arg: 'a,b', description: 'comma-separated tags' },
      node: NODE_OPTION,
    },
    examples: ['fleet ipam add-prefix 10.30.0.0/24 --kind assignment --description "storage net"'],
    async run(ctx) {
      const prefix = requirePositional(
        ctx.positionals,
        0,
        'CIDR (fleet ipam add-prefix 10.30.0.0/24 --kind assignment)',
      );
      const kind = oneOf(
        requireFlag(ctx.values, 'kind', 'reservation, assignment or host'),
        ['reservation', 'assignment', 'host'] as const,
        '--kind',
      );
      const body: Record<string, unknown> = { prefix, kind };
      for (const k of ['pool', 'vrf', 'description', 'function']) {
        const v = str(ctx.values, k);
        if (v !== undefined) body[k] = v;
      }
      const node = await nodeIdFor(ctx, false);
      if (node !== undefined) body.node = node;
      const tags = listFlag(ctx.values, 'tags');
      if (tags) body.tags = tags;
      const created: IpamPrefix = await (await ipamApi(ctx)).addPrefix(body as unknown as IpamAddPrefixBody);
      if (ctx.json) printJson(ctx.io, created);
      else ctx.io.out(prefixRows([created]));
      return 0;
    },
  },
  {
    name: 'ipam allocate',
    summary: 'allocate the next free address(es) or prefix(es) from a pool or a parent prefix',
    usage:
      '(--pool P | --from CIDR) [--what address|prefix|transfer] [--length N] [--count N] [--family 4|6] [--node N] [--function F] [--description D]',
    options: {
      pool: { type: 'string', arg: 'P', description: 'allocate from this pool' },
      from: { type: 'string', arg: 'CIDR', description: 'allocate inside this parent prefix' },
      what: {
        type: 'string',
        arg: 'KIND',
        description: 'address, prefix or transfer (default: prefix with --length, else address)',
      },
      length: { type: 'string', arg: 'N', description: 'prefix length of each allocation' },
      count: { type: 'string', arg: 'N', description: 'how many, 1..4096 (default: 1)' },
      family: { type: 'string', arg: '4|6', description: 'address family (default: the pool’s first)' },
      node: NODE_OPTION,
      function: { type: 'string', arg: 'F', description: 'what the allocation is for' },
      description: { type: 'string', arg: 'D', description: 'free text' },
    },
    examples: [
      'fleet ipam allocate --pool primary --node cmp-0001',
      'fleet ipam allocate --from 10.30.0.0/24 --length 28 --count 2 --function k8s',
    ],
    async run(ctx) {
      const pool = str(ctx.values, 'pool');
      const from = str(ctx.values, 'from');
      if (!pool === !from) throw usageError('give exactly one of --pool NAME or --from CIDR');
      const length = intFlag(ctx.values, 'length', 0, 128);
      const count = intFlag(ctx.values, 'count', 1, 4096);
      const family = oneOf(str(ctx.values, 'family'), ['4', '6'] as const, '--family');
      const what =
        oneOf(str(ctx.values, 'what'), ['address', 'prefix', 'transfer'] as const, '--what') ??
        (length !== undefined ? 'prefix' : 'address');
      const body: Record<string, unknown> = { what };
      if (pool) body.pool = pool;
      if (from) body.from = from;
      if (length !== undefined) body.length = length;
      if (count !== undefined) body.count = count;
      if (family) body.family = Number(family);
      for (const k of ['function', 'description']) {
        const v = str(ctx.values, k);
        if (v !== undefined) body[k] = v;
      }
      const node = await nodeIdFor(ctx, true);
      if (node !== undefined) body.node = node;
      const result = (await (await ipamApi(ctx)).allocate(body as unknown as IpamAllocateBody)) as
        | IpamPrefix
        | IpamPrefix[];
      if (ctx.json) printJson(ctx.io, result);
      // The server records the pool on the pool's own prefixes; the table says which pool an address came from.
      else ctx.io.out(prefixRows(asList(result).map((p) => ({ ...p, pool: p.pool ?? pool ?? null }))));
      return 0;
    },
  },
  {
    name: 'ipam release',
    summary: 'release an allocated prefix or address',
    usage: 'CIDR [--vrf V] [--recursive]',
    options: {
      vrf: { type: 'string', arg: 'V', description: 'VRF (default: the default VRF)' },
      recursive: { type: 'boolean', description: 'also release everything allocated inside it' },
    },
    examples: ['fleet ipam release 10.20.0.17/32', 'fleet ipam release 10.30.0.16/28 --recursive'],
    async run(ctx) {
      const prefix = requirePositional(ctx.positionals, 0, 'CIDR (fleet ipam release 10.20.0.17/32)');
      const vrf = str(ctx.values, 'vrf');
      const result = await (await ipamApi(ctx)).release({
        prefix,
        ...(vrf ? { vrf } : {}),
        ...(ctx.values.recursive ? { recursive: true } : {}),
      });
      if (ctx.json) printJson(ctx.io, result);
      else ctx.io.out(`released ${prefix}`);
      return 0;
    },
  },
  {
    name: 'ipam export',
    summary: 'export the whole address plan as JSON or CSV',
    usage: '[--format json|csv] [--out FILE]',
    options: {
      format: { type: 'string', arg: 'json|csv', description: 'output format', default: 'json' },
      out: { type: 'string', arg: 'FILE', description: 'write to FILE (default: stdout)' },
    },
    examples: ['fleet ipam export --format csv > plan.csv', 'fleet ipam export --out plan.json'],
    async run(ctx) {
      const format = oneOf(str(ctx.values, 'format'), ['json', 'csv'] as const, '--format') ?? 'json';
      const text = await (await ipamApi(ctx)).exportPlan(format);
      const out = str(ctx.values, 'out');
      if (out) {
        writeFileSync(resolve(ctx.io.cwd, out), text.endsWith('\n') ? text : `${text}\n`);
        if (ctx.json) printJson(ctx.io, { file: resolve(ctx.io.cwd, out), format, bytes: Buffer.byteLength(text) });
        else ctx.io.out(`wrote ${out} (${format})`);
      } else ctx.io.out(text);
      return 0;
    },
  },
  {
    name: 'ipam import',
    summary: 'import an address plan (JSON or CSV, as written by export)',
    usage: 'FILE [--format json|csv]',
    options: {
      format: { type: 'string', arg: 'json|csv', description: 'input format (default: csv for *.csv, else json)' },
    },
    examples: ['fleet ipam import plan.csv', 'fleet ipam import plan.json --json'],
    async run(ctx) {
      const file = requirePositional(ctx.positionals, 0, 'FILE (fleet ipam import plan.csv)');
      const format =
        oneOf(str(ctx.values, 'format'), ['json', 'csv'] as const, '--format') ??
        (extname(file).toLowerCase() === '.csv' ? 'csv' : 'json');
      let data: string;
      try {
        data = readFileSync(resolve(ctx.io.cwd, file), 'utf8');
      } catch {
        throw configError(`cannot read ${file}`);
      }
      const result = await (await ipamApi(ctx)).importPlan(data, format);
      if (ctx.json) printJson(ctx.io, result);
      else
        ctx.io.out(
          `imported ${file}: ${result.added} added, ${result.updated} updated, ${result.vrfsAdded} VRFs, ${result.poolsAdded} pools`,
        );
      return 0;
    },
  },
  {
    name: 'ipam history',
    summary: 'recent IPAM changes',
    usage: '[--limit N]',
    options: { limit: { type: 'string', arg: 'N', description: 'the newest N changes, 1..5000', default: '50' } },
    examples: ['fleet ipam history --limit 20'],
    async run(ctx) {
      const limit = intFlag(ctx.values, 'limit', 1, 5000) ?? 50;
      const entries: IpamHistoryEntry[] = await (await ipamApi(ctx)).history({ limit });
      if (ctx.json) printJson(ctx.io, entries);
      else
        ctx.io.out(
          formatTable(
            ['AT', 'ACTOR', 'ACTION', 'VRF', 'SUBJECT'],
            entries.map((e) => [e.at, e.actor, e.action, dash(e.vrf), e.subject]),
          ),
        );
      return 0;
    },
  },
];
