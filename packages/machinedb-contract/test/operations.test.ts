import { describe, expect, it } from 'vitest';
import { type OperationSpec, operationList, operationPath, operations } from '../src/index.js';

function pathParams(spec: OperationSpec): string[] {
  return [...spec.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string).sort();
}

describe('the operations table', () => {
  it('names each operation by its key, once per method and path', () => {
    for (const [key, spec] of Object.entries(operations)) expect(spec.id).toBe(key);
    const routes = operationList.map((spec) => `${spec.method} ${spec.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('declares a params schema with exactly the placeholders of each path', () => {
    for (const spec of operationList) {
      const declared = Object.keys((spec.params as { properties?: object } | undefined)?.properties ?? {}).sort();
      expect({ id: spec.id, params: declared }).toEqual({ id: spec.id, params: pathParams(spec) });
    }
  });
});

describe('operationPath', () => {
  it('fills and URL-encodes the parameters', () => {
    expect(operationPath(operations.getBootTarget.path, { mac: 'aa:bb:cc:dd:ee:ff' })).toBe(
      '/api/v1/boot-targets/aa%3Abb%3Acc%3Add%3Aee%3Aff',
    );
    expect(operationPath(operations.exportAnsibleInventory.path)).toBe('/api/v1/export/ansible');
  });

  it('throws on a missing parameter instead of sending a path with a placeholder', () => {
    expect(() => operationPath(operations.getNode.path, {})).toThrow(/missing path parameter nodeId/);
  });
});
