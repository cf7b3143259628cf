// Executor overhead: local executor vs raw spawn, and a reused SSH connection vs a connection per command.
import { spawn } from 'node:child_process';
import { startSshd } from '@fleet/testkit';
import { createLocalExecutor, createSshExecutor } from '../src/index.js';

async function time(label: string, n: number, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const perOp = (performance.now() - started) / n;
  console.log(`${label.padEnd(44)} ${perOp.toFixed(2).padStart(9)} ms/op  (n=${n})`);
  return perOp;
}

function rawSpawn(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('true', [], { stdio: 'pipe' });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

const local = createLocalExecutor();
const baseline = await time('raw child_process.spawn(true)', 100, rawSpawn);
const measured = await time('createLocalExecutor().run(true)', 100, () => local.run('true', []));
console.log(`local executor / raw spawn: ${(measured / baseline).toFixed(2)}x`);

const sshd = await startSshd();
try {
  const options = { host: sshd.host, port: sshd.port, privateKey: sshd.privateKey, knownHosts: sshd.knownHostsLine };
  const fresh = await time('SSH: new connection per command (baseline)', 4, async () => {
    const ssh = createSshExecutor(options);
    await ssh.run('true', []);
    await ssh.close?.();
  });
  const reused = createSshExecutor(options);
  await reused.run('true', []);
  const pooled = await time('SSH: one reused connection', 4, () => reused.run('true', []));
  const parallel = await time('SSH: 8 concurrent commands, one connection', 2, () =>
    Promise.all(Array.from({ length: 8 }, () => reused.run('true', []))),
  );
  await reused.close?.();
  console.log(`reused / new connection per command: ${(pooled / fresh).toFixed(2)}x`);
  console.log(`8 concurrent / 8 sequential on one connection: ${(parallel / (pooled * 8)).toFixed(2)}x`);
  console.log('note: remote time includes the login shell start-up of the remote user (root .bashrc here)');
} finally {
  await sshd.stop();
}
