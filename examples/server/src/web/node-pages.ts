import { allowedTransitions, canTransition, nextBootTarget } from '@fleet/machinedb';
import type { BootTarget, HistoryEntry, Node, NodeDetail, NodeState } from '@fleet/machinedb-contract';
import { NODE_STATES } from '@fleet/machinedb-contract';
import {
  type Hardware,
  hardwareOf,
  type NodeQuery,
  nodeQueryString,
  rackOf,
  SORT_KEYS,
  type SortKey,
} from './fleet-view.js';
import { csrfField, duration, gib, html, stateBadge } from './html.js';

export const nodeHref = (id: string): string => `/ui/nodes/${encodeURIComponent(id)}`;
export const nodeLink = (n: Pick<Node, 'id' | 'hostname'>): string =>
  `<a href="${nodeHref(n.id)}">${html(n.hostname ?? n.id)}</a>`;
const since = (n: Node, now: Date) => duration((now.getTime() - Date.parse(n.stateSince)) / 1000);

export function hardwareText(h: Hardware | null | undefined): string {
  if (!h) return '';
  return `${h.cpus}×CPU ${h.cores}c/${h.threads}t · ${gib(h.memoryBytes)} RAM · ${h.disks} disks ${gib(h.diskBytes)}`;
}

// ---- overview -------------------------------------------------------------------------------------

export interface OverviewData {
  total: number;
  counts: Map<NodeState, number>;
  stuck: { node: Node; reason: string }[];
  failed: Node[];
  failures: HistoryEntry[];
  nodeNames: Map<string, string>;
  racks: { rack: string; nodes: Node[] }[];
  now: Date;
}

export function renderOverview(d: OverviewData): string {
  const cards = NODE_STATES.map(
    (s) =>
      `<div class="card" data-state="${s}"><a href="/ui/nodes?state=${s}"><b>${d.counts.get(s) ?? 0}</b>${stateBadge(s)}</a></div>`,
  ).join('');
  const stuckRows = d.stuck
    .map(
      ({ node, reason }) =>
        `<tr class="stuck"><td>${nodeLink(node)}</td><td>${stateBadge(node.state)}</td><td>${since(node, d.now)}</td><td>${html(rackOf(node))}</td><td>${html(reason)}</td></tr>`,
    )
    .join('');
  const failedRows = d.failed
    .map(
      (n) =>
        `<tr><td>${nodeLink(n)}</td><td>${since(n, d.now)}</td><td>${html(rackOf(n))}</td><td>${html(n.stateReason ?? '(no reason given)')}</td></tr>`,
    )
    .join('');
  const failureRows = d.failures
    .map(
      (h) =>
        `<tr><td>${html(h.at.replace('T', ' ').slice(0, 19))}</td><td><a href="${nodeHref(h.nodeId)}">${html(d.nodeNames.get(h.nodeId) ?? h.nodeId)}</a></td><td>${html(`${h.actor.kind}:${h.actor.name}`)}</td><td>${html(h.reason ?? '')}</td></tr>`,
    )
    .join('');
  const rackRows = d.racks
    .map(({ rack, nodes }) => {
      const [site, r] = rack.split('/');
      const link = rack
        ? `<a href="/ui/nodes?site=${encodeURIComponent(site ?? '')}&amp;rack=${encodeURIComponent(r ?? '')}">${html(rack)}</a>`
        : '(no location)';
      const per = new Map<string, number>();
      for (const n of nodes) per.set(n.state, (per.get(n.state) ?? 0) + 1);
      const states = [...per].map(([s, c]) => `${stateBadge(s)} ${c}`).join(' ');
      const members = nodes.length <= 24 ? nodes.map((n) => nodeLink(n)).join(' · ') : `${nodes.length} nodes`;
      return `<tr><td>${link}</td><td class="num">${nodes.length}</td><td>${states}</td><td>${members}</td></tr>`;
    })
    .join('');
  return `<h1>Fleet overview</h1><p>${d.total} nodes</p><div class="cards" id="states">${cards}</div>
<h2 id="stuck-title">Stuck: longer in their state than its timeout</h2>
${stuckRows ? `<div class="scroll"><table id="stuck"><tr><th>node</th><th>state</th><th>in state for</th><th>rack</th><th>reason</th></tr>${stuckRows}</table></div>` : '<p id="stuck">No node is stuck.</p>'}
<h2>Failed nodes</h2>
${failedRows ? `<div class="scroll"><table id="failed"><tr><th>node</th><th>failed for</th><th>rack</th><th>reason</th></tr>${failedRows}</table></div>` : '<p id="failed">No failed nodes.</p>'}
<h2>Failures in the last 24 h</h2>
${failureRows ? `<div class="scroll"><table id="failures"><tr><th>when (UTC)</th><th>node</th><th>by</th><th>reason</th></tr>${failureRows}</table></div>` : '<p id="failures">No failures in the last 24 h.</p>'}
<h2>By rack</h2><div class="scroll"><table id="racks"><tr><th>rack</th><th>nodes</th><th>states</th><th>members</th></tr>${rackRows}</table></div>`;
}

