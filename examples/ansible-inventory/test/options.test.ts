import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_STATE_NAMES, resolveInventoryOptions } from '../src/options.js';
import { type InventoryDoc, buildInventory, composeValue, exportQuery } from '../src/regroup.js';

const noFile = (): string => {
  throw Object.assign(new Error('missing'), { code: 'ENOENT' });
};
const files =
  (content: Record<string, string>) =>
  (file: string): string => {
    const text = content[file];
    if (text === undefined) return noFile();
    return text;
  };

/** The server's document for three hosts: one deployed, one failed, one in maintenance. */
function serverDoc(): InventoryDoc {
  const host = (state: string, rack: string, extra: Record<string, unknown> = {}) => ({
    ansible_host: `10.20.0.${rack.slice(1)}`,
    fleet_state: state,
    fleet_location: { site: 'lab', rack, room: 'b2' },
    fleet_roles: ['compute'],
    fleet_groups: ['openstack-compute'],
    fleet_tags: ['gpu'],
    fleet_cluster: 'prod',
    fleet_serial: `CZ${rack}`,
    fleet_macs: [`3c:ec:ef:00:00:${rack.slice(1)}`],
    ...extra,
  });
  return {
    _meta: {
      hostvars: {
        'cmp-0001': host('deployed', 'r01'),
        'cmp-0002': host('failed', 'r02'),
        'cmp-0003': host('maintenance', 'r03', { fleet_cluster: null }),
      },
    },
    all: { hosts: [], children: ['ungrouped', 'role_compute'] },
    role_compute: { hosts: ['cmp-0001', 'cmp-0002', 'cmp-0003'] },
  };
}

