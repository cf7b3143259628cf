import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasService } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteProgressStore, readRolloutStatus } from '../src/index.js';
import { type SshNodes, startSshNodes } from './ssh-nodes.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface Child {
  process: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startChild(configFile: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/crash-child.ts', configFile], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
      nl = buffer.indexOf('\n');
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (code) console.error(stderr);
      resolve(code);
    }),
  );
  return { process: child, lines, exited };
}

async function until(what: string, condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Kill the orchestrator PROCESS (SIGKILL) while node-2's update is running, start it again, and check from
// the per-node logs that no node was updated twice and none was skipped.
describe.skipIf(!hasService('ssh'))('crash and resume', () => {
  let env: SshNodes;
  let stateDir: string;
  let child: Child | undefined;

  beforeAll(async () => {
    env = await startSshNodes(4);
    stateDir = mkdtempSync(join(tmpdir(), 'rollout-crash-'));
  }, 60_000);
  afterAll(async () => {
    if (child && child.process.exitCode === null) child.process.kill('SIGKILL');
    await env?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('resumes after SIGKILL without repeating or skipping a node', async () => {
    env.setMode('node-2', 'hang-once');
    env.setMode('node-3', 'reboot');
    const configFile = join(stateDir, 'child.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        root: env.root,
        stateDir,
        nodes: env.nodes,
        username: env.username,
        privateKeyPath: env.privateKeyPath,
        knownHosts: env.knownHosts,
      }),
    );

    child = startChild(configFile);
    const first = child;
    await until(
      'node-2 to hang in its update',
      () => existsSync(join(env.dirOf('node-2'), 'hang.pid')) || first.process.exitCode !== null,
    );
    expect(first.process.exitCode, 'the orchestrator ended before node-2 hung').toBe(null);
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe(null);
    // The abandoned update keeps running on the node (as it would over a dropped SSH connection): end it.
    process.kill(Number(readFileSync(join(env.dirOf('node-2'), 'hang.pid'), 'utf8')), 'SIGKILL');
    rmSync(join(env.dirOf('node-2'), 'hang.pid'));

    const store = createSqliteProgressStore(join(stateDir, 'rollout.sqlite'));
    const crashed = await readRolloutStatus(store, 'crash');
    await store.close();
    expect(crashed?.state).toBe('running');
    expect(crashed?.nodes.map((p) => [p.node, p.state, p.step])).toEqual([
      ['node-1', 'done', 'undrain'],
      ['node-2', 'running', 'update'],
      ['node-3', 'pending', undefined],
      ['node-4', 'pending', undefined],
    ]);

    child = startChild(configFile);
    expect(await child.exited).toBe(0);
    const result = child.lines.find((l) => l.type === 'result');
    expect(result).toMatchObject({ state: 'done', counts: { done: 4 } });
    const restarted = child.lines.filter((l) => l.type === 'node-started').map((l) => l.node);
    expect(restarted).toEqual(['node-2', 'node-3', 'node-4']);

    const logDir = join(stateDir, 'logs', 'crash');
    for (const node of ['node-1', 'node-2', 'node-3', 'node-4']) {
      const log = readFileSync(join(logDir, `${node}.log`), 'utf8');
      // Updated exactly once to the end, by the orchestrator's log and by the node's own.
      expect(log.match(/step update ok/g)?.length, node).toBe(1);
      expect(log.match(/node done/g)?.length, node).toBe(1);
      expect(env.updateLog(node).filter((l) => l.startsWith('end')).length, node).toBe(1);
    }
    // node-2's update was cut off once and run again; no other node's update started twice.
    expect(readFileSync(join(logDir, 'node-2.log'), 'utf8').match(/step update start/g)?.length).toBe(2);
    for (const node of ['node-1', 'node-3', 'node-4']) expect(env.updateLog(node).length, node).toBe(2);
    expect(env.reboots('node-3')).toBe(1);
  }, 240_000);
});
