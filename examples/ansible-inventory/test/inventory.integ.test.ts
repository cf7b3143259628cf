import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '@fleet/example-server';
import { createMachineDbClient } from '@fleet/machinedb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const source = fileURLToPath(new URL('../src/inventory.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

describe('the Ansible dynamic inventory against the real server and real ansible', () => {
  let s: TestServer;
  let script: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    s = await startTestServer();
    const anonymous = createMachineDbClient({ baseUrl: s.url });
    // cmp-0001..3 deployed; cmp-0004 failed and cmp-0005 in maintenance, with the same role and group.
    for (const i of [1, 2, 3, 4, 5]) {
      const { nodeId } = await anonymous.submitInventory({
        systemUuid: `4c4c4544-0042-3610-8051-00000000000${i}`,
        cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
        memory: { totalBytes: 2 ** 36 },
        disks: [],
        nics: [{ name: 'eno1', mac: `3c:ec:ef:00:00:0${i}` }],
      });
      const node = await s.admin.getNode(nodeId);
      await s.admin.updateNode(
        nodeId,
        {
          hostname: `cmp-000${i}`,
          groups: ['openstack-compute'],
          roles: [i === 1 ? 'controller' : 'compute'],
          location: { site: 'lab', rack: `r0${i}`, room: i % 2 === 0 ? 'b2' : 'b1' },
        },
        { version: node.version },
      );
      if (i === 4) await s.admin.transitionNode(nodeId, { to: 'failed', reason: 'test: PSU' });
      else {
        await s.admin.transitionNode(nodeId, { to: 'maintenance', reason: 'test: racked by hand' });
        if (i !== 5) await s.admin.transitionNode(nodeId, { to: 'deployed', reason: 'test: in service' });
      }
    }
    await anonymous.close();
    // Ansible runs the script directly: a tiny wrapper executes the TypeScript source with tsx.
    const dir = mkdtempSync(join(tmpdir(), 'fleet-inv-'));
    script = join(dir, 'fleet-inventory');
    writeFileSync(script, `#!/bin/sh\nexec ${tsx} ${source} "$@"\n`);
    chmodSync(script, 0o755);
    env = {
      ...process.env,
      FLEET_URL: s.url,
      FLEET_TOKEN: s.adminAuth.replace('Bearer ', ''),
      ANSIBLE_INVENTORY_UNPARSED_FAILED: '1',
      ANSIBLE_LOCALHOST_WARNING: '0',
    };
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('ansible-inventory --list sees groups from MachineDB groups, roles, racks and states', async () => {
    const { stdout } = await run('ansible-inventory', ['-i', script, '--list'], { env });
    const inv = JSON.parse(stdout) as Record<string, { hosts?: string[] }> & {
      _meta: { hostvars: Record<string, Record<string, unknown>> };
    };
    expect(inv.group_openstack_compute?.hosts?.sort()).toEqual(['cmp-0001', 'cmp-0002', 'cmp-0003']);
    expect(inv.role_controller?.hosts).toEqual(['cmp-0001']);
    expect(inv.rack_lab_r02?.hosts).toEqual(['cmp-0002']);
    expect(Object.keys(inv._meta.hostvars).sort()).toEqual(['cmp-0001', 'cmp-0002', 'cmp-0003']);
  }, 60_000);

  it('ansible-inventory --graph and ansible --list-hosts agree', async () => {
    const graph = (await run('ansible-inventory', ['-i', script, '--graph'], { env })).stdout;
    expect(graph).toContain('@group_openstack_compute:');
    expect(graph).toContain('cmp-0003');
    const hosts = (await run('ansible', ['-i', script, 'all', '--list-hosts'], { env })).stdout;
    expect(hosts).toMatch(/hosts \(3\)/);
  }, 60_000);

  it('--host returns one host vars; a wrong token fails ansible loudly, not with an empty inventory', async () => {
    const { stdout } = await run(script, ['--host', 'cmp-0002'], { env });
    expect(JSON.parse(stdout)).toMatchObject({ fleet_node_id: expect.any(String) });
    const bad = await run('ansible-inventory', ['-i', script, '--list'], {
      env: { ...env, FLEET_TOKEN: 'mdbt.x.y' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).not.toBe(0);
    const direct = await run(script, ['--list'], { env: { ...env, FLEET_TOKEN: 'mdbt.x.y' } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((direct as { code: number }).code).toBe(1);
    expect((direct as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('caches with a TTL and then revalidates with the ETag: 304 keeps the copy, a change replaces it', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'fleet-inv-cache-'));
    const cached = { ...env, FLEET_INVENTORY_CACHE_TTL: '60', FLEET_INVENTORY_CACHE_DIR: cacheDir };
    type Doc = Record<string, { hosts?: string[] }> & {
      _meta: { hostvars: Record<string, { fleet_node_id: string }> };
    };
    const list = async (): Promise<Doc> => JSON.parse((await run(script, ['--list'], { env: cached })).stdout) as Doc;
    const first = await list();
    const file = join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.json'))!);
    expect(readFileSync(`${file}.etag`, 'utf8')).toMatch(/^W\/"ansible-v1-/);
    const expire = (): void => {
      const old = new Date(Date.now() - 120_000);
      utimesSync(file, old, old);
    };
    // Mark the cached copy: if the script re-downloaded, the marker would be gone.
    writeFileSync(file, JSON.stringify({ ...first, marker_group: { hosts: [] } }));
    expect((await list()).marker_group).toBeDefined(); // fresh: served from the file
    expire();
    expect((await list()).marker_group).toBeDefined(); // expired, server says 304: still the file
    expect(Date.now() - statMtime(file)).toBeLessThan(30_000); // and the TTL starts again

    const nodeId = first._meta.hostvars['cmp-0003']!.fleet_node_id;
    const node = await s.admin.getNode(nodeId);
    await s.admin.updateNode(nodeId, { groups: ['openstack-compute', 'canary'] }, { version: node.version });
    expect((await list()).group_canary).toBeUndefined(); // within the TTL the copy is used
    expire();
    const changed = await list();
    expect(changed.group_canary?.hosts).toEqual(['cmp-0003']);
    expect(changed.marker_group).toBeUndefined();
  }, 60_000);

  it('leaves failed and maintenance nodes out of every group by default; FLEET_INVENTORY_STATES brings them in', async () => {
    type Doc = Record<string, { hosts?: string[] }> & { _meta: { hostvars: Record<string, Record<string, unknown>> } };
    const [def, wider] = await Promise.all([
      run('ansible-inventory', ['-i', script, '--list'], { env }),
      run('ansible-inventory', ['-i', script, '--list'], {
        env: { ...env, FLEET_INVENTORY_STATES: 'deployed,maintenance' },
      }),
    ]);
    const d = JSON.parse(def.stdout) as Doc;
    expect(d.role_compute?.hosts?.sort()).toEqual(['cmp-0002', 'cmp-0003']);
    expect(d.state_failed).toBeUndefined();
    const w = JSON.parse(wider.stdout) as Doc;
    expect(w.role_compute?.hosts?.sort()).toEqual(['cmp-0002', 'cmp-0003', 'cmp-0005']);
    expect(w.state_maintenance?.hosts).toEqual(['cmp-0005']);
    expect(w._meta.hostvars['cmp-0004']).toBeUndefined();
    // ansible itself: -l role_compute reaches the deployed nodes only.
    const limited = (await run('ansible', ['-i', script, 'role_compute', '--list-hosts'], { env })).stdout;
    expect(limited).toMatch(/hosts \(2\)/);
    expect(limited).not.toContain('cmp-0004');
    // Host variables carry what finds a machine in the rack.
    expect(d._meta.hostvars['cmp-0002']).toMatchObject({
      fleet_serial: null,
      fleet_system_uuid: '4c4c4544-0042-3610-8051-000000000002',
      fleet_macs: ['3c:ec:ef:00:00:02'],
      fleet_bmc_address: null,
      fleet_state: 'deployed',
    });
  }, 60_000);

  it('groups by keyed groups and composes variables from fleet-inventory.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-inv-cfg-'));
    writeFileSync(
      join(dir, 'fleet-inventory.json'),
      JSON.stringify({
        groupBy: ['role'],
        keyedGroups: [{ key: 'fleet_location.room', prefix: 'room' }],
        compose: { rack_label: '{fleet_location.site}-{fleet_location.rack}' },
      }),
    );
    const graph = (await run('ansible-inventory', ['-i', script, '--graph', '--vars'], { env, cwd: dir })).stdout;
    expect(graph).toContain('@room_b1:');
    expect(graph).toContain('@room_b2:');
    expect(graph).toContain('{rack_label = lab-r02}');
    expect(graph).not.toContain('@group_openstack_compute');
    const list = JSON.parse(
      (await run('ansible-inventory', ['-i', script, '--list'], { env, cwd: dir })).stdout,
    ) as Record<string, { hosts?: string[] }>;
    expect(list.room_b2?.hosts).toEqual(['cmp-0002']);
    expect(list.room_b1?.hosts?.sort()).toEqual(['cmp-0001', 'cmp-0003']);
    // A broken config fails Ansible (with the settings below), with the script's one line.
    writeFileSync(join(dir, 'fleet-inventory.json'), JSON.stringify({ groupBy: ['colour'] }));
    const bad = await run('ansible-inventory', ['-i', script, '--list'], { env, cwd: dir }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((bad as { code: number }).code).not.toBe(0);
    expect((bad as { stderr: string }).stderr).toContain('INVENTORY_CONFIG');
  }, 60_000);

  it('with the documented ansible.cfg a server outage fails the Ansible run; without it Ansible runs on 0 hosts', async () => {
    const cfg = fileURLToPath(new URL('../ansible.cfg', import.meta.url));
    // Nothing listens on the discard port: the server is down.
    const { ANSIBLE_INVENTORY_UNPARSED_FAILED: _, ...plain } = env;
    const down = { ...plain, FLEET_URL: 'http://127.0.0.1:9', ANSIBLE_CONFIG: cfg };
    const failed = await run('ansible', ['-i', script, 'all', '-m', 'ping'], { env: down }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failed as { code?: number }).code).not.toBe(0);
    expect((failed as { stderr: string }).stderr).toMatch(/INVENTORY_UNREACHABLE|failed to parse/i);
    // The same outage without the snippet: a warning, no hosts, and success (what the snippet prevents).
    const empty = join(mkdtempSync(join(tmpdir(), 'fleet-inv-nocfg-')), 'ansible.cfg');
    writeFileSync(empty, '[defaults]\n');
    const silent = await run('ansible', ['-i', script, 'all', '-m', 'ping'], {
      env: { ...plain, FLEET_URL: 'http://127.0.0.1:9', ANSIBLE_CONFIG: empty },
    });
    expect(silent.stderr).toMatch(/No inventory was parsed/); // and exit 0: run() did not throw
    // The server up again, same settings: every deployed host is a target.
    const up = await run('ansible', ['-i', script, 'all', '--list-hosts'], { env: { ...plain, ANSIBLE_CONFIG: cfg } });
    expect(up.stdout).toMatch(/hosts \(3\)/);
  }, 60_000);
});

function statMtime(file: string): number {
  return statSync(file).mtimeMs;
}
