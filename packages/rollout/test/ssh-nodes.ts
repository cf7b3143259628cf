// Test support (not a test file): several real sshd servers on loopback, one per "node", with fake
// update/reboot scripts and a boot id file per node. Used by the SSH integration tests and the crash child.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type TestSshd } from '@fleet/testkit';
import type { Argv, RolloutNode } from '../src/index.js';

export type NodeMode = 'ok' | 'fail' | 'hang' | 'hang-once' | 'reboot';

const UPDATE = `#!/bin/sh
# fake apt-get: behaviour from the node's mode file
d="$1"
echo "begin $$" >> "$d/updates.log"
mode=$(cat "$d/mode" 2>/dev/null || echo ok)
case "$mode" in
  fail) echo "E: Sub-process /usr/bin/dpkg returned an error code (1)" >&2; exit 100 ;;
  hang) echo $$ > "$d/hang.pid"; exec sleep 300 ;;
  hang-once) if [ ! -f "$d/hung" ]; then touch "$d/hung"; echo $$ > "$d/hang.pid"; exec sleep 300; fi ;;
  reboot) touch "$d/reboot-required" ;;
esac
echo "Reading package lists... Done"
echo "end $$" >> "$d/updates.log"
`;

const REBOOT = `#!/bin/sh
# fake reboot: a new boot id, the sentinel gone, and every SSH connection to this node dropped
# (a moment after answering, as a real reboot does).
d="$1"
echo "reboot" >> "$d/reboots.log"
kids=$(pgrep -P "$(cat "$d/sshd.pid")" | tr '\\n' ' ')
(
  sleep 0.2
  kill $kids
  rm -f "$d/reboot-required"
  cat /proc/sys/kernel/random/uuid > "$d/boot_id"
) >/dev/null 2>&1 </dev/null &
exit 0
`;

export interface SshNodes {
  root: string;
  nodes: RolloutNode[];
  sshds: Map<string, TestSshd>;
  knownHosts: string;
  privateKeyPath: string;
  username: string;
  dirOf(node: string): string;
  setMode(node: string, mode: NodeMode): void;
  /** Lines of the node's updates.log (`begin PID` / `end PID`). */
  updateLog(node: string): string[];
  reboots(node: string): number;
  bootId(node: string): string;
  /** Clears modes and logs between tests. */
  reset(): void;
  /** Kills fake updates left hanging (by pid), stops every sshd, removes the files. */
  stop(): Promise<void>;
}

/** The rollout step options that drive the fake scripts of `root`. */
export function fakeStepOptions(root: string) {
  const node = `${root}/{node}`;
  return {
    update: [['sh', join(root, 'update.sh'), node]] as Argv[],
    rebootCommand: ['sh', join(root, 'reboot.sh'), node] as Argv,
    bootIdCommand: ['cat', `${node}/boot_id`] as Argv,
    rebootRequiredPath: `${node}/reboot-required`,
    rebootPollMs: 50,
    rebootTimeoutMs: 20_000,
  };
}

export async function startSshNodes(count: number, prefix = 'node'): Promise<SshNodes> {
  const root = mkdtempSync(join(tmpdir(), 'rollout-ssh-'));
  writeFileSync(join(root, 'update.sh'), UPDATE);
  writeFileSync(join(root, 'reboot.sh'), REBOOT);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(root, 'client_ed25519')]);
  const sshds = new Map<string, TestSshd>();
  const nodes: RolloutNode[] = [];
  const dirOf = (name: string) => join(root, name);
  try {
    for (let i = 1; i <= count; i++) {
      const name = `${prefix}-${i}`;
      const dir = dirOf(name);
      mkdirSync(dir);
      // One client key for all nodes, so one pool can reach them all.
      copyFileSync(join(root, 'client_ed25519'), join(dir, 'client_ed25519'));
      copyFileSync(join(root, 'client_ed25519.pub'), join(dir, 'client_ed25519.pub'));
      writeFileSync(join(dir, 'boot_id'), `${crypto.randomUUID()}\n`);
      const sshd = await startSshd({ dir });
      sshds.set(name, sshd);
      nodes.push({ name, host: sshd.host, port: sshd.port, rack: `r${(i - 1) % 2}` });
    }
  } catch (error) {
    for (const s of sshds.values()) await s.stop();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const first = sshds.values().next().value as TestSshd;
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const killHung = () => {
    for (const name of sshds.keys()) {
      const pidFile = join(dirOf(name), 'hang.pid');
      if (!existsSync(pidFile)) continue;
      try {
        process.kill(Number(read(pidFile).trim()), 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(pidFile, { force: true });
    }
  };
  return {
    root,
    nodes,
    sshds,
    knownHosts: [...sshds.values()].map((s) => s.knownHostsLine).join('\n'),
    privateKeyPath: join(root, 'client_ed25519'),
    username: first.username,
    dirOf,
    setMode(node, mode) {
      writeFileSync(join(dirOf(node), 'mode'), mode);
    },
    updateLog: (node) =>
      read(join(dirOf(node), 'updates.log'))
        .split('\n')
        .filter(Boolean),
    reboots: (node) =>
      read(join(dirOf(node), 'reboots.log'))
        .split('\n')
        .filter(Boolean).length,
    bootId: (node) => read(join(dirOf(node), 'boot_id')).trim(),
    reset() {
      killHung();
      for (const name of sshds.keys()) {
        for (const f of ['mode', 'updates.log', 'reboots.log', 'reboot-required', 'hung'])
          rmSync(join(dirOf(name), f), { force: true });
      }
    },
    async stop() {
      killHung();
      for (const s of sshds.values()) await s.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
