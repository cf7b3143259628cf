import { MACHINEDB_ERROR_STATUS } from '@fleet/machinedb-contract';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/index.js';

describe('the OpenAPI document', () => {
  it('documents the one error body and every shared error code with its status', () => {
    const doc = buildOpenApiDocument() as {
      'x-error-codes': Record<string, number>;
      components: { schemas: { ErrorBody: { required: string[] } } };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(doc['x-error-codes']).toEqual(MACHINEDB_ERROR_STATUS);
    expect(doc['x-error-codes']).toMatchObject({ NODE_IDENTITY_CLAIMED: 409, TOO_MANY_REQUESTS: 429 });
    expect(doc.components.schemas.ErrorBody.required.sort()).toEqual(['code', 'details', 'message']);
    expect(doc.paths['/api/v1/nodes/{nodeId}/bmc-credentials']?.get?.responses).toHaveProperty('403');
    expect(doc.paths['/api/v1/nodes/{nodeId}/identity-reset']?.post?.responses).toHaveProperty('401');
  });
});
