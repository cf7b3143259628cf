import { ErrorBodySchema, MACHINEDB_ERROR_STATUS, type OperationSpec, operationList } from '@fleet/machinedb-contract';
import type { TSchema } from '@sinclair/typebox';

/** Plain JSON copy of a TypeBox schema (drops its symbol keys). */
function plain(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

function parameters(schema: TSchema | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = plain(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, sub]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: sub,
  }));
}

const AUTH_DOC: Record<OperationSpec['auth'], string> = {
  public: 'No credentials needed.',
  authenticated: 'Any valid credential.',
  viewer: 'Role viewer, operator or admin.',
  operator: 'Role operator or admin.',
  admin: 'Role admin.',
  node: "Only the node's own token (mdbn.…); admins are refused too.",
  enroll: 'The provisioning secret (when the server has one), a node token, or an admin.',
};

/** The OpenAPI 3.1 document, generated from the operations table so it cannot drift from the routes. */
export function buildOpenApiDocument(info: { title?: string; version?: string } = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorResponse = { description: 'Error', content: { 'application/json': { schema: plain(ErrorBodySchema) } } };
  for (const op of operationList) {
    const path = op.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const headerParams = op.ifMatch
      ? [{ name: 'If-Match', in: 'header', required: op.ifMatch === 'required', schema: { type: 'string' } }]
      : [];
    const responses: Record<string, unknown> = {
      [String(op.status)]: { description: 'Success', content: { 'application/json': { schema: plain(op.response) } } },
      '400': errorResponse,
      default: errorResponse,
    };
    if (op.auth !== 'public') {
      responses['401'] = errorResponse;
      responses['403'] = errorResponse;
    }
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = {
      operationId: op.id,
      summary: op.summary,
      description: `${AUTH_DOC[op.auth]}${op.idempotent ? ' Idempotent: safe to retry.' : ''}`,
      parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query'), ...headerParams],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: plain(op.body) } } } }
        : {}),
      responses,
      ...(op.auth === 'public' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'fleet MachineDB',
      version: info.version ?? '1',
      description:
        'Every error, on every route of the server (MachineDB, IPAM, boot, drift, web), is the JSON body ' +
        '`ErrorBody` `{ code, message, details }`. `x-error-codes` lists the shared codes and their HTTP status; ' +
        'domain errors of a package carry its prefix (`IPAM_EXHAUSTED` 409, `BOOT_NODE_NOT_READY` 409). ' +
        'Wrong types are refused with 400 VALIDATION_FAILED and `details.field`, never coerced.',
    },
    'x-error-codes': { ...MACHINEDB_ERROR_STATUS },
    components: {
      schemas: { ErrorBody: plain(ErrorBodySchema) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } },
    },
    security: [{ bearer: [] }, { basic: [] }],
    paths,
  };
}
