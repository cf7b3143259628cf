import { createLocalExecutor } from '@fleet/exec';
import { checkPathMtu, renderFleetTable, runFleet } from '@fleet/netcheck';

export async function main(): Promise<number> {
  const executor = createLocalExecutor(); // createSshPool(...) executors for real nodes
  const report = await runFleet({
    nodes: [{ name: 'self', rack: 'r1', address: '127.0.0.1', executor }],
    nodeChecks: [(node) => checkPathMtu(node.executor, node.address, { from: node.name })],
    concurrency: 16,
  });
  console.log(renderFleetTable(report));
  return report.exitCode; // 0 ok, 1 warn, 2 fail: hand it to monitoring
}
