import { createLocalExecutor } from '@fleet/exec';
import { checkPathMtu, renderFleetTable, runFleet } from '@fleet/netcheck';

const executor = createLocalExecutor(); // createSshPool(…).executor(…) for real nodes
const report = await runFleet({
  nodes: [{ name: 'self', rack: 'r1', address: '127.0.0.1', executor }],
  // Probes the path with don't-fragment pings: a fabric MTU that dropped from 9000 to 1500 fails here.
  nodeChecks: [(node) => checkPathMtu(node.executor, node.address, { from: node.name, requiredMtu: 9000 })],
  concurrency: 16,
});
console.log(renderFleetTable(report));
console.log('exit code', report.exitCode); // 0 ok, 1 warn, 2 fail: hand it to monitoring
// prints: OK: 1 ok, 0 warn, 0 fail
// prints: exit code 0
