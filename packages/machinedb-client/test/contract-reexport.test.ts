import * as contract from '@fleet/machinedb-contract';
import { expect, it } from 'vitest';
import * as client from '../src/index.js';

it('still re-exports every name of @fleet/machinedb-contract (deprecated, for one minor version), the same values', () => {
  const names = Object.keys(contract);
  expect(names).toContain('operations');
  expect(names).toContain('NodeSchema');
  for (const name of names) expect({ name, value: (client as Record<string, unknown>)[name] }).toEqual({ name, value: (contract as Record<string, unknown>)[name] });
  expect((client as Record<string, unknown>).operations).toBe(contract.operations);
});

it('no longer exports the drift against Consul (moved to @fleet/consul)', () => {
  expect(Object.keys(client)).not.toContain('compareMachineDbWithConsul');
  expect(Object.keys(client)).not.toContain('expectedFromNodes');
});
