import {
  formatAddress,
  type NextFree,
  type Pool,
  type PoolUsage,
  type Prefix,
  parsePrefix,
  type Usage,
} from '@fleet/ipam';
import { csrfField, html } from './html.js';

const pct = (used: string, total: string): number =>
  BigInt(total) > 0n ? Number((BigInt(used) * 10000n) / BigInt(total)) / 100 : 0;
const bar = (p: number) => `<span class="bar"><span style="width:${Math.min(100, p)}%"></span></span> ${p}%`;
export const prefixHref = (p: Pick<Prefix, 'id'>): string => `/ui/ipam/prefixes/${p.id}`;

export function renderPools(pools: { pool: Pool; usage: PoolUsage }[]): string {
  const rows = pools
    .map(({ pool, usage }) => {
      const fam = BigInt(usage.v4.total) > 0n ? usage.v4 : usage.v6;
      return `<tr><td><a href="/ui/ipam/pools/${encodeURIComponent(pool.name)}">${html(pool.name)}</a></td><td>${html(pool.description)}</td><td class="num">${html(fam.used)} / ${html(fam.total)}</td><td>${bar(pct(fam.used, fam.total))}</td></tr>`;
    })
    .join('');
  return `<h1>IPAM</h1><div class="scroll"><table id="pools"><tr><th>pool</th><th>description</th><th>used / total</th><th>utilisation</th></tr>${rows}</table></div>`;
}

/** "Next free address": what the next allocation from here gets (the IPAM's own peek), or why there is none. */
function nextFreeLine(next: NextFree | null, where: string): string {
  return next
    ? `<p>Next free address${where}: <b class="next-free">${html(next.address)}</b> in <a href="${prefixHref(next.parent)}">${html(next.parent.prefix)}</a></p>`
    : `<p>Next free address${where}: <b class="next-free">none</b> (full)</p>`;
}

export function renderPool(
  pool: Pool,
  prefixes: { prefix: Prefix; usage: Usage }[],
  next: { family: 4 | 6; next: NextFree | null }[] = [],
): string {
  const rows = prefixes
    .map(
      ({ prefix, usage }) =>
        `<tr><td><a href="${prefixHref(prefix)}">${html(prefix.prefix)}</a></td><td>${html(prefix.kind)}</td><td>${html(prefix.description)}</td><td class="num">${html(usage.used)} / ${html(usage.total)}</td><td>${bar(pct(usage.used, usage.total))}</td></tr>`,
    )
    .join('');
  return `<h1>Pool ${html(pool.name)}</h1><p>${html(pool.description)} · VRF ${html(pool.vrf)} · keeps free: ${pool.keepFree.gateways} gateway address(es)${pool.keepFree.network ? ', network' : ''}${pool.keepFree.broadcast ? ', broadcast' : ''}</p>
<div id="next-free">${next.map((n) => nextFreeLine(n.next, ` (IPv${n.family})`)).join('')}</div>
<div class="scroll"><table id="prefixes"><tr><th>prefix</th><th>kind</th><th>description</th><th>used / total</th><th>utilisation</th></tr>${rows || '<tr><td colspan="5">No prefixes in this pool.</td></tr>'}</table></div>`;
}

/** The gaps between children: plain range arithmetic over what the IPAM reports as used. */
export function freeRanges(
  parent: Prefix,
  children: readonly Prefix[],
): { first: string; last: string; size: bigint }[] {
  const range = parsePrefix(parent.prefix);
  const used = children.map((c) => parsePrefix(c.prefix)).sort((a, b) => (a.start < b.start ? -1 : 1));
  const out: { first: string; last: string; size: bigint }[] = [];
  let next = range.start;
  const gap = (from: bigint, to: bigint) => {
    if (to >= from)
      out.push({
        first: formatAddress(range.family, from),
        last: formatAddress(range.family, to),
        size: to - from + 1n,
      });
  };
  for (const u of used) {
    gap(next, u.start - 1n);
    if (u.end + 1n > next) next = u.end + 1n;
  }
  gap(next, range.end);
  return out;
}

export function renderPrefix(
  prefix: Prefix,
  usage: Usage,
  children: readonly Prefix[],
  nodeNames: Map<string, string>,
  opts: { canAct: boolean; csrf: string; next?: NextFree | null },
): string {
  const free = freeRanges(prefix, children);
  const nodeCell = (c: Prefix) => {
    if (!c.node) return '';
    const name = nodeNames.get(c.node);
    return name ? `<a href="/ui/nodes/${encodeURIComponent(c.node)}">${html(name)}</a>` : html(c.node);
  };
  const rows = children
    .map(
      (c) =>
        `<tr data-prefix="${html(c.prefix)}"><td>${c.kind === 'host' ? html(c.prefix.replace(/\/(32|128)$/, '')) : `<a href="${prefixHref(c)}">${html(c.prefix)}</a>`}</td><td>${html(c.kind)}</td><td>${nodeCell(c)}</td><td>${html(c.function)}</td><td>${html(c.description)}</td><td>${html(c.status)}</td><td>${html(c.updatedBy)}</td>${
          opts.canAct
            ? `<td><form method="post" action="${prefixHref(prefix)}/release">${csrfField(opts.csrf)}<input type="hidden" name="child" value="${c.id}"><button type="submit" class="danger">Release</button></form></td>`
            : ''
        }</tr>`,
    )
    .join('');
  const freeRows = free
    .slice(0, 200)
    .map((r) => `<tr><td>${html(r.first)}</td><td>${html(r.last)}</td><td class="num">${r.size}</td></tr>`)
    .join('');
  const allocate =
    opts.canAct && prefix.kind !== 'host'
      ? `<h2>Allocate the next free address</h2><form class="filters" method="post" action="${prefixHref(prefix)}/allocate">${csrfField(opts.csrf)}
<label>node (id or name) <input name="node" size="20"></label><label>function <input name="function" size="16"></label>
<label>description <input name="description" size="24" required></label><button type="submit" id="allocate">Allocate</button></form>`
      : '';
  return `<h1>${html(prefix.prefix)} <span class="muted">${html(prefix.kind)}</span></h1>
<p>${html(prefix.description)}${prefix.pool ? ` · pool <a href="/ui/ipam/pools/${encodeURIComponent(prefix.pool)}">${html(prefix.pool)}</a>` : ''} · VRF ${html(prefix.vrf)} · <span id="usage">${html(usage.used)} of ${html(usage.total)} used</span> ${bar(usage.utilisation * 100 > 0 ? Math.round(usage.utilisation * 10000) / 100 : 0)}</p>
${prefix.kind === 'assignment' ? `<div id="next-free">${nextFreeLine(opts.next ?? null, '')}</div>` : ''}${allocate}
<h2>Used</h2><div class="scroll"><table id="used"><tr><th>address / prefix</th><th>kind</th><th>node</th><th>function</th><th>description</th><th>status</th><th>by</th>${opts.canAct ? '<th></th>' : ''}</tr>${rows || `<tr><td colspan="${opts.canAct ? 8 : 7}">Nothing allocated yet.</td></tr>`}</table></div>
<h2>Free ranges</h2><div class="scroll"><table id="free"><tr><th>first</th><th>last</th><th>addresses</th></tr>${freeRows || '<tr><td colspan="3">Full.</td></tr>'}</table></div>`;
}
