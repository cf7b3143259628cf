import { NodeUpdateSchema, type NodeUpdate, operationPath, operations } from '@fleet/machinedb-contract';
import { Value } from '@sinclair/typebox/value';

/** How to call `updateNode` for one node, and whether a body is one the server accepts. */
export function main(nodeId: string, body: unknown): { request: string; retryable: boolean; valid: boolean } {
  const spec = operations.updateNode;
  const update: NodeUpdate | null = Value.Check(NodeUpdateSchema, body) ? body : null;
  return {
    request: `${spec.method} ${operationPath(spec.path, { nodeId })} (If-Match ${spec.ifMatch})`,
    retryable: spec.idempotent,
    valid: update !== null,
  };
}
