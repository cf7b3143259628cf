import type { Ipam, PrefixKind, PrefixStatus } from '@fleet/ipam';
import { Ajv } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from './server.js';

type Authorize = (request: FastifyRequest, reply: FastifyReply, role: Role) => Promise<boolean>;

const str = { type: 'string', maxLength: 200 } as const;
const fields = {
  description: { type: 'string', maxLength: 500 },
  function: str,
  status: { type: 'string', enum: ['active', 'reserved', 'deprecated', 'quarantine'] },
  tags: { type: 'array', items: str, maxItems: 64 },
  node: { anyOf: [str, { type: 'null' }] },
  pool: { anyOf: [str, { type: 'null' }] },
  expiresAt: { anyOf: [str, { type: 'null' }] },
} as const;

/** A thin HTTP face over @fleet/ipam: every rule (overlap, exhaustion, atomicity) stays in the package. */
export async function registerIpamRoutes(
  app: FastifyInstance,
  ipam: Ipam,
  authorize: Authorize,
  /** The authenticated identity `authorize` found for this request (`user:alice`, `token:ci`). */
  actorOf: (request: FastifyRequest) => string,
): Promise<void> {
  // Unknown fields are an error here, not silently dropped (fastify's default Ajv removes them), and wrong
  // types are refused, never coerced (`node: 123` is a 400, not "123").
  const ajv = new Ajv({ removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  // The history records who did it: the authenticated identity, whatever headers say.
  const as = (request: FastifyRequest) => ipam.withActor(actorOf(request));
  app.get<{ Querystring: { parent?: string; vrf?: string; family?: '4' | '6' } }>(
    '/api/v1/ipam/prefixes',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { parent: str, vrf: str, family: { type: 'string', enum: ['4', '6'] } },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'viewer'))) return reply;
      const q = request.query;
      return await ipam.listChildren(q.parent ?? null, {
        ...(q.vrf ? { vrf: q.vrf } : {}),
        ...(q.family ? { family: Number(q.family) as 4 | 6 } : {}),
      });
    },
  );
  app.get<{ Querystring: { tag?: string; function?: string; description?: string; node?: string; pool?: string } }>(
    '/api/v1/ipam/search',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { tag: str, function: str, description: str, node: str, pool: str },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'viewer'))) return reply;
      return await ipam.search(request.query);
    },
  );
  app.get<{ Params: { address: string } }>('/api/v1/ipam/lookup/:address', async (request, reply) => {
    if (!(await authorize(request, reply, 'viewer'))) return reply;
    const found = await ipam.lookup(request.params.address);
    if (!found)
      return reply
        .code(404)
        .send({ code: 'IPAM_NOT_FOUND', message: `no prefix holds ${request.params.address}`, details: {} });
    return found;
  });
  app.post<{
    Body: {
      prefix: string;
      kind: PrefixKind;
      vrf?: string;
      description?: string;
      function?: string;
      status?: PrefixStatus;
      tags?: string[];
      node?: string | null;
      pool?: string | null;
    };
  }>(
    '/api/v1/ipam/prefixes',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['prefix', 'kind'],
          properties: {
            prefix: str,
            kind: { type: 'string', enum: ['reservation', 'assignment', 'host'] },
            vrf: str,
            ...fields,
          },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'admin'))) return reply;
      return reply.code(201).send(await as(request).addPrefix(request.body));
    },
  );
  app.delete<{ Params: { id: string }; Querystring: { recursive?: 'true' | 'false' } }>(
    '/api/v1/ipam/prefixes/:id',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { recursive: { type: 'string', enum: ['true', 'false'] } },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'admin'))) return reply;
      const ref = /^\d+$/.test(request.params.id) ? Number(request.params.id) : request.params.id;
      return await as(request).removePrefix(ref, { recursive: request.query.recursive === 'true' });
    },
  );
  app.get('/api/v1/ipam/pools', async (request, reply) => {
    if (!(await authorize(request, reply, 'viewer'))) return reply;
    const pools = await ipam.listPools();
    return await Promise.all(pools.map(async (pool) => ({ ...pool, usage: await ipam.poolUsage(pool.name) })));
  });
  app.post<{ Body: { name: string; description?: string; defaultLengthV4?: number; defaultLengthV6?: number } }>(
    '/api/v1/ipam/pools',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: str,
            description: fields.description,
            defaultLengthV4: { type: 'integer', minimum: 0, maximum: 32 },
            defaultLengthV6: { type: 'integer', minimum: 0, maximum: 128 },
          },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'admin'))) return reply;
      const b = request.body;
      return reply.code(201).send(
        await as(request).addPool({
          name: b.name,
          ...(b.description ? { description: b.description } : {}),
          defaultLength: { v4: b.defaultLengthV4 ?? null, v6: b.defaultLengthV6 ?? null },
        }),
      );
    },
  );
  app.post<{
    Body: {
      what: 'address' | 'prefix' | 'transfer';
      pool?: string;
      from?: string;
      length?: number;
      count?: number;
      family?: 4 | 6;
      node?: string;
      function?: string;
      description?: string;
    };
  }>(
    '/api/v1/ipam/allocate',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['what'],
          properties: {
            what: { type: 'string', enum: ['address', 'prefix', 'transfer'] },
            pool: str,
            from: str,
            length: { type: 'integer', minimum: 0, maximum: 128 },
            count: { type: 'integer', minimum: 1, maximum: 4096 },
            family: { type: 'integer', enum: [4, 6] },
            node: str,
            function: str,
            description: fields.description,
          },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'admin'))) return reply;
      const { what, count, from, ...rest } = request.body;
      const input = { ...rest, ...(from ? { from } : {}) };
      const api = as(request);
      if (what === 'transfer') return reply.code(201).send(await api.allocateTransferNet(input));
      if (what === 'prefix') {
        return reply
          .code(201)
          .send(count ? await api.allocatePrefixes({ ...input, count }) : await api.allocatePrefix(input));
      }
      return reply
        .code(201)
        .send(count ? await api.allocateAddresses({ ...input, count }) : await api.allocateAddress(input));
    },
  );
  // What the same allocation would get now, without allocating (a read: viewers may ask).
  app.get<{
    Querystring: { what?: 'address' | 'prefix'; pool?: string; from?: string; family?: '4' | '6'; length?: string };
  }>(
    '/api/v1/ipam/next-free',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            what: { type: 'string', enum: ['address', 'prefix'], default: 'address' },
            pool: str,
            from: str,
            family: { type: 'string', enum: ['4', '6'] },
            length: { type: 'string', pattern: '^[0-9]{1,3}$' },
          },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'viewer'))) return reply;
      const { what, pool, from, family, length } = request.query;
      const source = {
        ...(pool ? { pool } : {}),
        ...(from ? { from } : {}),
        ...(family ? { family: Number(family) as 4 | 6 } : {}),
      };
      const next =
        what === 'prefix'
          ? await ipam.nextFreePrefix({ ...source, ...(length === undefined ? {} : { length: Number(length) }) })
          : await ipam.nextFreeAddress(source);
      return { next };
    },
  );
  app.post<{ Body: { prefix: string; vrf?: string; recursive?: boolean } }>(
    '/api/v1/ipam/release',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['prefix'],
          properties: { prefix: str, vrf: str, recursive: { type: 'boolean' } },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'admin'))) return reply;
      const { prefix, vrf, recursive } = request.body;
      return await as(request).release({ prefix, ...(vrf ? { vrf } : {}) }, { recursive: recursive === true });
    },
  );
  app.get<{ Querystring: { format?: 'json' | 'csv' } }>(
    '/api/v1/ipam/export',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: ['json', 'csv'] } },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'viewer'))) return reply;
      const format = request.query.format ?? 'json';
      return reply.type(format === 'csv' ? 'text/csv' : 'application/json').send(await ipam.exportPlan({ format }));
    },
  );
  app.post<{ Body: { format: 'json' | 'csv'; data: string } }>(
    '/api/v1/ipam/import',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['format', 'data'],
          properties: { format: { type: 'string', enum: ['json', 'csv'] }, data: { type: 'string' } },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'admin'))) return reply;
      return await as(request).importPlan(request.body.data, { format: request.body.format });
    },
  );
  app.get<{ Querystring: { limit?: string } }>(
    '/api/v1/ipam/history',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' } },
        },
      },
    },
    async (request, reply) => {
      if (!(await authorize(request, reply, 'viewer'))) return reply;
      return await ipam.history({ limit: Math.min(Number(request.query.limit ?? 200), 5000) });
    },
  );
}
