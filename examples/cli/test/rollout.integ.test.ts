import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasService, startSshd, type TestSshd } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneErrorLine, runCli, runInProcess } from './run-cli.js';

// `fleet rollout` as a subprocess against three real OpenSSH servers on 127.0.0.1, one per "node". The
// update step is `--update "sh record.sh {node}"`: it appends the node's name to one log (all nodes are this
// host), so the test counts how often each node was updated. SetEnv SHLVL=1 keeps bash from sourcing root's
// heavy ~/.bashrc on every command (see @fleet/exec's tests). A reboot-required path that never exists keeps
// the rollout from rebooting anything.
const RECORD = `#!/bin/sh
# record the node, wait while the SLOW marker exists, then fail if the FAIL marker exists and this is not
# the rollout's first update
d=$(dirname "$0")
n=$(cat "$d/updates.log" 2>/dev/null | wc -l)
echo "$1" >> "$d/updates.log"
while [ -e "$d/SLOW" ]; do sleep 0.05; done
if [ -e "$d/FAIL" ] && [ "$n" -ge 1 ]; then echo "E: dpkg was interrupted on $1" >&2; exit 100; fi
echo "updated $1"
`;

interface Status {
  cluster: string;
  state: string;
  counts: Record<string, number>;
  nodes: Array<{ node: string; batch: number; state: string; attempts: number; error?: { message: string } }>;
  halt: { reason?: string } | null;
}

