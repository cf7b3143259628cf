import { formatTable } from '@fleet/core';
import {
  NODE_STATES,
  type Node,
  type NodeDetail,
  type NodeListQuery,
  type NodeState,
  type SystemDiskHint,
} from '@fleet/machinedb-contract';
import { machineDb } from '../api.js';
import { type Command, printJson, str } from '../command.js';
import { usageError } from '../errors.js';
import { intFlag, listFlag, oneOf, requireFlag, requirePositional } from '../flags.js';
import { byHostname, NODE_REF_HELP, resolveNode } from '../node-ref.js';
import { dash, renderFields } from '../table.js';

/** The node states, from the contract (help, validation and completion list them). */
export const NODE_STATE_NAMES: readonly NodeState[] = NODE_STATES;

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
    usage: '[--state S] [--site S] [--rack R] [--group G] [--role R] [--tag T] [--cluster C] [--q TEXT] [--limit N]',
    options: {
      state: { type: 'string', arg: 'S', description: `only nodes in this state (${NODE_STATE_NAMES.join(', ')})` },
      site: { type: 'string', arg: 'S', description: 'only nodes at this site' },
      rack: { type: 'string', arg: 'R', description: 'only nodes in this rack' },
      group: { type: 'string', arg: 'G', description: 'only members of this MachineDB group' },
      role: { type: 'string', arg: 'R', description: 'only nodes with this role' },
      tag: { type: 'string', arg: 'T', description: 'only nodes with this tag' },
      cluster: { type: 'string', arg: 'C', description: 'only nodes of this cluster' },
      q: { type: 'string', arg: 'TEXT', description: 'free text in id, hostname, FQDN, serial, UUID or a MAC' },
      limit: { type: 'string', arg: 'N', description: 'at most N nodes (default: all)' },
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
      nodes.sort(byHostname);
      if (ctx.json) printJson(ctx.io, nodes);
      else
        ctx.io.out(
          formatTable(
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
    usage: 'NODE',
    examples: [
      'fleet nodes show cmp-0001',
      'fleet nodes show 3c:ec:ef:00:01:01',
      'fleet nodes show CZ0001 --json | jq .inventory.disks',
    ],
    async run(ctx) {
      const client = await machineDb(ctx);
      const ref = await resolveNode(client, requirePositional(ctx.positionals, 0, `NODE (${NODE_REF_HELP})`));
      const node = await client.getNode(ref.id);
      if (ctx.json) printJson(ctx.io, node);
      else ctx.io.out(renderFields(nodeFields(node)));
      return 0;
    },
  },
  {
    name: 'nodes set-location',
    summary: "set a node's site, rack, room and unit",
    usage: 'NODE --site S --rack R [--room R] [--unit N] [--reason TEXT]',
    options: {
      site: { type: 'string', arg: 'S', description: 'site name (required)' },
      rack: { type: 'string', arg: 'R', description: 'rack name (required)' },
      room: { type: 'string', arg: 'R', description: 'room (default: none)' },
      unit: { type: 'string', arg: 'N', description: 'rack unit 1..60 (default: none)' },
      reason: { type: 'string', arg: 'TEXT', description: "why, kept in the node's history" },
    },
    examples: ['fleet nodes set-location cmp-0001 --site fra1 --rack r01 --unit 12'],
    async run(ctx) {
      const id = requirePositional(
        ctx.positionals,
        0,
        `NODE (${NODE_REF_HELP}): fleet nodes set-location NODE --site S --rack R`,
      );
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
    usage: 'NODE (--by-id PATH | --serial S | --wwn W) [--reason TEXT]',
    options: {
      'by-id': { type: 'string', arg: 'PATH', description: 'the disk by its /dev/disk/by-id/… path' },
      serial: { type: 'string', arg: 'S', description: "the disk's serial number" },
      wwn: { type: 'string', arg: 'W', description: "the disk's WWN" },
      reason: { type: 'string', arg: 'TEXT', description: "why, kept in the node's history" },
    },
    examples: [
      'fleet nodes set-disk cmp-0001 --serial S64FNE0R812345',
      'fleet nodes set-disk cmp-0001 --by-id /dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR_S64FNE0R812345',
    ],
    async run(ctx) {
      const id = requirePositional(ctx.positionals, 0, `NODE (${NODE_REF_HELP}): fleet nodes set-disk NODE --serial S`);
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
    usage: 'NODE (--set a,b | --add a --remove b) [--reason TEXT]',
    options: {
      set: { type: 'string', arg: 'a,b', description: 'replace all groups with this comma-separated list' },
      add: { type: 'string', arg: 'a,b', description: 'add these groups' },
      remove: { type: 'string', arg: 'a,b', description: 'remove these groups' },
      reason: { type: 'string', arg: 'TEXT', description: "why, kept in the node's history" },
    },
    examples: ['fleet nodes groups cmp-0001 --set ceph-osd,prod', 'fleet nodes groups cmp-0001 --add canary'],
    async run(ctx) {
      const id = requirePositional(ctx.positionals, 0, `NODE (${NODE_REF_HELP}): fleet nodes groups NODE --set a,b`);
      const set = listFlag(ctx.values, 'set');
      const add = listFlag(ctx.values, 'add') ?? [];
      const remove = listFlag(ctx.values, 'remove') ?? [];
      if (!set && add.length === 0 && remove.length === 0) throw usageError('give --set a,b or --add/--remove');
      return await update(ctx, id, (current) => ({
        groups: [...new Set(set ?? [...current.groups, ...add].filter((g) => !remove.includes(g)))],
      }));
    },
  },
  {
    name: 'nodes transition',
    summary: 'move a node to another lifecycle state',
    usage: `NODE STATE --reason TEXT   (STATE: ${NODE_STATE_NAMES.join(', ')})`,
    options: { reason: { type: 'string', arg: 'TEXT', description: "why (required), kept in the node's history" } },
    examples: [
      'fleet nodes transition cmp-0001 maintenance --reason "PSU swap"',
      'fleet nodes transition cmp-0001 bmc-configured --reason reinstall',
    ],
    async run(ctx) {
      const ref = requirePositional(
        ctx.positionals,
        0,
        `NODE (${NODE_REF_HELP}): fleet nodes transition NODE STATE --reason TEXT`,
      );
      const to = oneOf(requirePositional(ctx.positionals, 1, 'target STATE'), NODE_STATE_NAMES, 'STATE') as NodeState;
      const reason = requireFlag(ctx.values, 'reason', 'say why, e.g. --reason "PSU swap"');
      const client = await machineDb(ctx);
      const node = await client.transitionNode((await resolveNode(client, ref)).id, { to, reason });
      if (ctx.json) printJson(ctx.io, node);
      else ctx.io.out(`${node.id}: ${node.state} (boot target ${node.bootTarget})`);
      return 0;
    },
  },
  {
    name: 'nodes history',
    summary: 'show the change history of one node or of all nodes',
    usage: '[NODE] [--limit N]',
    options: { limit: { type: 'string', arg: 'N', description: 'the newest N entries, 1..1000', default: '100' } },
    examples: ['fleet nodes history cmp-0001', 'fleet nodes history --limit 20 --json'],
    async run(ctx) {
      const ref = ctx.positionals[0];
      const limit = intFlag(ctx.values, 'limit', 1, 1000) ?? 100;
      const client = await machineDb(ctx);
      const page = ref
        ? await client.listNodeHistory((await resolveNode(client, ref)).id, { limit })
        : await client.listHistory({ limit });
      if (ctx.json) printJson(ctx.io, page.items);
      else
        ctx.io.out(
          formatTable(
            ['SEQ', 'AT', 'NODE', 'ACTOR', 'ACTION', 'CHANGE', 'REASON'],
            page.items.map((h) => [
              String(h.seq),
              h.at,
              h.nodeId,
              `${h.actor.kind}:${h.actor.name}`,
              h.action,
              clip(
                Object.keys(h.after)
                  .map((k) => `${k}=${JSON.stringify(h.after[k])}`)
                  .join(' '),
                80,
              ) || '-',
              dash(h.reason),
            ]),
          ),
        );
      return 0;
    },
  },
];

/** At most `width` characters, cut between fields (`a=1 b=2`), never inside one; `…` says more follows. */
export function clip(text: string, width: number): string {
  if (text.length <= width) return text;
  const cut = text.lastIndexOf(' ', width - 2);
  return `${text.slice(0, cut > 0 ? cut : width - 1)} …`;
}

/** Applies a change to the node `ref` names, on the version just read (a concurrent edit is refused). */
async function update(
  ctx: Parameters<Command['run']>[0],
  ref: string,
  change: Record<string, unknown> | ((current: Node) => Record<string, unknown>),
): Promise<number> {
  const client = await machineDb(ctx);
  const current = await resolveNode(client, ref);
  const reason = str(ctx.values, 'reason');
  const fields = typeof change === 'function' ? change(current) : change;
  const node = await client.updateNode(
    current.id,
    { ...fields, ...(reason ? { reason } : {}) },
    { version: current.version },
  );
  if (ctx.json) printJson(ctx.io, node);
  else ctx.io.out(renderFields(nodeFields(node)));
  return 0;
}