describe('inventory options', () => {
  it('defaults to deployed hosts and the server groups, and then passes the server document through', () => {
    const options = resolveInventoryOptions({}, '/nowhere', noFile);
    expect(options).toMatchObject({ states: ['deployed'], keyedGroups: [], compose: {}, file: undefined });
    expect(exportQuery(options)).toEqual({ query: '?state=deployed', passThrough: true });
  });

  it('reads fleet-inventory.json in the working directory or FLEET_INVENTORY_CONFIG; the environment wins', () => {
    const config = JSON.stringify({
      states: ['deployed', 'maintenance'],
      groupBy: ['role', 'rack'],
      keyedGroups: [{ key: 'fleet_location.room', prefix: 'room' }],
      compose: { rack_label: '{fleet_location.site}-{fleet_location.rack}' },
    });
    const fromCwd = resolveInventoryOptions({}, '/ops', files({ '/ops/fleet-inventory.json': config }));
    expect(fromCwd).toMatchObject({
      file: '/ops/fleet-inventory.json',
      states: ['deployed', 'maintenance'],
      groupBy: ['role', 'rack'],
      keyedGroups: [{ key: 'fleet_location.room', prefix: 'room', separator: '_' }],
    });
    expect(exportQuery(fromCwd)).toEqual({ query: '', passThrough: false });
    const fromEnv = resolveInventoryOptions(
      { FLEET_INVENTORY_CONFIG: 'inv.json', FLEET_INVENTORY_STATES: 'all', FLEET_INVENTORY_GROUP_BY: 'tag' },
      '/ops',
      files({ '/ops/inv.json': config }),
    );
    expect(fromEnv).toMatchObject({ file: '/ops/inv.json', states: null, groupBy: ['tag'] });
    expect(
      exportQuery({
        ...fromEnv,
        keyedGroups: [],
        compose: {},
        groupBy: ['state', 'cluster', 'rack', 'site', 'role', 'group'],
      }),
    ).toEqual({ query: '', passThrough: true });
  });

  it('refuses a malformed config with INVENTORY_CONFIG naming the field', () => {
    const bad = (env: Record<string, string>, content?: string) => {
      try {
        resolveInventoryOptions(
          env,
          '/ops',
          files(content === undefined ? {} : { '/ops/fleet-inventory.json': content }),
        );
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
      return 'accepted';
    };
    expect(bad({ FLEET_INVENTORY_STATES: 'deployed,sleeping' })).toMatch(/^INVENTORY_CONFIG: .*"sleeping"/);
    expect(bad({ FLEET_INVENTORY_GROUP_BY: 'role,colour' })).toMatch(/^INVENTORY_CONFIG: .*"colour"/);
    expect(bad({ FLEET_INVENTORY_CONFIG: 'missing.json' })).toMatch(/^INVENTORY_CONFIG: cannot read .*ENOENT/);
    expect(bad({}, '{ nope')).toMatch(/^INVENTORY_CONFIG: .*not valid JSON/);
    expect(bad({}, '{"group_by": []}')).toMatch(/^INVENTORY_CONFIG: .*unknown key "group_by"/);
    expect(bad({}, '{"keyedGroups": [{"key": "a; rm -rf /"}]}')).toMatch(/keyedGroups\[0\]\.key/);
    expect(bad({}, '{"keyedGroups": [{"key": "fleet_tags", "prefix": "t-x"}]}')).toMatch(/keyedGroups\[0\]\.prefix/);
    expect(bad({}, '{"compose": {"x": "{fleet_location..rack}"}}')).toMatch(/compose\.x/);
    expect(bad({}, '{"compose": {"bad name": "x"}}')).toMatch(/"bad name" is not a variable name/);
    expect(bad({}, '{"states": []}')).toMatch(/states is empty/);
  });

  it('accepts the options file the README shows', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const json = /```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const options = resolveInventoryOptions({}, '/ops', files({ '/ops/fleet-inventory.json': json }));
    expect(options.keyedGroups).toHaveLength(2);
    expect(Object.keys(options.compose)).toEqual(['rack_label', 'first_mac', 'ansible_user']);
  });
});

describe('regrouping the server document', () => {
  it('leaves failed and maintenance nodes out of every group by default', () => {
    const doc = buildInventory(
      serverDoc(),
      resolveInventoryOptions({ FLEET_INVENTORY_GROUP_BY: 'role,rack,state' }, '/', noFile),
    );
    expect(Object.keys(doc._meta.hostvars)).toEqual(['cmp-0001']);
    expect(doc.role_compute).toEqual({ hosts: ['cmp-0001'] });
    expect(doc.rack_lab_r02).toBeUndefined();
    expect(doc.all).toEqual({ hosts: [], children: ['ungrouped', 'rack_lab_r01', 'role_compute', 'state_deployed'] });
  });

  it('builds keyed groups with prefixes, composed variables and only the asked-for built-in groups', () => {
    const options = resolveInventoryOptions(
      { FLEET_INVENTORY_STATES: 'deployed,maintenance' },
      '/',
      files({
        '/fleet-inventory.json': JSON.stringify({
          groupBy: ['tag'],
          keyedGroups: [
            { key: 'fleet_location.room', prefix: 'room' },
            { key: 'fleet_cluster', prefix: 'c', separator: '__' },
            { key: 'fleet_location', prefix: 'loc' },
            { key: 'rack_label' },
          ],
          compose: {
            rack_label: '{fleet_location.site}-{fleet_location.rack}',
            first_mac: '{fleet_macs.0}',
            location: '{fleet_location}',
            ansible_user: 'root',
          },
        }),
      }),
    );
    const doc = buildInventory(serverDoc(), options);
    expect(Object.keys(doc._meta.hostvars)).toEqual(['cmp-0001', 'cmp-0003']);
    expect(doc._meta.hostvars['cmp-0003']).toMatchObject({
      rack_label: 'lab-r03',
      first_mac: '3c:ec:ef:00:00:03',
      location: { site: 'lab', rack: 'r03', room: 'b2' },
      ansible_user: 'root',
      fleet_serial: 'CZr03',
    });
    expect(doc.tag_gpu).toEqual({ hosts: ['cmp-0001', 'cmp-0003'] });
    expect(doc.room_b2).toEqual({ hosts: ['cmp-0001', 'cmp-0003'] });
    expect(doc.c__prod).toEqual({ hosts: ['cmp-0001'] }); // cmp-0003 has no cluster: no group
    expect(doc.loc_rack_r01).toEqual({ hosts: ['cmp-0001'] }); // an object: one group per key_value
    expect(doc.lab_r03).toEqual({ hosts: ['cmp-0003'] }); // no prefix; '-' becomes '_'
    expect(doc.role_compute).toBeUndefined();
    expect(doc.ungrouped).toEqual({ hosts: [] });
  });

  it('fills templates from dotted paths; a missing value is null alone and empty inside text', () => {
    const vars = { a: { b: [1, 2] }, s: 'x' };
    expect(composeValue(vars, '{a.b.1}')).toBe(2);
    expect(composeValue(vars, '{a.b}')).toEqual([1, 2]);
    expect(composeValue(vars, '{nope}')).toBeNull();
    expect(composeValue(vars, '{s}-{nope}-{a.b.0}')).toBe('x--1');
  });
});
