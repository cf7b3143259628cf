import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleInventory, storeFixtures } from './support.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  token: string;
}

async function startServer(store: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crash-server.ts'], {
    cwd: packageDir,
    env: { ...process.env, STORE: store },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        const { url, token } = JSON.parse(line) as { url: string; token: string };
        resolve({ child, url, token });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${stderr}`));
    });
  });
}

function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

interface Ack {
  kind: 'inventory' | 'update';
  uuid?: string;
  nodeId: string;
  tag?: string;
}

for (const fixture of storeFixtures) {
  describe.skipIf(!fixture.available())(`crash safety: ${fixture.name}`, () => {
    it('keeps every acknowledged write and nothing half-applied after SIGKILL', async () => {
      const { store: probe, location, cleanup } = await fixture.create();
      await probe.close();
      const spec = `${fixture.name}:${location}`;
      let server: Running | undefined;
      try {
        server = await startServer(spec);
        const { url, token } = server;
        const acked: Ack[] = [];
        const nodes: string[] = [];
        let counter = 0;
        let stop = false;
        const worker = async () => {
          while (!stop) {
            const n = counter++;
            try {
              if (nodes.length < 5 || n % 3 !== 0) {
                const inv = sampleInventory(10_000 + n);
                const res = await fetch(`${url}/api/v1/inventory`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify(inv),
                });
                if (res.status !== 200) throw new Error(`inventory ${res.status}`);
                const body = (await res.json()) as { nodeId: string };
                nodes.push(body.nodeId);
                acked.push({ kind: 'inventory', uuid: inv.systemUuid, nodeId: body.nodeId });
              } else {
                const nodeId = nodes[n % nodes.length] ?? '';
                const tag = `t${n}`;
                const res = await fetch(`${url}/api/v1/nodes/${nodeId}`, {
                  method: 'PATCH',
                  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'if-match': '*' },
                  body: JSON.stringify({ tags: [tag], reason: 'crash test' }),
                });
                if (res.status !== 200) throw new Error(`update ${res.status}`);
                await res.arrayBuffer();
                acked.push({ kind: 'update', nodeId, tag });
              }
            } catch {
              // The server died under this request: it was never acknowledged.
              return;
            }
          }
        };
        const workers = Array.from({ length: 12 }, () => worker());
        // Kill mid-burst, once a good number of writes were confirmed.
        while (acked.length < 100) await new Promise((r) => setTimeout(r, 5));
        server.child.kill('SIGKILL');
        stop = true;
        await Promise.all(workers);
        await waitExit(server.child);
        expect(acked.length).toBeGreaterThanOrEqual(100);

        // It starts again without manual repair and serves.
        server = await startServer(spec);
        const list = await fetch(`${server.url}/api/v1/nodes?limit=1`, {
          headers: { authorization: `Bearer ${server.token}` },
        });
        expect(list.status).toBe(200);
        server.child.kill('SIGTERM');
        await waitExit(server.child);

        const store = fixture.open(location);
        try {
          for (const ack of acked) {
            if (ack.kind === 'inventory') {
              expect((await store.findByIdentityKey(ack.uuid ?? ''))?.id, `inventory ${ack.nodeId}`).toBe(ack.nodeId);
            } else {
              const history = await store.listHistory(ack.nodeId, null, 1000);
              const found = history.some(
                (h) => h.action === 'update' && JSON.stringify(h.after.tags) === JSON.stringify([ack.tag]),
              );
              expect(found, `update ${ack.tag} on ${ack.nodeId}`).toBe(true);
            }
          }
          // Nothing half-applied: each node's version equals its history entries, and its MAC rows and
          // inventory were written with it.
          const all = await store.listNodes({}, null, 100_000);
          expect(all.length).toBeGreaterThanOrEqual(new Set(acked.map((a) => a.nodeId)).size);
          for (const node of all) {
            expect(await store.countHistory(node.id), node.id).toBe(node.version);
            for (const mac of node.macs) expect((await store.findByMacs([mac])).map((n) => n.id)).toContain(node.id);
            expect(await store.getInventory(node.id)).not.toBeNull();
          }
        } finally {
          await store.close();
        }
      } finally {
        if (server && server.child.exitCode === null && server.child.signalCode === null) {
          server.child.kill('SIGKILL');
          await waitExit(server.child);
        }
        await cleanup();
      }
    }, 60_000);
  });
}
