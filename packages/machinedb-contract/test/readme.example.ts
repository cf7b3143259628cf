import { type NodeUpdate, NodeUpdateSchema, operationPath, operations } from '@fleet/machinedb-contract';
import { Value } from '@sinclair/typebox/value';

// How to call `updateNode`: the same table the server registers its routes from.
const spec = operations.updateNode;
console.log(`${spec.method} ${operationPath(spec.path, { nodeId: 'n-17' })}`, `If-Match ${spec.ifMatch}`);

// Is a body one the server accepts? The schema is the type: closed objects, field for field.
for (const body of [
  { hostname: 'cmp-0101', groups: ['compute'] },
  { hostname: 'cmp-0101', colour: 'red' },
]) {
  if (Value.Check(NodeUpdateSchema, body)) {
    const update: NodeUpdate = body; // typed from here on
    console.log('accepted', update.hostname);
  } else {
    console.log('refused:', [...Value.Errors(NodeUpdateSchema, body)].map((e) => e.path || '/').join(', '));
  }
}
// prints: PATCH /api/v1/nodes/n-17 If-Match required
// prints: accepted cmp-0101
// prints: refused: /colour