// ---- list -----------------------------------------------------------------------------------------

const COLUMN_TITLES: Record<SortKey, string> = {
  hostname: 'node',
  state: 'state',
  since: 'in state for',
  site: 'site',
  rack: 'rack',
  roles: 'roles',
  address: 'primary address',
  cpu: 'CPU',
  memory: 'memory',
  disks: 'disks',
};

export function renderNodeList(
  q: NodeQuery,
  result: { total: number; rows: Node[]; hardware: Map<string, Hardware | null> },
  stuck: (n: Node) => string | null,
  now: Date,
  canAct = false,
): string {
  const option = (value: string, current: string | null, label = value) =>
    `<option value="${html(value)}"${value === (current ?? '') ? ' selected' : ''}>${html(label)}</option>`;
  const filters = `<form class="filters" method="get" action="/ui/nodes" role="search">
<label>search <input name="q" value="${html(q.q ?? '')}" placeholder="hostname, MAC, serial, IP" size="26"></label>
<label>state <select name="state">${option('', q.state, 'any')}${NODE_STATES.map((s) => option(s, q.state)).join('')}</select></label>
<label>site (datacenter) <input name="site" value="${html(q.site ?? '')}" size="10"></label>
<label>rack <input name="rack" value="${html(q.rack ?? '')}" size="8"></label>
<label>role <input name="role" value="${html(q.role ?? '')}" size="10"></label>
<label>per page <select name="per">${[25, 50, 100, 200, 500].map((n) => option(String(n), String(q.per))).join('')}</select></label>
${q.sort !== 'hostname' ? `<input type="hidden" name="sort" value="${html(q.sort)}">` : ''}${q.dir !== 'asc' ? `<input type="hidden" name="dir" value="${html(q.dir)}">` : ''}
<button type="submit">Filter</button> <a href="/ui/nodes">clear</a></form>`;
  const head = SORT_KEYS.map((key) => {
    const active = q.sort === key;
    const dir = active && q.dir === 'asc' ? 'desc' : 'asc';
    const arrow = active ? (q.dir === 'asc' ? ' ▲' : ' ▼') : '';
    return `<th${active ? ` aria-sort="${q.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="/ui/nodes${html(nodeQueryString(q, { sort: key, dir, page: 1 }))}">${COLUMN_TITLES[key]}${arrow}</a></th>`;
  }).join('');
  const rows = result.rows
    .map((n) => {
      const h = result.hardware.get(n.id);
      const reason = stuck(n);
      const primary = n.addresses.find((a) => a.purpose === 'primary');
      const select = canAct
        ? `<td><input type="checkbox" name="id" value="${html(n.id)}" form="bulk" aria-label="select ${html(n.hostname ?? n.id)}"></td>`
        : '';
      return `<tr${reason ? ' class="stuck"' : ''} data-node="${html(n.id)}">${select}<td>${nodeLink(n)}</td><td>${stateBadge(n.state)}</td><td title="${html(reason ?? n.stateReason ?? '')}">${since(n, now)}${reason ? ' ⚠ stuck' : ''}</td><td>${html(n.location?.site ?? '')}</td><td>${html(n.location ? `${n.location.rack}${n.location.unit ? ` U${n.location.unit}` : ''}` : '')}</td><td>${html(n.roles.join(', '))}</td><td>${html(primary?.address ?? '')}</td><td>${h ? `${h.cpus}×, ${h.threads} threads` : ''}</td><td>${h ? gib(h.memoryBytes) : ''}</td><td>${h ? `${h.disks} · ${gib(h.diskBytes)}` : ''}</td></tr>`;
    })
    .join('');
  const pages = Math.max(1, Math.ceil(result.total / q.per));
  const pager = (top: boolean) =>
    `<nav class="pager" aria-label="pages${top ? '' : ' (bottom)'}">${q.page > 1 ? `<a href="/ui/nodes${html(nodeQueryString(q, { page: q.page - 1 }))}" rel="prev">← previous</a>` : ''}<span${top ? ' id="page-info"' : ''}>page ${q.page} of ${pages} · ${result.total} nodes</span>${q.page < pages ? `<a href="/ui/nodes${html(nodeQueryString(q, { page: q.page + 1 }))}" rel="next">next →</a>` : ''}</nav>`;
  const bulk = canAct
    ? `<form class="filters" method="get" action="/ui/nodes/bulk" id="bulk"><label>with the selected nodes <select name="action">${(
        Object.entries(NODE_ACTIONS) as [NodeAction, (typeof NODE_ACTIONS)[NodeAction]][]
      )
        .map(([key, a]) => `<option value="${key}">${html(a.label)}</option>`)
        .join('')}</select></label><button type="submit" id="bulk-apply">Apply to selected…</button></form>`
    : '';
  return `<h1>Nodes</h1>${filters}${pager(true)}<div class="scroll"><table id="nodes"><tr>${canAct ? '<th><span class="muted">select</span></th>' : ''}${head}</tr>${rows || `<tr><td colspan="${SORT_KEYS.length + 1}">No node matches.</td></tr>`}</table></div>${bulk}${pager(false)}`;
}

