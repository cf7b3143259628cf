import type { Node, NodeDetail, NodeListQuery, NodeState, SystemDiskHint } from '@fleet/machinedb-client';
import { machineDb } from '../api.js';
import { type Command, printJson, str } from '../command.js';
import { usageError } from '../errors.js';
import { intFlag, listFlag, oneOf, requireFlag, requirePositional } from '../flags.js';
import { dash, renderFields, renderTable } from '../table.js';

// The contract's NODE_STATES, repeated so help and validation need not load the client; a test keeps them equal.
export const NODE_STATE_NAMES: readonly NodeState[] = [
  'new',
  'inventoried',
  'ready-for-bmc',
  'bmc-configured',
  'installing',
  'deployed',
  'maintenance',
  'failed',
  'decommissioned',
];

const where = (n: Node): string =>
  n.location ? `${n.location.site}/${n.location.rack}${n.location.unit ? `/u${n.location.unit}` : ''}` : '-';
const primary = (n: Node): string => n.addresses.find((a) => a.purpose === 'primary')?.address ?? '-';

function nodeFields(n: NodeDetail | Node): Array<[string, string]> {
  return [
    ['id', n.id],
    ['hostname', dash(n.hostname)],
    ['fqdn', dash(n.fqdn)],
    ['state', `${n.state}${n.stateReason ? ` (${n.stateReason})` : ''} since ${n.stateSince}`],
    ['boot target', n.bootTarget],
    ['location', where(n)],
    [
      'system disk',
      n.systemDisk
        ? Object.entries(n.systemDisk)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')
        : '-',
    ],
    ['serial', dash(n.serial)],
    ['system uuid', n.systemUuid],
    ['macs', n.macs.join(', ') || '-'],
    ['addresses', n.addresses.map((a) => `${a.purpose} ${a.address}/${a.prefixLength}`).join(', ') || '-'],
    ['bmc', n.bmc ? `${dash(n.bmc.address)} user ${n.bmc.user}${n.bmc.passwordSet ? ' (password set)' : ''}` : '-'],
    ['asn', dash(n.asn)],
    ['cluster', dash(n.cluster)],
    ['roles', n.roles.join(', ') || '-'],
    ['groups', n.groups.join(', ') || '-'],
    ['tags', n.tags.join(', ') || '-'],
    ['version', String(n.version)],
  ];
}