describe.skipIf(!hasService('ssh'))('fleet rollout over real SSH', { timeout: 60_000 }, () => {
  let root: string;
  const sshds: TestSshd[] = [];
  const names = ['cmp-1', 'cmp-2', 'cmp-3'];
  let common: string[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'fleet-cli-rollout-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(root, 'id_ed25519')]);
    const targets = [];
    for (const [i, name] of names.entries()) {
      const dir = join(root, name);
      mkdirSync(dir);
      // One client key for every node, as with a fleet-wide deploy key.
      copyFileSync(join(root, 'id_ed25519'), join(dir, 'client_ed25519'));
      copyFileSync(join(root, 'id_ed25519.pub'), join(dir, 'client_ed25519.pub'));
      const sshd = await startSshd({ dir, extraConfig: ['SetEnv SHLVL=1'] });
      sshds.push(sshd);
      targets.push({ name, host: sshd.host, port: sshd.port, rack: `r${i}` });
    }
    writeFileSync(join(root, 'targets.json'), JSON.stringify(targets));
    writeFileSync(join(root, 'known_hosts'), `${sshds.map((s) => s.knownHostsLine).join('\n')}\n`);
    writeFileSync(join(root, 'record.sh'), RECORD);
    common = [
      '--targets',
      join(root, 'targets.json'),
      '--identity',
      join(root, 'id_ed25519'),
      '--known-hosts',
      join(root, 'known_hosts'),
      '--batches',
      '1,2',
      '--max-per-rack',
      '1',
      '--update',
      `sh ${join(root, 'record.sh')} {node}`,
      '--reboot-required-path',
      join(root, 'never-reboot'),
    ];
  }, 30_000);

  afterAll(async () => {
    for (const s of sshds) await s.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const updates = (): Record<string, number> => {
    const file = join(root, 'updates.log');
    const counts: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    if (!existsSync(file)) return counts;
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) counts[line] = (counts[line] ?? 0) + 1;
    return counts;
  };
  const reset = () => {
    rmSync(join(root, 'updates.log'), { force: true });
    rmSync(join(root, 'FAIL'), { force: true });
    rmSync(join(root, 'SLOW'), { force: true });
  };
  const status = async (cluster: string, stateDir: string) => {
    const run = await runCli(['rollout', 'status', cluster, '--state-dir', stateDir, '--json']);
    return { run, status: JSON.parse(run.stdout || 'null') as Status | null };
  };

  it('updates every node exactly once in batches; status --json shows done', async () => {
    reset();
    const stateDir = join(root, 'state-ok');
    const run = await runCli(['rollout', 'start', 'lab', ...common, '--state-dir', stateDir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { cluster: string; state: string; events?: unknown };
    expect(result).toMatchObject({ cluster: 'lab', state: 'done' });
    expect(result.events).toBeUndefined();
    expect(updates()).toEqual({ 'cmp-1': 1, 'cmp-2': 1, 'cmp-3': 1 });

    const { run: shown, status: s } = await status('lab', stateDir);
    expect(shown.code, shown.stderr).toBe(0);
    expect(s?.state).toBe('done');
    expect(s?.halt).toBeNull();
    expect(s?.nodes.map((n) => n.batch).sort()).toEqual([0, 1, 1]);
    expect(s?.nodes.map((n) => [n.node, n.state, n.attempts]).sort()).toEqual([
      ['cmp-1', 'done', 1],
      ['cmp-2', 'done', 1],
      ['cmp-3', 'done', 1],
    ]);
  });

  it('a failing update exits 1 and status shows it; a halt stops new starts; resume finishes without repeating done nodes', async () => {
    reset();
    const stateDir = join(root, 'state-fail');
    // The first node's update succeeds; the second batch's fail.
    writeFileSync(join(root, 'FAIL'), '');
    const failed = await runCli([
      'rollout',
      'start',
      'edge',
      ...common,
      '--max-failures',
      '2',
      '--state-dir',
      stateDir,
    ]);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/rollout \S+ of edge: failed/);
    const first = (await status('edge', stateDir)).status;
    const firstNode = first?.nodes.find((n) => n.batch === 0)?.node as string;
    expect(first?.state).toBe('failed');
    expect(first?.counts).toMatchObject({ done: 1, failed: 2 });
    expect(first?.nodes.find((n) => n.node === firstNode)?.state).toBe('done');
    const failedNodes = first?.nodes.filter((n) => n.state === 'failed') ?? [];
    expect(failedNodes.map((n) => n.node).sort()).toEqual(names.filter((n) => n !== firstNode));
    for (const n of failedNodes) expect(n.error?.message).toMatch(/100/);
    const plain = await runCli(['rollout', 'status', 'edge', '--state-dir', stateDir]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('done 1, failed 2');
    expect(updates()).toEqual(Object.fromEntries(names.map((n) => [n, 1])));

    // The red button: nothing starts while it is pressed.
    rmSync(join(root, 'FAIL'));
    const halt = await runCli(['rollout', 'halt', 'edge', '--reason', 'latency alarm', '--state-dir', stateDir]);
    expect(halt.code, halt.stderr).toBe(0);
    expect(halt.stdout).toContain('halted rollout of edge: latency alarm');
    const refused = await runCli(['rollout', 'start', 'edge', ...common, '--state-dir', stateDir]);
    expect(refused.code).toBe(3);
    expect(oneErrorLine(refused)).toMatch(/^fleet: ROLLOUT_HALTED: .*latency alarm.*fleet rollout resume/);
    expect(updates()).toEqual(Object.fromEntries(names.map((n) => [n, 1])));
    const haltedStatus = await runCli(['rollout', 'status', 'edge', '--state-dir', stateDir]);
    expect(haltedStatus.stdout.split('\n')[0]).toMatch(/^HALTED: latency alarm/);

    // Resume: the halt is released and the failed nodes are retried; the done node is not updated again.
    const resumed = await runCli(['rollout', 'resume', 'edge', ...common, '--state-dir', stateDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('released the halt of edge');
    // The terminal gets one line per batch; every event goes to the log file named on the first line.
    const lines = resumed.stderr.trim().split('\n');
    const log = /details in (\S+)$/.exec(lines[1] ?? '')?.[1];
    expect(lines[1]).toMatch(/^rollout \S+ of edge resumed: 3 nodes in \d+ batches; details in /);
    expect(lines.slice(2).every((l) => /^batch \d+\/\d+: \d+ of 3 done(, \d+ failed)? \(\d+ s\)$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/: 3 of 3 done \(/);
    expect(readFileSync(log as string, 'utf8')).toMatch(/ cmp-\d update ok /);
    expect(updates()).toEqual(Object.fromEntries(names.map((n) => [n, n === firstNode ? 1 : 2])));
    const last = (await status('edge', stateDir)).status;
    expect(last?.state).toBe('done');
    expect(last?.halt).toBeNull();
    expect(last?.nodes.every((n) => n.state === 'done')).toBe(true);
  });

  it('a running rollout holds the lock and stops at its red button; resume continues where it stopped', async () => {
    reset();
    const stateDir = join(root, 'state-live');
    writeFileSync(join(root, 'SLOW'), '');
    const running = runCli(['rollout', 'start', 'live', ...common, '--state-dir', stateDir]);
    const deadline = Date.now() + 20_000;
    while (Object.values(updates()).every((n) => n === 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    // The first node is inside its update (held there by SLOW): a second rollout of the cluster is refused, and
    // the red button is pressed; once the update returns, no other node starts.
    const [second, halt] = await Promise.all([
      runInProcess(['rollout', 'start', 'live', ...common, '--state-dir', stateDir]),
      runCli(['rollout', 'halt', 'live', '--reason', 'pager', '--state-dir', stateDir]),
    ]);
    expect(second.code).toBe(3);
    expect(oneErrorLine(second)).toMatch(/^fleet: ROLLOUT_LOCKED: /);
    expect(halt.code, halt.stderr).toBe(0);
    rmSync(join(root, 'SLOW'));
    const stopped = await running;
    expect(stopped.code, stopped.stderr).toBe(1);
    expect(stopped.stdout).toMatch(/rollout \S+ of live: halted/);
    const after = updates();
    const started = names.filter((n) => after[n] === 1);
    expect(started).toHaveLength(1);
    expect(Object.values(after).reduce((a, b) => a + b)).toBe(1);

    const resumed = await runCli(['rollout', 'resume', 'live', ...common, '--state-dir', stateDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(updates()).toEqual(Object.fromEntries(names.map((n) => [n, 1])));
    expect((await status('live', stateDir)).status?.state).toBe('done');
  });

  it('bad --update and --reboot-required-path values are one-line usage errors before any node is reached', async () => {
    const stateDir = join(root, 'state-usage');
    const base = ['rollout', 'start', 'lab', '--targets', join(root, 'targets.json'), '--state-dir', stateDir];
    const [empty, blank, newline, nul, esc, relative, resumeBad] = await Promise.all([
      runCli([...base, '--update', '']),
      runInProcess([...base, '--update', 'apt-get update', '--update', '   ']),
      runInProcess([...base, '--update', 'apt-get update\nreboot']),
      runInProcess([...base, '--update', 'touch /tmp/x\u0000y']),
      runInProcess([...base, '--update', 'echo\u001b[31m']),
      runInProcess([...base, '--update', 'true', '--reboot-required-path', 'var/run/reboot-required']),
      runInProcess(['rollout', 'resume', 'lab', '--state-dir', stateDir, '--update', 'a\rb']),
    ]);
    const unknown = await runInProcess(['rollout', 'status', 'nowhere', '--state-dir', join(root, 'state-ok')]);
    expect(unknown.code).toBe(3);
    expect(oneErrorLine(unknown)).toMatch(/^fleet: ROLLOUT_NOT_FOUND: no rollout recorded for nowhere/);
    for (const run of [empty, blank, newline, nul, esc, relative, resumeBad]) {
      expect(run.code, run.stderr).toBe(2);
      expect(oneErrorLine(run)).toMatch(/^fleet: USAGE: /);
    }
    expect(empty.stderr).toContain('--update #1 is empty');
    expect(blank.stderr).toContain('--update #2 is empty');
    expect(newline.stderr).toContain('U+000A');
    expect(nul.stderr).toContain('U+0000');
    expect(esc.stderr).toContain('U+001B');
    const nel = await runInProcess([...base, '--update', 'apt-get\u0085update']);
    expect(nel.code).toBe(2);
    expect(oneErrorLine(nel)).toContain('U+0085');
    expect(relative.stderr).toContain('--reboot-required-path');
    // Usage errors come first: no state was created, the resume did not touch the halt.
    expect(existsSync(stateDir)).toBe(false);
  });
});