// ---- one node -------------------------------------------------------------------------------------

const BOOT_WHY: Record<BootTarget, string> = {
  live: 'boots the live system (inventory, BMC set-up) until it is configured',
  install: 'boots the installer: its BMC is configured and it is (re)installing',
  local: 'boots its local disk: installed, a PXE boot never reinstalls it',
};

/** The operator's actions, each one transition of MachineDB's table. */
export const NODE_ACTIONS = {
  fail: { to: 'failed', label: 'Mark failed (broken)', danger: true },
  maintenance: { to: 'maintenance', label: 'Enter maintenance', danger: false },
  deploy: { to: 'deployed', label: 'Back in service (deployed)', danger: false },
  release: { to: 'inventoried', label: 'Release (back to inventoried)', danger: false },
  reinstall: { to: 'bmc-configured', label: 'Reinstall (redeploy)', danger: true },
  decommission: { to: 'decommissioned', label: 'Decommission (releases addresses)', danger: true },
} as const satisfies Record<string, { to: NodeState; label: string; danger: boolean }>;
export type NodeAction = keyof typeof NODE_ACTIONS;

/** Which state to move to so the node boots `target` next: the first allowed transition that gives it. */
export function transitionForBootTarget(state: NodeState, target: BootTarget): NodeState | null {
  const preference: NodeState[] = ['bmc-configured', 'deployed', 'maintenance', 'inventoried', 'failed'];
  return (
    preference.find((to) => canTransition(state, to) && nextBootTarget(to) === target) ??
    allowedTransitions(state).find((to) => nextBootTarget(to) === target) ??
    null
  );
}

export function locationText(n: Node): string {
  if (!n.location) return 'not set';
  const l = n.location;
  return [`site ${l.site}`, l.room ? `room ${l.room}` : null, `rack ${l.rack}`, l.unit ? `unit U${l.unit}` : null]
    .filter(Boolean)
    .join(' · ');
}

