import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Executor } from '@fleet/core';
import { createSshPool, type SshPool } from '@fleet/exec';
import { hasService } from '@fleet/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMemoryProgressStore,
  formatEvent,
  formatSummary,
  type RolloutNode,
  type RolloutOptions,
  runRollout,
} from '../src/index.js';
import { fakeStepOptions, type SshNodes, startSshNodes } from './ssh-nodes.js';

// Real OpenSSH servers on loopback, one per node; the update command is a script that succeeds, fails,
// hangs or leaves a reboot-required file; a "reboot" drops the node's connections, restarts its sshd
// (same host key) and changes the boot id the rollout reads.
describe.skipIf(!hasService('ssh'))('rollout over real SSH', { timeout: 120_000 }, () => {
  let env: SshNodes;
  let pool: SshPool;
  let stateDir: string;
  const restarts: Promise<void>[] = [];

  beforeAll(async () => {
    env = await startSshNodes(4);
    pool = createSshPool({
      username: env.username,
      privateKeyPath: env.privateKeyPath,
      knownHosts: env.knownHosts,
      connectTimeoutMs: 2000,
      keepaliveIntervalMs: 0,
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(restarts);
    await pool?.close();
    await env?.stop();
  });
  beforeEach(() => {
    env.reset();
    stateDir = mkdtempSync(join(tmpdir(), 'rollout-state-'));
    return () => rmSync(stateDir, { recursive: true, force: true });
  });

  /** The pool's executor, plus an sshd restart (SSH down for 300 ms) after a reboot command. */
  function executorFor(node: RolloutNode): Executor {
    const inner = pool.executor({ host: node.host!, port: node.port! });
    return {
      target: inner.target,
      async run(command, args, options) {
        const result = await inner.run(command, args, options);
        if (args[0]?.endsWith('/reboot.sh')) {
          const sshd = env.sshds.get(node.name)!;
          restarts.push(
            (async () => {
              await new Promise((r) => setTimeout(r, 250));
              await sshd.stop();
              await new Promise((r) => setTimeout(r, 300));
              await sshd.restart();
            })(),
          );
        }
        return result;
      },
    };
  }

  const options = (extra: Partial<RolloutOptions> = {}): RolloutOptions => ({
    cluster: 'ssh',
    targets: env.nodes,
    executorFor,
    stateDir,
    batches: [1, 2],
    maxPerRack: 1,
    commandTimeoutMs: 20_000,
    postCheckIntervalMs: 100,
    postCheckTimeoutMs: 2000,
    ...fakeStepOptions(env.root),
    ...(process.env.DEBUG_ROLLOUT ? { onEvent: (e) => console.log(formatEvent(e)) } : {}),
    ...extra,
  });

  it('updates every node once and reboots exactly the ones that left reboot-required', async () => {
    env.setMode('node-2', 'reboot');
    const targets = env.nodes.slice(0, 3);
    const before = new Map(targets.map((n) => [n.name, env.bootId(n.name)]));
    const result = await runRollout(
      options({ targets, postChecks: [{ kind: 'command', argv: ['test', '-f', `${env.root}/{node}/boot_id`] }] }),
    );
    expect(result.state, formatSummary(result)).toBe('done');
    for (const n of targets) {
      const log = env.updateLog(n.name);
      expect(log.filter((l) => l.startsWith('begin')).length).toBe(1);
      expect(log.filter((l) => l.startsWith('end')).length).toBe(1);
    }
    expect(targets.map((n) => env.reboots(n.name))).toEqual([0, 1, 0]);
    expect(env.updateLog('node-4')).toEqual([]);
    expect(env.bootId('node-2')).not.toBe(before.get('node-2'));
    expect(env.bootId('node-1')).toBe(before.get('node-1'));
    const log = readFileSync(join(stateDir, 'logs', 'ssh', 'node-2.log'), 'utf8');
    expect(log).toMatch(/Reading package lists/);
    expect(log).toMatch(/boot id changed/);
    expect(log).toMatch(/step postcheck ok/);
  });

  it('a failing canary stops everything: no other node is touched', async () => {
    env.setMode('node-1', 'fail');
    const result = await runRollout(options({ maxFailures: 3 }));
    expect(result.stopReason?.kind).toBe('canary');
    expect(result.nodes[0]?.error?.message).toMatch(/exited 100: E: Sub-process/);
    for (const n of ['node-2', 'node-3', 'node-4']) expect(env.updateLog(n)).toEqual([]);
  });

  it('a hanging update is killed at its timeout and fails the node', async () => {
    env.setMode('node-2', 'hang');
    const result = await runRollout(
      options({ targets: env.nodes.slice(1), updateTimeoutMs: 3000, store: createMemoryProgressStore() }),
    );
    expect(result.stopReason).toMatchObject({ kind: 'canary', node: 'node-2' });
    expect(result.nodes[0]?.error?.message).toMatch(/did not finish within 3000 ms/);
    expect(env.updateLog('node-3')).toEqual([]);
  });
});