export const nodesCommands: Command[] = [
  {
    name: 'nodes list',
    summary: 'list nodes, filtered',
    usage: '[--state S] [--site S] [--rack R] [--group G] [--role R] [--tag T] [--q TEXT] [--limit N]',
    options: {
      state: { type: 'string' },
      site: { type: 'string' },
      rack: { type: 'string' },
      group: { type: 'string' },
      role: { type: 'string' },
      tag: { type: 'string' },
      cluster: { type: 'string' },
      q: { type: 'string' },
      limit: { type: 'string' },
    },
    examples: ['fleet nodes list --state deployed --rack r01', 'fleet nodes list --q 3c:ec:ef --json'],
    async run(ctx) {
      const v = ctx.values;
      const state = oneOf(str(v, 'state'), NODE_STATE_NAMES, '--state');
      const query: Omit<NodeListQuery, 'cursor'> = {};
      if (state) query.state = state;
      for (const key of ['site', 'rack', 'group', 'role', 'tag', 'cluster', 'q'] as const) {
        const value = str(v, key);
        if (value !== undefined) query[key] = value;
      }
      const limit = intFlag(v, 'limit', 1, 1_000_000);
      const nodes: Node[] = [];
      for await (const node of (await machineDb(ctx)).iterateNodes({ ...query, limit: Math.min(limit ?? 500, 500) })) {
        nodes.push(node);
        if (limit !== undefined && nodes.length >= limit) break;
      }
      if (ctx.json) printJson(ctx.io, nodes);
      else
        ctx.io.out(
          renderTable(
            ['ID', 'HOSTNAME', 'STATE', 'LOCATION', 'ADDRESS', 'ROLES', 'GROUPS'],
            nodes.map((n) => [
              n.id,
              dash(n.hostname),
              n.state,
              where(n),
              primary(n),
              n.roles.join(',') || '-',
              n.groups.join(',') || '-',
            ]),
          ),
        );
      return 0;
    },
  },
  {
    name: 'nodes show',
    summary: 'show one node',
    usage: 'ID',
    examples: ['fleet nodes show n-3f2a9c', 'fleet nodes show n-3f2a9c --json | jq .inventory.disks'],
    async run(ctx) {
      const node = await (await machineDb(ctx)).getNode(
        requirePositional(ctx.positionals, 0, 'node ID (fleet nodes show ID)'),
      );
      if (ctx.json) printJson(ctx.io, node);
      else ctx.io.out(renderFields(nodeFields(node)));
      return 0;
    },
  },
  {
    name: 'nodes set-location',
    summary: "set a node's site, rack, room and unit",
    usage: 'ID --site S --rack R [--room R] [--unit N] [--reason TEXT]',
    options: {
      site: { type: 'string' },
      rack: { type: 'string' },
      room: { type: 'string' },
      unit: { type: 'string' },
      reason: { type: 'string' },
    },
    examples: ['fleet nodes set-location n-3f2a9c --site fra1 --rack r01 --unit 12'],
    async run(ctx) {
      const id = requirePositional(ctx.positionals, 0, 'node ID (fleet nodes set-location ID --site S --rack R)');
      const site = requireFlag(ctx.values, 'site', 'the site name, e.g. --site fra1');
      const rack = requireFlag(ctx.values, 'rack', 'the rack name, e.g. --rack r01');
      const room = str(ctx.values, 'room');
      const unit = intFlag(ctx.values, 'unit', 1, 60);
      const location = { site, rack, ...(room ? { room } : {}), ...(unit ? { unit } : {}) };
      return await update(ctx, id, { location });
    },
  },
  {
    name: 'nodes set-disk',
    summary: 'choose the system disk by stable facts (never /dev/sdX)',
    usage: 'ID (--by-id PATH | --serial S | --wwn W) [--reason TEXT]',
    options: {
      'by-id': { type: 'string' },
      serial: { type: 'string' },
      wwn: { type: 'string' },
      reason: { type: 'string' },
    },
    examples: [
      'fleet nodes set-disk n-3f2a9c --serial S64FNE0R812345',
      'fleet nodes set-disk n-3f2a9c --by-id /dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR_S64FNE0R812345',
    ],
    async run(ctx) {
      const id = requirePositional(ctx.positionals, 0, 'node ID (fleet nodes set-disk ID --serial S)');
      const hint: SystemDiskHint = {};
      const byId = str(ctx.values, 'by-id');
      const serial = str(ctx.values, 'serial');
      const wwn = str(ctx.values, 'wwn');
      if (byId) hint.byId = byId;
      if (serial) hint.serial = serial;
      if (wwn) hint.wwn = wwn;
      if (Object.keys(hint).length === 0) throw usageError('give at least one of --by-id PATH, --serial S, --wwn W');
      return await update(ctx, id, { systemDisk: hint });
    },
  },
  {
    name: 'nodes groups',
    summary: "replace or change a node's groups",
    usage: 'ID (--set a,b | --add a --remove b) [--reason TEXT]',
    options: {
      set: { type: 'string' },
      add: { type: 'string' },
      remove: { type: 'string' },
      reason: { type: 'string' },
    },
    examples: ['fleet nodes groups n-3f2a9c --set ceph-osd,prod', 'fleet nodes groups n-3f2a9c --add canary'],
    async run(ctx) {
      const id = requirePositional(ctx.positionals, 0, 'node ID (fleet nodes groups ID --set a,b)');
      const set = listFlag(ctx.values, 'set');
      const add = listFlag(ctx.values, 'add') ?? [];
      const remove = listFlag(ctx.values, 'remove') ?? [];
      if (!set && add.length === 0 && remove.length === 0) throw usageError('give --set a,b or --add/--remove');
      let groups = set;
      if (!groups) {
        const current = await (await machineDb(ctx)).getNode(id);
        groups = [...new Set([...current.groups, ...add])].filter((g) => !remove.includes(g));
      }
      return await update(ctx, id, { groups: [...new Set(groups)] });
    },
  },
  {
    name: 'nodes transition',
    summary: 'move a node to another lifecycle state',
    usage: `ID STATE --reason TEXT   (STATE: ${NODE_STATE_NAMES.join(', ')})`,
    options: { reason: { type: 'string' } },
    examples: [
      'fleet nodes transition n-3f2a9c maintenance --reason "PSU swap"',
      'fleet nodes transition n-3f2a9c bmc-configured --reason reinstall',
    ],
    async run(ctx) {
      const id = requirePositional(ctx.positionals, 0, 'node ID (fleet nodes transition ID STATE --reason TEXT)');
      const to = oneOf(requirePositional(ctx.positionals, 1, 'target STATE'), NODE_STATE_NAMES, 'STATE') as NodeState;
      const reason = requireFlag(ctx.values, 'reason', 'say why, e.g. --reason "PSU swap"');
      const node = await (await machineDb(ctx)).transitionNode(id, { to, reason });
      if (ctx.json) printJson(ctx.io, node);
      else ctx.io.out(`${node.id}: ${node.state} (boot target ${node.bootTarget})`);
      return 0;
    },
  },
  {
    name: 'nodes history',
    summary: 'show the change history of one node or of all nodes',
    usage: '[ID] [--limit N]',
    options: { limit: { type: 'string' } },
    examples: ['fleet nodes history n-3f2a9c', 'fleet nodes history --limit 20 --json'],
    async run(ctx) {
      const id = ctx.positionals[0];
      const limit = intFlag(ctx.values, 'limit', 1, 1000) ?? 100;
      const client = await machineDb(ctx);
      const page = id ? await client.listNodeHistory(id, { limit }) : await client.listHistory({ limit });
      if (ctx.json) printJson(ctx.io, page.items);
      else
        ctx.io.out(
          renderTable(
            ['SEQ', 'AT', 'NODE', 'ACTOR', 'ACTION', 'CHANGE', 'REASON'],
            page.items.map((h) => [
              String(h.seq),
              h.at,
              h.nodeId,
              `${h.actor.kind}:${h.actor.name}`,
              h.action,
              Object.keys(h.after)
                .map((k) => `${k}=${JSON.stringify(h.after[k])}`)
                .join(' ')
                .slice(0, 80) || '-',
              dash(h.reason),
            ]),
          ),
        );
      return 0;
    },
  },
];

async function update(
  ctx: Parameters<Command['run']>[0],
  id: string,
  change: Record<string, unknown>,
): Promise<number> {
  const client = await machineDb(ctx);
  const current = await client.getNode(id);
  const reason = str(ctx.values, 'reason');
  const node = await client.updateNode(id, { ...change, ...(reason ? { reason } : {}) }, { version: current.version });
  if (ctx.json) printJson(ctx.io, node);
  else ctx.io.out(renderFields(nodeFields(node)));
  return 0;
}