export function systemDiskText(n: NodeDetail): string {
  const hint = n.systemDisk;
  if (!hint) return 'not set';
  const parts = [
    hint.serial ? `serial ${hint.serial}` : null,
    hint.wwn ? `WWN ${hint.wwn}` : null,
    hint.byId ? hint.byId : null,
    hint.sizeBytes ? gib(hint.sizeBytes) : null,
  ].filter(Boolean);
  const disk = n.inventory?.disks.find(
    (d) =>
      (hint.serial === undefined || d.serial === hint.serial) &&
      (hint.wwn === undefined || d.wwn === hint.wwn) &&
      (hint.byId === undefined || d.byId.includes(hint.byId)),
  );
  return `${parts.join(', ')}${disk ? ` → ${disk.name}, ${gib(disk.sizeBytes)} ${disk.model ?? ''}${disk.rotational ? ' (HDD)' : ' (SSD)'}` : ' (no such disk in the last inventory)'}`;
}

/** A history value as an operator reads it: locations, disks, addresses and the BMC in words, not JSON. */
function historyValue(key: string, v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (key === 'addresses')
      return (
        v
          .map(
            (a: { purpose?: string; address?: string; prefixLength?: number }) =>
              `${a.purpose} ${a.address}/${a.prefixLength}`,
          )
          .join(', ') || '–'
      );
    return v.map(String).join(', ') || '–';
  }
  const o = v as Record<string, unknown>;
  if (key === 'bmc')
    return `${o.address ?? 'no address'}, user ${o.user}, password ${o.passwordSet ? 'set' : 'not set'}`;
  return Object.entries(o)
    .map(([k, x]) => `${k} ${String(x)}`)
    .join(', ');
}

function changeText(h: HistoryEntry): string {
  const keys = new Set([...Object.keys(h.before), ...Object.keys(h.after)]);
  return [...keys]
    .filter((k) => k !== 'nodeToken' && k !== 'stateSince')
    .map((k) => `${k}: ${historyValue(k, h.before[k])} → ${historyValue(k, h.after[k])}`)
    .join('\n');
}

