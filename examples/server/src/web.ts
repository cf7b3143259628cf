import type { DriftReport } from '@fleet/consul';
import { describeError } from '@fleet/core';
import type { Ipam } from '@fleet/ipam';
import type { MachineDbApp } from '@fleet/machinedb';
import type { Node } from '@fleet/machinedb-client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listAllNodes } from './nodes.js';
import type { Role } from './server.js';

interface WebDeps {
  machineDb: MachineDbApp['machineDb'];
  ipam: Ipam;
  drift(): Promise<DriftReport>;
  authorize(request: FastifyRequest, reply: FastifyReply, role: Role): Promise<boolean>;
  hasConsul: boolean;
}

/** Every value goes through here: the page never trusts what a node reported. */
export function html(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;padding:10px 20px}header a{color:#9cc3ff;margin-right:16px;text-decoration:none}
main{padding:16px 20px}h1{font-size:20px}h2{font-size:16px;margin-top:24px}
table{border-collapse:collapse;background:#fff;min-width:50%}td,th{border:1px solid #dde1e7;padding:4px 8px;text-align:left}
th{background:#eef1f5}.state{display:inline-block;padding:1px 8px;border-radius:9px;background:#e3e8ef}
.state-deployed{background:#c9f0d2}.state-failed{background:#ffd0d0}.state-installing{background:#fff0b3}
.bar{background:#e3e8ef;width:200px;height:10px;display:inline-block}.bar span{display:block;height:10px;background:#3d7bd9}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde1e7;padding:8px 14px;min-width:110px}
.card b{font-size:22px;display:block}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${html(title)} · fleet</title><style>${STYLE}</style></head>
<body><header><a href="/">fleet</a><a href="/ui/nodes">Nodes</a><a href="/ui/ipam">IPAM</a><a href="/ui/drift">Drift</a></header><main>${body}</main></body></html>`;
}

const allNodes = async (deps: WebDeps): Promise<Node[]> => await listAllNodes(deps.machineDb);

function findingDetail(finding: DriftReport['findings'][number]): string {
  const { kind: _k, node: _n, datacenter: _d, ...rest } = finding;
  return Object.entries(rest)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
}

const state = (s: string) => `<span class="state state-${html(s)}">${html(s)}</span>`;
const nodeLink = (n: Node) => `<a href="/ui/nodes/${encodeURIComponent(n.id)}">${html(n.hostname ?? n.id)}</a>`;

/** The server-rendered overview: nodes by state and rack, node detail with history, drift, IPAM use. */
export async function registerWebPages(app: FastifyInstance, deps: WebDeps): Promise<void> {
  const send = (reply: FastifyReply, title: string, body: string) =>
    reply.type('text/html; charset=utf-8').send(page(title, body));

  app.get('/', async (request, reply) => {
    if (!(await deps.authorize(request, reply, 'viewer'))) return reply;
    const nodes = await allNodes(deps);
    const byState = new Map<string, number>();
    const byRack = new Map<string, Node[]>();
    for (const n of nodes) {
      byState.set(n.state, (byState.get(n.state) ?? 0) + 1);
      const rack = n.location ? `${n.location.site}/${n.location.rack}` : '(no location)';
      byRack.set(rack, [...(byRack.get(rack) ?? []), n]);
    }
    const cards = [...byState]
      .map(([s, c]) => `<div class="card" data-state="${html(s)}"><b>${c}</b>${state(s)}</div>`)
      .join('');
    const racks = [...byRack]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([rack, list]) =>
          `<tr><td>${html(rack)}</td><td>${list.length}</td><td>${list.map((n) => `${nodeLink(n)} ${state(n.state)}`).join(' · ')}</td></tr>`,
      )
      .join('');
    return send(
      reply,
      'Overview',
      `<h1>Fleet overview</h1><p>${nodes.length} nodes</p><div class="cards" id="states">${cards || '<p>No nodes yet: boot one into the live system.</p>'}</div>
<h2>By rack</h2><table id="racks"><tr><th>rack</th><th>nodes</th><th>members</th></tr>${racks}</table>`,
    );
  });

  app.get('/ui/nodes', async (request, reply) => {
    if (!(await deps.authorize(request, reply, 'viewer'))) return reply;
    const rows = (await allNodes(deps))
      .map(
        (n) =>
          `<tr><td>${nodeLink(n)}</td><td>${state(n.state)}</td><td>${html(n.location ? `${n.location.site}/${n.location.rack}` : '')}</td><td>${html(n.addresses.map((a) => `${a.purpose} ${a.address}`).join(', '))}</td><td>${html(n.groups.join(', '))}</td></tr>`,
      )
      .join('');
    return send(
      reply,
      'Nodes',
      `<h1>Nodes</h1><table id="nodes"><tr><th>node</th><th>state</th><th>rack</th><th>addresses</th><th>groups</th></tr>${rows}</table>`,
    );
  });

  app.get<{ Params: { id: string } }>('/ui/nodes/:id', async (request, reply) => {
    if (!(await deps.authorize(request, reply, 'viewer'))) return reply;
    const node = await deps.machineDb.getNode(request.params.id);
    const history = await deps.machineDb.listHistory(node.id, { limit: 100 });
    const facts: [string, unknown][] = [
      ['id', node.id],
      ['state', node.state],
      ['boot target', node.bootTarget],
      ['system UUID', node.systemUuid],
      ['serial', node.serial],
      ['MACs', node.macs.join(', ')],
      ['location', node.location ? JSON.stringify(node.location) : ''],
      ['system disk', node.systemDisk ? JSON.stringify(node.systemDisk) : ''],
      ['BMC', node.bmc ? `${node.bmc.address ?? '-'} (password ${node.bmc.passwordSet ? 'set' : 'not set'})` : ''],
      ['addresses', node.addresses.map((a) => `${a.purpose} ${a.address}/${a.prefixLength}`).join(', ')],
      [
        'disks',
        (node.inventory?.disks ?? [])
          .map((d) => `${d.name} ${Math.round(d.sizeBytes / 1e9)} GB ${d.model ?? ''}`)
          .join('; '),
      ],
    ];
    const rows = history.items
      .map(
        (h) =>
          `<tr><td>${html(h.at)}</td><td>${html(h.actor.name)}</td><td>${html(h.action)}</td><td>${html(h.reason ?? '')}</td><td><code>${html(JSON.stringify(h.after))}</code></td></tr>`,
      )
      .join('');
    return send(
      reply,
      node.hostname ?? node.id,
      `<h1>${html(node.hostname ?? node.id)} ${state(node.state)}</h1><table id="facts">${facts.map(([k, v]) => `<tr><th>${html(k)}</th><td>${html(v)}</td></tr>`).join('')}</table>
<h2>History</h2><table id="history"><tr><th>when</th><th>who</th><th>what</th><th>why</th><th>after</th></tr>${rows}</table>`,
    );
  });

  app.get('/ui/ipam', async (request, reply) => {
    if (!(await deps.authorize(request, reply, 'viewer'))) return reply;
    const pools = await deps.ipam.listPools();
    const rows = await Promise.all(
      pools.map(async (p) => {
        const u = await deps.ipam.poolUsage(p.name);
        const fam = BigInt(u.v4.total) > 0n ? u.v4 : u.v6;
        const pct = BigInt(fam.total) > 0n ? Number((BigInt(fam.used) * 10000n) / BigInt(fam.total)) / 100 : 0;
        return `<tr><td>${html(p.name)}</td><td>${html(p.description)}</td><td>${html(fam.used)} / ${html(fam.total)}</td><td><span class="bar"><span style="width:${Math.min(100, pct)}%"></span></span> ${pct}%</td></tr>`;
      }),
    );
    return send(
      reply,
      'IPAM',
      `<h1>IPAM utilisation</h1><table id="pools"><tr><th>pool</th><th>description</th><th>used / total</th><th>utilisation</th></tr>${rows.join('')}</table>`,
    );
  });

  app.get('/ui/drift', async (request, reply) => {
    if (!(await deps.authorize(request, reply, 'viewer'))) return reply;
    if (!deps.hasConsul)
      return send(
        reply,
        'Drift',
        '<h1>Drift</h1><p id="drift">No Consul datacenters configured (FLEET_CONSUL_DATACENTERS).</p>',
      );
    try {
      const report = await deps.drift();
      const rows = report.findings
        .map(
          (f) =>
            `<tr><td>${html(f.kind)}</td><td>${html(f.node)}</td><td>${html(f.datacenter)}</td><td>${html(findingDetail(f))}</td></tr>`,
        )
        .join('');
      return send(
        reply,
        'Drift',
        `<h1>Drift: MachineDB vs Consul</h1><table id="drift"><tr><th>kind</th><th>node</th><th>datacenter</th><th>detail</th></tr>${rows || '<tr><td colspan="4">no drift</td></tr>'}</table>`,
      );
    } catch (error) {
      return send(
        reply,
        'Drift',
        `<h1>Drift</h1><p id="drift">Consul could not be read: ${html(describeError(error))}</p>`,
      );
    }
  });
}
