import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger, type ExecResult, type Executor } from '@fleet/core';
import { hasService } from '@fleet/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AgentEvent,
  collectInventory,
  createMachineDbClient,
  type MachineDbClient,
  planBmcCommands,
  runAgent,
} from '../src/index.js';
import { r650 } from './fixture-host.js';
import { sampleInventory } from './inventory-samples.js';
import { type StoreKind, startMachineDb, type TestServer } from './server.js';

/** The R650 fixture host, whose ipmitool accepts (and records) configuration commands. */
function bmcHost(options: { failOn?: string } = {}) {
  const { executor: tools, files } = r650();
  const ipmi: string[][] = [];
  const executor: Executor = {
    target: 'r650',
    async run(command, args, opts): Promise<ExecResult> {
      const writes = command === 'ipmitool' && !(args[0] === 'lan' && args[1] === 'print') && args[0] !== 'mc';
      if (!writes) return await tools.run(command, args, opts);
      ipmi.push([...args]);
      if (options.failOn && args.join(' ').includes(options.failOn)) {
        return {
          code: 1,
          stdout: '',
          stderr: `Set User Password command failed (user 3, password ${args.at(-1)})`,
          durationMs: 1,
        };
      }
      return { code: 0, stdout: '', stderr: '', durationMs: 1 };
    },
  };
  return { executor, files, ipmi };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not happen within ${ms} ms`);
}

const kinds: Array<{ kind: StoreKind; available: () => boolean }> = [
  { kind: 'sqlite', available: () => true },
  { kind: 'postgres', available: () => hasService('postgres') },
];

let server: TestServer | undefined;
const clients: MachineDbClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await server?.close();
  server = undefined;
});

async function adminOf(s: TestServer): Promise<MachineDbClient> {
  const anonymous = createMachineDbClient({ baseUrl: s.url, retries: 8, retryBaseMs: 50 });
  clients.push(anonymous);
  return anonymous.withToken((await anonymous.login(s.adminUser)).token);
}

for (const { kind, available } of kinds) {
  describe.skipIf(!available())(`runAgent against the real MachineDB server (${kind})`, () => {
    it('drives a node from new to bmc-configured through a server restart, never logging the password', async () => {
      server = await startMachineDb(kind);
      const admin = await adminOf(server);
      const host = bmcHost();
      const logger = createMemoryLogger();
      const events: AgentEvent[] = [];
      const agentClient = createMachineDbClient({ baseUrl: server.url, retries: 2, retryBaseMs: 20, timeoutMs: 2000 });
      clients.push(agentClient);
      const controller = new AbortController();
      const run = runAgent({
        client: agentClient,
        executor: host.executor,
        inventory: () => collectInventory({ executor: host.executor, files: host.files }),
        signal: controller.signal,
        logger,
        onEvent: (e) => events.push(e),
        maxPollMs: 100,
        backoffMinMs: 50,
        backoffMaxMs: 300,
      });
      run.catch(() => undefined);

      // The admin sees the node appear, inventoried from the agent's report.
      const node = await waitFor('enrolment', async () => {
        const page = await admin.listNodes({ q: '4c4c4544-0042-3210-8052-b5c04f4b3933' });
        return page.items[0];
      });
      expect(node.state).toBe('inventoried');
      const history = (await admin.listNodeHistory(node.id)).items.map((h) => h.action);
      expect(history.length).toBeGreaterThan(0);

      // The server goes away until the agent has met the outage (a fixed window can pass between two polls
      // on a loaded box); the agent keeps polling through it.
      await server.stop();
      await waitFor('the agent retrying while the server is down', async () =>
        events.some((e) => e.type === 'retrying') ? true : undefined,
      );
      await server.start();
      const waitsBefore = events.filter((e) => e.type === 'waiting').length;
      await waitFor('a poll after the restart', async () =>
        events.filter((e) => e.type === 'waiting').length > waitsBefore ? true : undefined,
      );

      // The admin places the node and picks its system disk: it becomes ready-for-bmc.
      const detail = await admin.getNode(node.id);
      const disk = detail.inventory?.disks.find((d) => d.name === 'sda');
      const placed = await admin.updateNode(
        node.id,
        {
          location: { site: 'ams1', rack: 'r12', unit: 17 },
          systemDisk: { serial: disk!.serial! },
          hostname: 'r650-0117',
        },
        { version: detail.version },
      );
      expect(placed.state).toBe('ready-for-bmc');

      const result = await run;
      expect(result).toMatchObject({ outcome: 'bmc-configured', nodeId: node.id, state: 'bmc-configured' });
      const after = await admin.getNode(node.id);
      expect(after.state).toBe('bmc-configured');
      const bmcAddress = after.addresses.find((a) => a.purpose === 'bmc')!;

      expect(host.ipmi).toContainEqual(['lan', 'set', '1', 'ipaddr', bmcAddress.address]);
      expect(host.ipmi).toContainEqual(['lan', 'set', '1', 'ipsrc', 'static']);
      const passwordCall = host.ipmi.find((a) => a[0] === 'user' && a[2] === 'password')!;
      const password = passwordCall.at(-1)!;
      expect(password.length).toBeGreaterThanOrEqual(8);
      const logged = JSON.stringify([logger.entries, events]);
      expect(logged).not.toContain(password);
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining([
          'inventory-collected',
          'inventory-submitted',
          'waiting',
          'retrying',
          'bmc-applied',
          'reported',
          'done',
        ]),
      );
    });
  });
}

describe('runAgent failure and stop paths (SQLite)', () => {
  it('reports a failed BMC step with the password masked', async () => {
    server = await startMachineDb('sqlite');
    const admin = await adminOf(server);
    const host = bmcHost({ failOn: 'user set password' });
    const controller = new AbortController();
    const agentClient = createMachineDbClient({ baseUrl: server.url });
    clients.push(agentClient);
    const events: AgentEvent[] = [];
    const run = runAgent({
      client: agentClient,
      executor: host.executor,
      inventory: async () => sampleInventory(7),
      signal: controller.signal,
      maxPollMs: 50,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'reported' && e.event === 'failed') controller.abort();
      },
    });
    const node = await waitFor('enrolment', async () => (await admin.listNodes({ state: 'inventoried' })).items[0]);
    const detail = await admin.getNode(node.id);
    await admin.updateNode(
      node.id,
      { location: { site: 'ams1', rack: 'r1' }, systemDisk: { serial: detail.inventory!.disks[0]!.serial! } },
      { version: detail.version },
    );
    const result = await run;
    expect(result.outcome).toBe('aborted');
    const failed = await admin.getNode(node.id);
    expect(failed.state).toBe('failed');
    const password = host.ipmi.find((a) => a[2] === 'password')!.at(-1)!;
    expect(failed.stateReason).toContain('***');
    expect(failed.stateReason).not.toContain(password);
    expect(JSON.stringify(events)).not.toContain(password);
  });

  it('enrols again when the server lost its node and token (database restored from before the enrolment)', async () => {
    server = await startMachineDb('sqlite');
    const host = bmcHost();
    const logger = createMemoryLogger();
    const events: AgentEvent[] = [];
    const agentClient = createMachineDbClient({ baseUrl: server.url, retries: 1, retryBaseMs: 20, timeoutMs: 2000 });
    clients.push(agentClient);
    const run = runAgent({
      client: agentClient,
      executor: host.executor,
      inventory: async () => sampleInventory(11),
      logger,
      onEvent: (e) => events.push(e),
      maxPollMs: 50,
      backoffMinMs: 20,
      backoffMaxMs: 100,
    });
    run.catch(() => undefined);
    const submitted = () => events.filter((e) => e.type === 'inventory-submitted');
    await waitFor('the first enrolment', async () => (submitted().length === 1 ? true : undefined));
    const firstId = (submitted()[0] as Extract<AgentEvent, { type: 'inventory-submitted' }>).nodeId;
    await waitFor('a config poll', async () => (events.some((e) => e.type === 'waiting') ? true : undefined));

    await server.wipe();
    const admin = await adminOf(server);
    // The node's token is unknown now (401): the agent enrols again and the node reappears.
    const node = await waitFor('the node after the restore', async () => (await admin.listNodes({})).items[0]);
    expect(submitted()).toHaveLength(2);
    expect(submitted()[1]).toMatchObject({ created: true, nodeId: node.id, state: 'inventoried' });
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'agent re-enrolling',
        fields: expect.objectContaining({ nodeId: firstId }),
      }),
    );

    // And it carries on from there with its new node.
    const detail = await admin.getNode(node.id);
    await admin.updateNode(
      node.id,
      { location: { site: 'ams1', rack: 'r3' }, systemDisk: { serial: detail.inventory!.disks[0]!.serial! } },
      { version: detail.version },
    );
    expect(await run).toMatchObject({ outcome: 'bmc-configured', nodeId: node.id });
  });

  it('after a restore that still knows the node under another token, waits for an admin identity reset', async () => {
    server = await startMachineDb('sqlite');
    const admin = await adminOf(server);
    const host = bmcHost();
    const logger = createMemoryLogger();
    const events: AgentEvent[] = [];
    const agentClient = createMachineDbClient({ baseUrl: server.url, retries: 1, retryBaseMs: 20, timeoutMs: 2000 });
    clients.push(agentClient);
    const run = runAgent({
      client: agentClient,
      executor: host.executor,
      inventory: async () => sampleInventory(12),
      logger,
      onEvent: (e) => events.push(e),
      maxPollMs: 50,
      backoffMinMs: 20,
      backoffMaxMs: 100,
    });
    run.catch(() => undefined);
    const submitted = () => events.filter((e) => e.type === 'inventory-submitted');
    await waitFor('the first enrolment', async () => (submitted().length === 1 ? true : undefined));
    const nodeId = (submitted()[0] as Extract<AgentEvent, { type: 'inventory-submitted' }>).nodeId;
    // As if the database came back from a backup holding an older token: the agent's token is refused.
    await admin.resetNodeIdentity(nodeId, { reason: 'simulate a restore' });
    const stale = await server.app.machineDb.submitInventory(sampleInventory(12), { kind: 'enrol' });
    expect(stale.nodeId).toBe(nodeId);
    await waitFor('the agent waiting for a reset', async () =>
      logger.entries.some((e) => e.message === 'agent waiting for an identity reset') ? true : undefined,
    );
    // Nothing was taken over meanwhile: one node, one enrolment by the agent.
    expect((await admin.listNodes({})).items.map((n) => n.id)).toEqual([nodeId]);
    expect(submitted()).toHaveLength(1);
    // The admin vouches for the machine: the agent claims its node again and carries on.
    await admin.resetNodeIdentity(nodeId, { reason: 'the live system on rack 3 is the real one' });
    await waitFor('the enrolment after the reset', async () => (submitted().length === 2 ? true : undefined));
    expect(submitted()[1]).toMatchObject({ nodeId, created: false });
    const detail = await admin.getNode(nodeId);
    await admin.updateNode(
      nodeId,
      { location: { site: 'ams1', rack: 'r3' }, systemDisk: { serial: detail.inventory!.disks[0]!.serial! } },
      { version: detail.version },
    );
    expect(await run).toMatchObject({ outcome: 'bmc-configured', nodeId });
    const history = (await admin.listNodeHistory(nodeId)).items.map((h) => h.action);
    expect(history.filter((a) => a === 'identity-reset')).toHaveLength(2);
  });

  it('enrols with the provisioning secret, and gives up at once when the secret is wrong', async () => {
    const secret = 'provisioning-secret-0123456789';
    server = await startMachineDb('sqlite', { provisioningSecret: secret });
    const wrong = createMachineDbClient({ baseUrl: server.url, token: 'not-the-secret-000000' });
    const right = createMachineDbClient({ baseUrl: server.url, token: secret });
    clients.push(wrong, right);
    const base = { executor: bmcHost().executor, inventory: async () => sampleInventory(9), maxPollMs: 50 };
    const error = await runAgent({ ...base, client: wrong }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(JSON.stringify([(error as Error).message])).not.toContain('not-the-secret');
    const controller = new AbortController();
    const result = await runAgent({
      ...base,
      client: right,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'waiting') controller.abort();
      },
    });
    expect(result).toMatchObject({ outcome: 'aborted', state: 'inventoried' });
  });

  it('stops cleanly on abort while waiting for the admin', async () => {
    server = await startMachineDb('sqlite');
    const controller = new AbortController();
    const agentClient = createMachineDbClient({ baseUrl: server.url });
    clients.push(agentClient);
    const run = runAgent({
      client: agentClient,
      executor: bmcHost().executor,
      inventory: async () => sampleInventory(8),
      signal: controller.signal,
      maxPollMs: 60_000,
      onEvent: (e) => {
        if (e.type === 'waiting') controller.abort();
      },
    });
    expect(await run).toMatchObject({ outcome: 'aborted', state: 'inventoried' });
  });

  it('plans validated ipmitool commands and refuses unsafe BMC settings', () => {
    const plan = planBmcCommands({
      address: '10.250.0.17',
      prefixLength: 16,
      gateway: '10.250.0.1',
      user: 'fleet',
      password: 'S3cret-pass',
      channel: 1,
      userId: 3,
    });
    expect(plan).toContainEqual(['lan', 'set', '1', 'netmask', '255.255.0.0']);
    expect(plan).toContainEqual(['lan', 'set', '1', 'defgw', 'ipaddr', '10.250.0.1']);
    const base = {
      address: '10.0.0.1',
      prefixLength: 24,
      gateway: null,
      user: 'fleet',
      password: 'S3cret-pass',
      channel: 1,
      userId: 3,
    };
    const fieldOf = (bmc: typeof base) => {
      try {
        planBmcCommands(bmc);
        return undefined;
      } catch (error) {
        return { field: (error as { field?: string }).field, message: (error as Error).message };
      }
    };
    expect(fieldOf({ ...base, address: '10.0.0.1; reboot' })?.field).toBe('bmc.address');
    expect(fieldOf({ ...base, user: 'root --x' })?.field).toBe('bmc.user');
    const weak = fieldOf({ ...base, password: 'short' });
    expect(weak?.field).toBe('bmc.password');
    expect(weak?.message).not.toContain('short');
  });
});

describe('the fleet-agent executable', () => {
  it('enrols, waits, and exits 0 on SIGTERM', async () => {
    server = await startMachineDb('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'fleet-agent-'));
    try {
      const inventoryFile = join(dir, 'inventory.json');
      writeFileSync(inventoryFile, JSON.stringify(sampleInventory(42)));
      const root = new URL('../../../', import.meta.url).pathname;
      const bin = new URL('../src/fleet-agent.ts', import.meta.url).pathname;
      // One process (node with tsx's loader), so SIGTERM reaches the agent itself, as on a live system.
      const args = [
        '--import',
        'tsx',
        bin,
        '--server',
        server.url,
        '--inventory-file',
        inventoryFile,
        '--dry-run',
        '--max-poll-ms',
        '100',
      ];
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await waitFor('agent waiting', async () => (/agent waiting/.test(stderr) ? true : undefined), 30_000);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/"outcome":"aborted"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
