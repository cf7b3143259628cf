// Run by crash.integ.test.ts as a separate orchestrator process (tsx), so the test can SIGKILL it mid-run.
// argv[2]: JSON config. Prints one JSON event per line on stdout.
import { readFileSync } from 'node:fs';
import { createSshPool } from '@fleet/exec';
import { type RolloutNode, runRollout } from '../src/index.js';
import { fakeStepOptions } from './ssh-nodes.js';

interface ChildConfig {
  root: string;
  stateDir: string;
  nodes: RolloutNode[];
  username: string;
  privateKeyPath: string;
  knownHosts: string;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildConfig;
const pool = createSshPool({
  username: config.username,
  privateKeyPath: config.privateKeyPath,
  knownHosts: config.knownHosts,
  keepaliveIntervalMs: 0,
});
try {
  const result = await runRollout({
    cluster: 'crash',
    targets: config.nodes,
    executorFor: (node) => pool.executor({ host: node.host!, port: node.port! }),
    stateDir: config.stateDir,
    batches: [1],
    commandTimeoutMs: 20_000,
    ...fakeStepOptions(config.root),
    onEvent: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
  });
  process.stdout.write(`${JSON.stringify({ type: 'result', state: result.state, counts: result.counts })}\n`);
} finally {
  await pool.close();
}