export function renderNode(
  n: NodeDetail,
  history: HistoryEntry[],
  opts: { stuck: string | null; canAct: boolean; now: Date },
): string {
  const inv = n.inventory;
  const facts: [string, string][] = [
    ['id', html(n.id)],
    [
      'state',
      `${stateBadge(n.state)} for ${since(n, opts.now)} (since ${html(n.stateSince.replace('T', ' ').slice(0, 19))} UTC)${n.stateReason ? ` — ${html(n.stateReason)}` : ''}`,
    ],
    [
      'boot target',
      `<b id="boot-target">${html(n.bootTarget)}</b> — ${html(BOOT_WHY[n.bootTarget])} (state ${html(n.state)})`,
    ],
    ['location', `<span id="location">${html(locationText(n))}</span>`],
    ['system disk', `<span id="system-disk">${html(systemDiskText(n))}</span>`],
    [
      'BMC',
      n.bmc
        ? `${html(n.bmc.address ?? 'no address yet')}, user ${html(n.bmc.user)}, password ${n.bmc.passwordSet ? 'set (never shown)' : 'not set'}`
        : 'not configured',
    ],
    ['hostname / FQDN', html([n.hostname, n.fqdn].filter(Boolean).join(' / ') || 'not set')],
    [
      'roles · groups · tags',
      html([n.roles.join(', ') || '–', n.groups.join(', ') || '–', n.tags.join(', ') || '–'].join(' · ')),
    ],
    ['serial · system UUID', html(`${n.serial ?? '–'} · ${n.systemUuid}`)],
    ['hardware', html(hardwareText(hardwareOf(inv)) || 'no inventory yet')],
  ];
  const addresses = n.addresses
    .map(
      (a) =>
        `<tr><td>${html(a.purpose)}</td><td>${html(`${a.address}/${a.prefixLength}`)}</td><td>${html(a.gateway ?? '')}</td><td>${html(a.pool)}</td></tr>`,
    )
    .join('');
  const nics = (inv?.nics ?? [])
    .map((nic) => {
      const lldp = nic.lldp
        ? `${nic.lldp.switchName ?? nic.lldp.switchChassisId ?? ''} ${nic.lldp.port}${nic.lldp.vlan ? ` vlan ${nic.lldp.vlan}` : ''}`
        : '';
      return `<tr><td>${html(nic.name)}</td><td>${html(nic.mac)}</td><td>${nic.speedMbps ? `${nic.speedMbps} Mb/s` : ''}</td><td>${html(lldp)}</td></tr>`;
    })
    .join('');
  const disks = (inv?.disks ?? [])
    .map(
      (d) =>
        `<tr><td>${html(d.name)}</td><td class="num">${gib(d.sizeBytes)}</td><td>${html(d.model ?? '')}</td><td>${html(d.serial ?? '')}</td><td>${d.rotational ? 'HDD' : 'SSD'}</td></tr>`,
    )
    .join('');
  const actions = opts.canAct
    ? `<h2>Actions</h2><div class="actions" id="actions">${(
        Object.entries(NODE_ACTIONS) as [NodeAction, (typeof NODE_ACTIONS)[NodeAction]][]
      )
        .filter(([, a]) => canTransition(n.state, a.to))
        .map(([key, a]) => `<a href="${nodeHref(n.id)}/act?action=${key}" data-action="${key}">${html(a.label)}</a>`)
        .join('')}<a href="${nodeHref(n.id)}/edit" data-action="edit">Set location and system disk</a></div>
<form class="filters" method="get" action="${nodeHref(n.id)}/act"><input type="hidden" name="action" value="boot">
<label>next boot <select name="target">${(['live', 'install', 'local'] as const)
        .map((t) => `<option${t === n.bootTarget ? ' selected' : ''}>${t}</option>`)
        .join('')}</select></label><button type="submit">Set boot target…</button></form>`
    : '';
  const rows = history
    .map(
      (h) =>
        `<tr><td>${html(h.at.replace('T', ' ').slice(0, 19))}</td><td>${html(`${h.actor.kind}:${h.actor.name}`)}</td><td>${html(h.action)}</td><td>${html(h.reason ?? '')}</td><td><code>${html(changeText(h))}</code></td></tr>`,
    )
    .join('');
  return `<h1>${html(n.hostname ?? n.id)} ${stateBadge(n.state)}</h1>
${opts.stuck ? `<p class="flash flash-error" id="stuck">Stuck: ${html(opts.stuck)}</p>` : ''}
<div class="scroll"><table id="facts">${facts.map(([k, v]) => `<tr><th>${html(k)}</th><td>${v}</td></tr>`).join('')}</table></div>
${actions}
<h2>Addresses</h2>${addresses ? `<table id="addresses"><tr><th>purpose</th><th>address</th><th>gateway</th><th>pool</th></tr>${addresses}</table>` : '<p>No addresses assigned.</p>'}
<h2>Network interfaces</h2>${nics ? `<div class="scroll"><table id="nics"><tr><th>name</th><th>MAC</th><th>speed</th><th>switch port (LLDP)</th></tr>${nics}</table></div>` : '<p>No inventory yet.</p>'}
<h2>Disks</h2>${disks ? `<table id="disks"><tr><th>name</th><th>size</th><th>model</th><th>serial</th><th>kind</th></tr>${disks}</table>` : '<p>No inventory yet.</p>'}
<h2>History</h2><div class="scroll"><table id="history"><tr><th>when (UTC)</th><th>who</th><th>what</th><th>why</th><th>changes</th></tr>${rows}</table></div>`;
}

export function renderConfirm(
  n: NodeDetail,
  action: { key: string; label: string; to: NodeState; danger: boolean; target?: BootTarget },
  csrf: string,
): string {
  return `<h1>${html(action.label)}: ${html(n.hostname ?? n.id)}</h1>
<p id="confirm-what">${stateBadge(n.state)} → ${stateBadge(action.to)}; next boot: <b>${html(n.bootTarget)}</b> → <b>${html(nextBootTarget(action.to))}</b>.</p>
<form method="post" action="${nodeHref(n.id)}/act">${csrfField(csrf)}
<input type="hidden" name="action" value="${html(action.key)}">${action.target ? `<input type="hidden" name="target" value="${html(action.target)}">` : ''}
<input type="hidden" name="version" value="${n.version}">
<p><label>reason (kept in the history) <input name="reason" required maxlength="500" size="60" autofocus></label></p>
<p class="actions"><button type="submit"${action.danger ? ' class="danger"' : ''} id="confirm">Confirm: ${html(action.label)}</button> <a href="${nodeHref(n.id)}">Cancel</a></p></form>`;
}

