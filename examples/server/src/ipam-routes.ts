import {
  type Ipam,
  type IpamAddPoolBody,
  type IpamAddPrefixBody,
  type IpamAllocateBody,
  type IpamImportBody,
  type IpamListPrefixesQuery,
  type IpamNextFreeQuery,
  type IpamReleaseBody,
  type IpamSearchQuery,
  ipamOperations as ops,
} from '@fleet/ipam';
import { Ajv } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from './server.js';

type Authorize = (request: FastifyRequest, reply: FastifyReply, role: Role) => Promise<boolean>;

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
  app.get<{ Querystring: IpamListPrefixesQuery }>(
    ops.listPrefixes.path,
    { schema: { querystring: ops.listPrefixes.query } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.listPrefixes.role))) return reply;
      const q = request.query;
      return await ipam.listChildren(q.parent ?? null, {
        ...(q.vrf ? { vrf: q.vrf } : {}),
        ...(q.family ? { family: Number(q.family) as 4 | 6 } : {}),
      });
    },
  );
  app.get<{ Querystring: IpamSearchQuery }>(
    ops.searchPrefixes.path,
    { schema: { querystring: ops.searchPrefixes.query } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.searchPrefixes.role))) return reply;
      return await ipam.search(request.query);
    },
  );
  app.get<{ Params: { address: string } }>(ops.lookup.path, async (request, reply) => {
    if (!(await authorize(request, reply, ops.lookup.role))) return reply;
    const found = await ipam.lookup(request.params.address);
    if (!found)
      return reply
        .code(404)
        .send({ code: 'IPAM_NOT_FOUND', message: `no prefix holds ${request.params.address}`, details: {} });
    return found;
  });
  app.post<{ Body: IpamAddPrefixBody }>(
    ops.addPrefix.path,
    { schema: { body: ops.addPrefix.body } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.addPrefix.role))) return reply;
      return reply.code(ops.addPrefix.status).send(await as(request).addPrefix(request.body));
    },
  );
  app.delete<{ Params: { id: string }; Querystring: { recursive?: 'true' | 'false' } }>(
    ops.removePrefix.path,
    { schema: { querystring: ops.removePrefix.query } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.removePrefix.role))) return reply;
      const ref = /^\d+$/.test(request.params.id) ? Number(request.params.id) : request.params.id;
      return await as(request).removePrefix(ref, { recursive: request.query.recursive === 'true' });
    },
  );
  app.get(ops.listPools.path, async (request, reply) => {
    if (!(await authorize(request, reply, ops.listPools.role))) return reply;
    const pools = await ipam.listPools();
    return await Promise.all(pools.map(async (pool) => ({ ...pool, usage: await ipam.poolUsage(pool.name) })));
  });
  app.post<{ Body: IpamAddPoolBody }>(
    ops.addPool.path,
    { schema: { body: ops.addPool.body } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.addPool.role))) return reply;
      const b = request.body;
      return reply.code(ops.addPool.status).send(
        await as(request).addPool({
          name: b.name,
          ...(b.description ? { description: b.description } : {}),
          defaultLength: { v4: b.defaultLengthV4 ?? null, v6: b.defaultLengthV6 ?? null },
        }),
      );
    },
  );
  app.post<{ Body: IpamAllocateBody }>(
    ops.allocate.path,
    { schema: { body: ops.allocate.body } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.allocate.role))) return reply;
      const { what, count, from, ...rest } = request.body;
      const input = { ...rest, ...(from ? { from } : {}) };
      const api = as(request);
      const created = ops.allocate.status;
      if (what === 'transfer') return reply.code(created).send(await api.allocateTransferNet(input));
      if (what === 'prefix') {
        return reply
          .code(created)
          .send(count ? await api.allocatePrefixes({ ...input, count }) : await api.allocatePrefix(input));
      }
      return reply
        .code(created)
        .send(count ? await api.allocateAddresses({ ...input, count }) : await api.allocateAddress(input));
    },
  );
  // What the same allocation would get now, without allocating (a read: viewers may ask).
  app.get<{ Querystring: IpamNextFreeQuery }>(
    ops.nextFree.path,
    { schema: { querystring: ops.nextFree.query } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.nextFree.role))) return reply;
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
  app.post<{ Body: IpamReleaseBody }>(
    ops.release.path,
    { schema: { body: ops.release.body } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.release.role))) return reply;
      const { prefix, vrf, recursive } = request.body;
      return await as(request).release({ prefix, ...(vrf ? { vrf } : {}) }, { recursive: recursive === true });
    },
  );
  app.get<{ Querystring: { format?: 'json' | 'csv' } }>(
    ops.exportPlan.path,
    { schema: { querystring: ops.exportPlan.query } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.exportPlan.role))) return reply;
      const format = request.query.format ?? 'json';
      return reply.type(format === 'csv' ? 'text/csv' : 'application/json').send(await ipam.exportPlan({ format }));
    },
  );
  app.post<{ Body: IpamImportBody }>(
    ops.importPlan.path,
    { bodyLimit: 16 * 1024 * 1024, schema: { body: ops.importPlan.body } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.importPlan.role))) return reply;
      return await as(request).importPlan(request.body.data, { format: request.body.format });
    },
  );
  app.get<{ Querystring: { limit?: string } }>(
    ops.history.path,
    { schema: { querystring: ops.history.query } },
    async (request, reply) => {
      if (!(await authorize(request, reply, ops.history.role))) return reply;
      return await ipam.history({ limit: Math.min(Number(request.query.limit ?? 200), 5000) });
    },
  );
}
