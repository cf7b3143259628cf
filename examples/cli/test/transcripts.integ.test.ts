import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetServer, type FleetServer, loadServerConfig } from '@fleet/example-server';
import { createMachineDbClient } from '@fleet/machinedb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runInProcess } from './run-cli.js';

// Transcripts of the main commands against the real server: the exact text a person sees, with ids and
// times replaced by same-width placeholders so the columns stay where they are.
describe('transcripts of the main commands', () => {
  let dir: string;
  let server: FleetServer;
  let env: Record<string, string>;
  const ids = new Map<string, string>();

  /** Ids → `<cmp-0001>` and ISO times → `<time>`, each padded to the width of what it replaces. */
  const normal = (text: string): string => {
    let out = text;
    for (const [id, host] of ids) out = out.replaceAll(id, `<${host}>`.padEnd(id.length));
    return out.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, (t) => '<time>'.padEnd(t.length));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-cli-transcripts-'));
    server = await createFleetServer(loadServerConfig({ FLEET_DATA_DIR: join(dir, 'data'), FLEET_PORT: '0' }));
    const url = await server.listen();
    const admin = server.initialAdmin!;
    const client = createMachineDbClient({ baseUrl: url });
    const token = (await client.login({ username: admin.username, password: admin.password })).token;
    const authed = client.withToken(token);
    // Enrolled in this order, named so that id order and name order differ.
    for (const [i, host] of [
      [1, 'cmp-0010'],
      [2, 'cmp-0002'],
      [3, 'ctl-0001'],
    ] as const) {
      const { nodeId } = await client.submitInventory({
        systemUuid: `4c4c4544-0042-3610-8051-00000000000${i}`,
        serial: `CZ000${i}`,
        cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
        memory: { totalBytes: 2 ** 36 },
        disks: [],
        nics: [{ name: 'eno1', mac: `3c:ec:ef:00:00:0${i}` }],
      });
      const node = await authed.getNode(nodeId);
      await authed.updateNode(
        nodeId,
        {
          hostname: host,
          roles: [host.startsWith('ctl') ? 'controller' : 'compute'],
          groups: ['openstack'],
          location: { site: 'lab', rack: `r0${i}`, unit: i },
          reason: 'racked',
        },
        { version: node.version },
      );
      ids.set(nodeId, host);
    }
    await client.close();
    env = { FLEET_URL: url, FLEET_TOKEN: token, HOME: dir };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('nodes list: sorted by hostname, stable columns', async () => {
    const run = await runCli(['nodes', 'list'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(normal(run.stdout)).toBe(
      [
        'ID                    HOSTNAME  STATE        LOCATION    ADDRESS  ROLES       GROUPS',
        '<cmp-0002>            cmp-0002  inventoried  lab/r02/u2  -        compute     openstack',
        '<cmp-0010>            cmp-0010  inventoried  lab/r01/u1  -        compute     openstack',
        '<ctl-0001>            ctl-0001  inventoried  lab/r03/u3  -        controller  openstack',
        '',
      ].join('\n'),
    );
  });

  it('nodes show by serial', async () => {
    const run = await runInProcess(['nodes', 'show', 'CZ0003'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(normal(run.stdout)).toBe(
      [
        'id:          <ctl-0001>          ',
        'hostname:    ctl-0001',
        'fqdn:        -',
        'state:       inventoried since <time>                  ',
        'boot target: live',
        'location:    lab/r03/u3',
        'system disk: -',
        'serial:      CZ0003',
        'system uuid: 4c4c4544-0042-3610-8051-000000000003',
        'macs:        3c:ec:ef:00:00:03',
        'addresses:   -',
        'bmc:         -',
        'asn:         -',
        'cluster:     -',
        'roles:       controller',
        'groups:      openstack',
        'tags:        -',
        'version:     2',
        '',
      ].join('\n'),
    );
  });

  it('nodes transition and history, cut between fields', async () => {
    const moved = await runInProcess(['nodes', 'transition', 'cmp-0002', 'maintenance', '--reason', 'PSU swap'], env);
    expect(normal(moved.stdout)).toBe('<cmp-0002>          : maintenance (boot target local)\n');
    const run = await runInProcess(['nodes', 'history', '3c:ec:ef:00:00:02', '--limit', '2'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(normal(run.stdout)).toBe(
      [
        'SEQ  AT                        NODE                  ACTOR       ACTION      CHANGE                                                        REASON',
        '7    <time>                    <cmp-0002>            user:admin  transition  state="maintenance" stateReason="PSU swap" …                  PSU swap',
        '4    <time>                    <cmp-0002>            user:admin  update      hostname="cmp-0002" roles=["compute"] groups=["openstack"] …  racked',
        '',
      ].join('\n'),
    );
  });

  it('ipam pools and allocate --node by hostname, showing the pool', async () => {
    const [pools, alloc] = await Promise.all([
      runInProcess(['ipam', 'pools'], env),
      runInProcess(['ipam', 'allocate', '--pool', 'primary', '--node', 'ctl-0001', '--function', 'test'], env),
    ]);
    expect(pools.code, pools.stderr).toBe(0);
    expect(pools.stdout.split('\n')[0]).toBe('POOL      VRF      V4 USED  V4 FREE  V4 TOTAL  PREFIXES  DESCRIPTION');
    expect(pools.stdout).toMatch(/^primary {3}default {2}\d+ +\d+ +1024 +1 +node management addresses$/m);
    expect(alloc.code, alloc.stderr).toBe(0);
    expect(normal(alloc.stdout)).toBe(
      [
        'PREFIX        VRF      KIND  STATUS  POOL     NODE                  FUNCTION  DESCRIPTION',
        '10.20.0.2/32  default  host  active  primary  <ctl-0001>            test      -',
        '',
      ].join('\n'),
    );
  });

  it('common mistakes: one line each, with the exit code scripts rely on', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['frobnicate'], 2, /^fleet: USAGE: unknown command "frobnicate": run "fleet --help"/],
      [['nodes', 'show'], 2, /^fleet: USAGE: missing NODE \(id, hostname, MAC or serial\)$/],
      [
        ['nodes', 'show', 'cmp-9999'],
        3,
        /^fleet: NODE_NOT_FOUND: no node has the id, hostname, MAC or serial "cmp-9999"/,
      ],
      [
        ['nodes', 'list', '--colour'],
        2,
        /^fleet: USAGE: nodes list: Unknown option '--colour' \(see fleet nodes list --help\)$/,
      ],
      [['nodes', 'list', '--state', 'broken'], 2, /^fleet: USAGE: --state must be one of new, inventoried, /],
      [['nodes', 'list', '--limit', '0'], 2, /^fleet: USAGE: --limit must be an integer 1\.\.1000000, got "0"$/],
      [['nodes', 'transition', 'cmp-0010', 'deployed'], 2, /^fleet: USAGE: --reason is required: say why/],
      [['nodes', 'transition', 'cmp-0010', 'installing', '--reason', 'x'], 3, /^fleet: ILLEGAL_TRANSITION: /],
      [['ipam', 'allocate', '--node', 'cmp-0010'], 2, /^fleet: USAGE: give exactly one of --pool NAME or --from CIDR$/],
      [['ipam', 'allocate', '--pool', 'primary', '--node', 'cmp-9999'], 3, /^fleet: NODE_NOT_FOUND: /],
      [
        ['nodes', 'list', '--token', 'mdbt.x.y'],
        3,
        /^fleet: UNAUTHENTICATED: .*the token is not valid or was revoked$/,
      ],
      [
        ['nodes', 'list', '--url', 'ftp://fleet'],
        4,
        /^fleet: CONFIG_INVALID: server URL "ftp:\/\/fleet" is not an http\(s\) URL/,
      ],
      [
        ['rollout', 'plan', 'lab', '--targets', 'missing.json'],
        4,
        /^fleet: CONFIG_INVALID: cannot read targets file .*missing\.json \(ENOENT\)$/,
      ],
      [['completion', 'tcsh'], 2, /^fleet: USAGE: completion for bash, zsh or fish, got "tcsh"$/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runInProcess(args, env)));
    cases.forEach(([args, code, line], i) => {
      const run = runs[i]!;
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stdout, args.join(' ')).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toMatch(line);
    });
    // The same through a real process: exit status and stderr as a shell sees them.
    const real = await runCli(['nodes', 'show', 'cmp-9999'], env);
    expect(real.code).toBe(3);
    expect(real.stderr).toMatch(/^fleet: NODE_NOT_FOUND: [^\n]+\n$/);
  });
});