export function renderEdit(n: NodeDetail, csrf: string): string {
  const l = n.location;
  const disks = n.inventory?.disks ?? [];
  const current = n.systemDisk;
  const diskOptions = disks
    .map((d) => {
      const value = d.serial ? `serial:${d.serial}` : d.wwn ? `wwn:${d.wwn}` : d.byId[0] ? `byId:${d.byId[0]}` : '';
      if (!value) return '';
      const selected =
        current && ((current.serial && current.serial === d.serial) || (current.wwn && current.wwn === d.wwn))
          ? ' selected'
          : '';
      return `<option value="${html(value)}"${selected}>${html(`${d.name} ${gib(d.sizeBytes)} ${d.model ?? ''} ${d.serial ?? ''}`)}</option>`;
    })
    .join('');
  return `<h1>Location and system disk: ${html(n.hostname ?? n.id)}</h1>
<form method="post" action="${nodeHref(n.id)}/edit">${csrfField(csrf)}<input type="hidden" name="version" value="${n.version}">
<p class="filters"><label>site <input name="site" required value="${html(l?.site ?? '')}" size="12"></label>
<label>room <input name="room" value="${html(l?.room ?? '')}" size="8"></label>
<label>rack <input name="rack" required value="${html(l?.rack ?? '')}" size="8"></label>
<label>unit <input name="unit" type="number" min="1" max="60" value="${html(l?.unit ?? '')}" size="4"></label></p>
<p><label>system disk <select name="disk"><option value="">(unchanged${current ? '' : ': not set'})</option>${diskOptions}</select></label></p>
<p><label>reason (kept in the history) <input name="reason" maxlength="500" size="60"></label></p>
<p class="actions"><button type="submit" id="save">Save</button> <a href="${nodeHref(n.id)}">Cancel</a></p></form>`;
}

/** Confirmation for one action on several nodes: which move, which are skipped because the table forbids it. */
export function renderBulkConfirm(
  nodes: readonly Node[],
  action: { key: NodeAction; label: string; to: NodeState; danger: boolean },
  csrf: string,
): string {
  const movable = nodes.filter((n) => canTransition(n.state, action.to));
  const rows = nodes
    .map(
      (n) =>
        `<tr data-node="${html(n.id)}"><td>${nodeLink(n)}</td><td>${stateBadge(n.state)}</td><td>${
          canTransition(n.state, action.to)
            ? `→ ${stateBadge(action.to)} (next boot ${html(nextBootTarget(action.to))})`
            : `skipped: not allowed from ${html(n.state)}`
        }</td></tr>`,
    )
    .join('');
  return `<h1>${html(action.label)}: ${movable.length} of ${nodes.length} selected nodes</h1>
<div class="scroll"><table id="bulk-nodes"><tr><th>node</th><th>now</th><th>will be</th></tr>${rows}</table></div>
${
  movable.length
    ? `<form method="post" action="/ui/nodes/bulk">${csrfField(csrf)}<input type="hidden" name="action" value="${html(action.key)}">
<input type="hidden" name="ids" value="${html(movable.map((n) => n.id).join(','))}">
<p><label>reason (kept in each node's history) <input name="reason" required maxlength="500" size="60" autofocus></label></p>
<p class="actions"><button type="submit"${action.danger ? ' class="danger"' : ''} id="confirm">Confirm: ${html(action.label)} (${movable.length})</button> <a href="/ui/nodes">Cancel</a></p></form>`
    : '<p><a href="/ui/nodes">Back to the nodes</a></p>'
}`;
}
