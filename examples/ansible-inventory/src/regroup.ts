import { DEFAULT_GROUP_BY, type GroupByKey, type InventoryOptions } from './options.js';

export type HostVars = Record<string, unknown>;
export interface AnsibleGroupDoc {
  hosts?: string[];
  children?: string[];
}
/** The `--list` document: `_meta.hostvars` plus one entry per group. */
export type InventoryDoc = { _meta: { hostvars: Record<string, HostVars> } } & Record<string, unknown>;

/**
 * The export query these options need (`?state=…` when one state is asked for, so the server sends less),
 * and whether the server's document is already the answer: then the script hands Ansible the bytes as they
 * came, without parsing 10,000 hosts only to print them again.
 */
export function exportQuery(options: InventoryOptions): { query: string; passThrough: boolean } {
  const params = new URLSearchParams();
  const states = options.states;
  if (states?.length === 1) params.set('state', states[0] as string);
  if (states?.includes('decommissioned')) params.set('includeDecommissioned', 'true');
  const defaultGroups =
    options.groupBy.length === DEFAULT_GROUP_BY.length && DEFAULT_GROUP_BY.every((g) => options.groupBy.includes(g));
  const passThrough =
    (states === null || states.length === 1) &&
    defaultGroups &&
    options.keyedGroups.length === 0 &&
    Object.keys(options.compose).length === 0;
  const query = params.toString();
  return { query: query ? `?${query}` : '', passThrough };
}

/** The value at a dotted path (`fleet_location.rack`, `fleet_addresses.0.address`) of a host's variables. */
export function valueAt(vars: HostVars, path: string): unknown {
  let value: unknown = vars;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const scalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Fills a compose template: `{path}` alone keeps the value's type; otherwise text with the values in it. */
export function composeValue(vars: HostVars, template: string): unknown {
  const whole = /^\{([^}]+)\}$/.exec(template);
  if (whole) return valueAt(vars, whole[1] as string) ?? null;
  return template.replace(/\{([^}]+)\}/g, (_, path: string) => {
    const v = valueAt(vars, path);
    return scalar(v) ? String(v) : '';
  });
}

/** Group names as the server makes them: anything but letters, digits and `_` becomes `_`. */
const groupName = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, '_');

function builtInGroups(key: GroupByKey, vars: HostVars): string[] {
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const location = vars.fleet_location as { site?: unknown; rack?: unknown } | null | undefined;
  switch (key) {
    case 'group':
      return strings(vars.fleet_groups).map((g) => `group_${g}`);
    case 'role':
      return strings(vars.fleet_roles).map((r) => `role_${r}`);
    case 'tag':
      return strings(vars.fleet_tags).map((t) => `tag_${t}`);
    case 'site':
      return typeof location?.site === 'string' ? [`site_${location.site}`] : [];
    case 'rack':
      return typeof location?.site === 'string' && typeof location.rack === 'string'
        ? [`rack_${location.site}_${location.rack}`]
        : [];
    case 'cluster':
      return typeof vars.fleet_cluster === 'string' ? [`cluster_${vars.fleet_cluster}`] : [];
    case 'state':
      return typeof vars.fleet_state === 'string' ? [`state_${vars.fleet_state}`] : [];
  }
}

function keyedGroupNames(value: unknown, prefix: string, separator: string): string[] {
  const named = (v: string): string => (prefix ? `${prefix}${separator}${v}` : v);
  if (scalar(value)) return String(value) === '' ? [] : [named(String(value))];
  if (Array.isArray(value)) return value.filter(scalar).map((v) => named(String(v)));
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .filter(([, v]) => scalar(v))
      .map(([k, v]) => named(`${k}_${String(v)}`));
  return [];
}

/**
 * The inventory these options describe, from the server's document: hosts whose state is asked for, the
 * chosen built-in groups, keyed groups and composed variables (composed first, so keyed groups can use them).
 */
export function buildInventory(doc: InventoryDoc, options: InventoryOptions): InventoryDoc {
  const hostvars: Record<string, HostVars> = {};
  const groups = new Map<string, string[]>();
  const ungrouped: string[] = [];
  const states = options.states === null ? null : new Set<string>(options.states);
  for (const [host, original] of Object.entries(doc._meta.hostvars)) {
    if (states !== null && !states.has(String(original.fleet_state))) continue;
    const vars: HostVars = { ...original };
    for (const [name, template] of Object.entries(options.compose)) vars[name] = composeValue(original, template);
    hostvars[host] = vars;
    const names = new Set<string>();
    for (const key of options.groupBy) for (const g of builtInGroups(key, vars)) names.add(groupName(g));
    for (const k of options.keyedGroups)
      for (const g of keyedGroupNames(valueAt(vars, k.key), k.prefix, k.separator)) names.add(groupName(g));
    if (names.size === 0) ungrouped.push(host);
    for (const name of names) {
      let hosts = groups.get(name);
      if (!hosts) {
        hosts = [];
        groups.set(name, hosts);
      }
      hosts.push(host);
    }
  }
  const sorted = [...groups.keys()].filter((n) => n !== 'all' && n !== 'ungrouped').sort();
  const out: InventoryDoc = {
    _meta: { hostvars },
    all: { hosts: [], children: ['ungrouped', ...sorted] } satisfies AnsibleGroupDoc,
    ungrouped: { hosts: ungrouped } satisfies AnsibleGroupDoc,
  };
  for (const name of sorted) out[name] = { hosts: groups.get(name) ?? [] } satisfies AnsibleGroupDoc;
  return out;
}
