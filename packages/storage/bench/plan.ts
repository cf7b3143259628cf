// Planner + diff cost per node, against a baseline of cloning the inputs (the least any planner must do).
import {
  type CurrentState,
  diffLayout,
  type Inventory,
  planLayout,
  renderPlanText,
  storageProfile,
  computeProfile,
} from '../src/index.js';
import { computeNode, installedState, storageNode } from '../test/nodes.js';

function measure(label: string, n: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(n, 200); i++) fn();
  const started = performance.now();
  for (let i = 0; i < n; i++) fn();
  const perOp = ((performance.now() - started) * 1000) / n;
  console.log(`${label.padEnd(48)} ${perOp.toFixed(2).padStart(9)} µs/op (n=${n})`);
  return perOp;
}

const cases: Array<[string, Inventory, ReturnType<typeof storageProfile>, CurrentState]> = [
  ['compute (3 disks)', computeNode, computeProfile(), installedState(computeNode)],
  ['storage (13 disks)', storageNode, storageProfile(), installedState(storageNode)],
];
for (const [name, inventory, profile, state] of cases) {
  const baseline = measure(`${name}: structuredClone(inventory, state) baseline`, 5000, () =>
    structuredClone({ inventory, state }),
  );
  const planned = measure(`${name}: planLayout + diffLayout`, 5000, () =>
    diffLayout(planLayout(inventory, profile), state, { newUuid: () => '00000000-0000-4000-8000-000000000000' }),
  );
  const rendered = measure(`${name}: plan + diff + renderPlanText`, 5000, () =>
    renderPlanText(
      diffLayout(planLayout(inventory, profile), state, { newUuid: () => '00000000-0000-4000-8000-000000000000' }),
    ),
  );
  console.log(
    `${name}: plan+diff / clone = ${(planned / baseline).toFixed(2)}x, with text = ${(rendered / baseline).toFixed(2)}x`,
  );
}
