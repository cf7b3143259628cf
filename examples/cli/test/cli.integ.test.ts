import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFleetServer, type FleetServer, loadServerConfig } from '@fleet/example-server';
import { createMachineDbClient } from '@fleet/machinedb-client';
import type { Inventory } from '@fleet/machinedb-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetBin, oneErrorLine, runCli, runInProcess } from './run-cli.js';

// The real provisioning server on a temporary SQLite, the CLI as a subprocess against it.
describe('fleet against the real server', () => {
  let dir: string;
  let server: FleetServer;
  let url: string;
  let token: string;
  let nodeId: string;
  let env: Record<string, string>;

  const inventory: Inventory = {
    systemUuid: '4c4c4544-0042-3610-8051-000000000abc',
    serial: 'CZ0ABC',
    cpus: [{ socket: 0, model: 'Intel(R) Xeon(R) Gold 6230', cores: 20, threads: 40 }],
    memory: { totalBytes: 384 * 2 ** 30 },
    disks: [
      {
        name: 'nvme0n1',
        sizeBytes: 960_197_124_096,
        model: 'SAMSUNG MZQL2960HCJR',
        serial: 'S64FNE0R0ABC',
        rotational: false,
        byId: ['/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR_S64FNE0R0ABC'],
      },
    ],
    nics: [{ name: 'eno1', mac: '3c:ec:ef:00:0a:bc', speedMbps: 1000 }],
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-cli-'));
    server = await createFleetServer(loadServerConfig({ FLEET_DATA_DIR: join(dir, 'data'), FLEET_PORT: '0' }));
    url = await server.listen();
    const admin = server.initialAdmin;
    if (!admin) throw new Error('the server made no initial admin');
    const client = createMachineDbClient({ baseUrl: url });
    try {
      token = (await client.login({ username: admin.username, password: admin.password })).token;
      nodeId = (await client.submitInventory(inventory)).nodeId;
    } finally {
      await client.close();
    }
    env = { FLEET_URL: url, FLEET_TOKEN: token, HOME: dir };
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the password from FLEET_PASSWORD or stdin and prints a working token', async () => {
    const admin = server.initialAdmin!;
    const [fromEnv, fromStdin, wrong] = await Promise.all([
      runCli(['login', admin.username], { FLEET_URL: url, HOME: dir, FLEET_PASSWORD: admin.password }),
      runCli(['login', admin.username, '--json'], { FLEET_URL: url, HOME: dir }, `${admin.password}\n`),
      runInProcess(['login', admin.username], { FLEET_URL: url, HOME: dir, FLEET_PASSWORD: 'not-the-password' }),
    ]);
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const printed = fromEnv.stdout.trim();
    expect(printed).toMatch(/^\S+$/);
    expect((JSON.parse(fromStdin.stdout) as { token: string }).token).toMatch(/^\S+$/);
    expect(wrong.code).toBe(3);
    expect(oneErrorLine(wrong)).not.toContain('not-the-password');
    // The printed token is accepted by the API.
    const list = await runInProcess(['nodes', 'list', '--json'], { FLEET_URL: url, FLEET_TOKEN: printed, HOME: dir });
    expect(list.code, list.stderr).toBe(0);
  });

  it('on a terminal, login asks for the password without echoing it', async () => {
    const admin = server.initialAdmin!;
    // util-linux `script` gives the CLI a real pseudo-terminal; the password is typed once the prompt shows.
    const child = spawn(
      'script',
      ['-q', '-c', `${process.execPath} ${fleetBin} login ${admin.username}`, '/dev/null'],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, FLEET_URL: url, TERM: 'dumb' },
      },
    );
    let seen = '';
    let typed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (!typed && seen.includes(`password for ${admin.username}: `)) {
        typed = true;
        child.stdin.write(`${admin.password}\r`);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, seen).toBe(0);
    expect(seen).not.toContain(admin.password);
    const token = /(mdbt\.\S+)/.exec(seen)?.[1];
    const list = await runInProcess(['nodes', 'list', '--json'], {
      FLEET_URL: url,
      FLEET_TOKEN: token ?? '',
      HOME: dir,
    });
    expect(list.code, list.stderr).toBe(0);
  });

  it('lists, shows and places nodes; --json parses', async () => {
    const [table, json, show] = await Promise.all([
      runCli(['nodes', 'list'], env),
      runInProcess(['nodes', 'list', '--json'], env),
      runInProcess(['nodes', 'show', nodeId, '--json'], env),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+HOSTNAME\s+STATE/);
    expect(table.stdout).toContain(nodeId);
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((n) => n.id)).toEqual([nodeId]);
    const detail = JSON.parse(show.stdout) as { id: string; serial: string; inventory: { disks: unknown[] } };
    expect(detail.id).toBe(nodeId);
    expect(detail.inventory.disks).toHaveLength(1);

    const placed = await runCli(
      ['nodes', 'set-location', nodeId, '--site', 'lab', '--rack', 'r07', '--unit', '12', '--json'],
      env,
    );
    expect(placed.code, placed.stderr).toBe(0);
    expect((JSON.parse(placed.stdout) as { location: unknown }).location).toEqual({
      site: 'lab',
      rack: 'r07',
      unit: 12,
    });
    const [inRack, otherRack] = await Promise.all([
      runInProcess(['nodes', 'list', '--rack', 'r07', '--json'], env),
      runInProcess(['nodes', 'list', '--rack', 'r08', '--json'], env),
    ]);
    expect(JSON.parse(inRack.stdout)).toHaveLength(1);
    expect(JSON.parse(otherRack.stdout)).toHaveLength(0);
  });

  it('transitions a node; an illegal transition exits 3 with one line naming the allowed states', async () => {
    const ok = await runCli(['nodes', 'transition', nodeId, 'maintenance', '--reason', 'PSU swap', '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { state: string }).state).toBe('maintenance');
    const bad = await runCli(['nodes', 'transition', nodeId, 'installing', '--reason', 'skip ahead'], env);
    expect(bad.code).toBe(3);
    expect(bad.stdout).toBe('');
    const line = oneErrorLine(bad);
    expect(line).toMatch(/^fleet: ILLEGAL_TRANSITION: /);
    expect(line).toContain('deployed, inventoried, bmc-configured, decommissioned');
    const history = await runInProcess(['nodes', 'history', nodeId, '--json'], env);
    expect(
      (JSON.parse(history.stdout) as Array<{ action: string; reason: string | null }>).some(
        (h) => h.reason === 'PSU swap',
      ),
    ).toBe(true);
  });

  it('allocates, releases and exports IPAM addresses', async () => {
    const alloc = await runCli(
      ['ipam', 'allocate', '--pool', 'primary', '--node', nodeId, '--function', 'test', '--json'],
      env,
    );
    expect(alloc.code, alloc.stderr).toBe(0);
    const prefix = (JSON.parse(alloc.stdout) as { prefix: string; node: string }).prefix;
    expect(prefix).toMatch(/^10\.20\.\d+\.\d+\/32$/);
    const [csv, search] = await Promise.all([
      runCli(['ipam', 'export', '--format', 'csv'], env),
      runInProcess(['ipam', 'search', '--node', nodeId, '--json'], env),
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toContain('prefix');
    expect(csv.stdout).toContain(prefix);
    expect((JSON.parse(search.stdout) as Array<{ prefix: string }>).map((p) => p.prefix)).toContain(prefix);

    const released = await runInProcess(['ipam', 'release', prefix], env);
    expect(released.code, released.stderr).toBe(0);
    const [json, again, pools] = await Promise.all([
      runCli(['ipam', 'export', '--format', 'json'], env),
      runInProcess(['ipam', 'release', prefix], env),
      runInProcess(['ipam', 'pools'], env),
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(json.stdout))).not.toContain(`"${prefix}"`);
    expect(again.code).toBe(3);
    oneErrorLine(again);
    expect(pools.stdout).toMatch(/^POOL\s+VRF/);
    expect(pools.stdout).toContain('primary');
  });

  it('reads url and token from ~/.config/fleet/config.json; FLEET_URL wins over the file', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'fleet'), { recursive: true });
    writeFileSync(join(home, '.config', 'fleet', 'config.json'), JSON.stringify({ url, token }));
    const fromFile = await runInProcess(['ipam', 'pools', '--json'], { HOME: home });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect((JSON.parse(fromFile.stdout) as Array<{ name: string }>).map((p) => p.name)).toContain('primary');
    const envWins = await runInProcess(['ipam', 'pools'], { HOME: home, FLEET_URL: 'http://127.0.0.1:9' });
    expect(envWins.code).toBe(3);
    expect(oneErrorLine(envWins)).toMatch(/^fleet: SERVER_UNREACHABLE: .*127\.0\.0\.1:9/);
  });

  it('exits 3 with one line without a token, and 1-line usage errors exit 2 before any request', async () => {
    const [anonymous, noReason, badState] = await Promise.all([
      runCli(['ipam', 'pools'], { FLEET_URL: url, HOME: dir }),
      runInProcess(['nodes', 'transition', nodeId, 'maintenance'], env),
      runInProcess(['nodes', 'transition', nodeId, 'sleeping', '--reason', 'x'], env),
    ]);
    expect(anonymous.code).toBe(3);
    expect(oneErrorLine(anonymous)).toMatch(/^fleet: UNAUTHENTICATED: .*no token is set: run "fleet login USER"/);
    expect(anonymous.stderr).not.toContain('Bearer');
    const listAnonymous = await runInProcess(['nodes', 'list'], { FLEET_URL: url, HOME: dir });
    expect(listAnonymous.code).toBe(3);
    expect(oneErrorLine(listAnonymous)).toMatch(/^fleet: UNAUTHENTICATED: .*no token is set: run "fleet login USER"/);
    expect(noReason.code).toBe(2);
    expect(oneErrorLine(noReason)).toContain('--reason');
    expect(badState.code).toBe(2);
    expect(oneErrorLine(badState)).toContain('sleeping');
    // This server has no Consul datacenters: drift is a server-side error, not "no drift".
    const drift = await runInProcess(['drift'], env);
    expect(drift.code).toBe(3);
    expect(oneErrorLine(drift)).toMatch(/^fleet: DRIFT_NOT_CONFIGURED: /);
  });
  it('names a node by id, hostname, MAC or serial; an ambiguous name lists the matches; lists sort by hostname', async () => {
    const client = createMachineDbClient({ baseUrl: url, token });
    const made: string[] = [];
    try {
      // Three more nodes: cmp-0010 and cmp-0002 (so natural order matters), and one whose hostname is
      // another node's serial (an ambiguous name).
      for (const [i, hostname] of [
        [1, 'cmp-0010'],
        [2, 'cmp-0002'],
        [3, 'cz0abc'],
      ] as const) {
        const id = (
          await client.submitInventory({
            ...inventory,
            systemUuid: `4c4c4544-0042-3610-8051-00000000010${i}`,
            serial: `CZ010${i}`,
            disks: [],
            nics: [{ name: 'eno1', mac: `3c:ec:ef:00:01:0${i}` }],
          })
        ).nodeId;
        const node = await client.getNode(id);
        await client.updateNode(id, { hostname }, { version: node.version });
        made.push(id);
      }
      const [byHost, byMac, byMacUpper, bySerial, byId] = await Promise.all([
        runCli(['nodes', 'show', 'cmp-0010', '--json'], env),
        runInProcess(['nodes', 'show', '3c:ec:ef:00:01:02', '--json'], env),
        runInProcess(['nodes', 'show', '3C-EC-EF-00-01-02', '--json'], env),
        runInProcess(['nodes', 'show', 'cz0102', '--json'], env),
        runInProcess(['nodes', 'show', made[2]!, '--json'], env),
      ]);
      expect(byHost.code, byHost.stderr).toBe(0);
      expect((JSON.parse(byHost.stdout) as { id: string }).id).toBe(made[0]);
      expect((JSON.parse(byMac.stdout) as { id: string }).id).toBe(made[1]);
      expect((JSON.parse(byMacUpper.stdout) as { id: string }).id).toBe(made[1]);
      expect((JSON.parse(bySerial.stdout) as { id: string }).id).toBe(made[1]);
      expect((JSON.parse(byId.stdout) as { id: string }).id).toBe(made[2]);

      // "cz0abc" is the first node's serial (CZ0ABC) and the third new node's hostname.
      const [ambiguous, partial, history, placed] = await Promise.all([
        runCli(['nodes', 'show', 'cz0abc'], env),
        runInProcess(['nodes', 'show', 'cmp-001'], env),
        runInProcess(['nodes', 'history', 'cmp-0002', '--json'], env),
        runInProcess(['nodes', 'groups', '3c:ec:ef:00:01:01', '--add', 'canary', '--json'], env),
      ]);
      expect(ambiguous.code).toBe(2);
      const line = oneErrorLine(ambiguous);
      expect(line).toMatch(/^fleet: NODE_AMBIGUOUS: "cz0abc" matches 2 nodes: /);
      expect(line).toContain(`${nodeId} (serial`);
      expect(line).toContain(`${made[2]} (hostname`);
      // Only exact names match: a prefix of a hostname is no node.
      expect(partial.code).toBe(3);
      expect(oneErrorLine(partial)).toMatch(/^fleet: NODE_NOT_FOUND: .*"cmp-001"/);
      expect(history.code, history.stderr).toBe(0);
      expect((JSON.parse(history.stdout) as Array<{ nodeId: string }>).every((h) => h.nodeId === made[1])).toBe(true);
      expect((JSON.parse(placed.stdout) as { id: string; groups: string[] }).groups).toContain('canary');

      const list = await runCli(['nodes', 'list'], env);
      const hostnames = list.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((row) => row.split(/\s+/)[1]);
      // Natural order (cmp-0002 before cmp-0010), nameless nodes ("-") last.
      expect(hostnames).toEqual(['cmp-0002', 'cmp-0010', 'cz0abc', '-']);
    } finally {
      await client.close();
    }
  });
});
