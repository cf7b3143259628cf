import { isDatabaseUnavailable, isFleetError, toDatabaseUnavailable } from '@fleet/core';
import {
  type OperationBody,
  type OperationId,
  type OperationParams,
  type OperationQuery,
  type OperationSpec,
  operations,
} from '@fleet/machinedb-contract';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AuthError, MachineDbServerError, httpStatusOfError } from './errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { type Caller, createMachineDb, type MachineDb, type MachineDbOptions } from './service.js';

export interface MachineDbRoutesOptions {
  machineDb: MachineDb;
  /** Largest accepted request body in bytes (default 1 MiB); larger is a 413 BODY_TOO_LARGE. */
  bodyLimit?: number;
  /** Run the state-timeout sweep this often (default 60 000 ms; 0 turns it off). */
  sweepIntervalMs?: number;
}

interface Context<K extends OperationId> {
  params: OperationParams<K>;
  query: OperationQuery<K>;
  body: OperationBody<K>;
  caller: Caller | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

type Handlers = { [K in OperationId]: (ctx: Context<K>) => Promise<unknown> };

/** Validation errors name the field: `body.location.rack`, `query.limit`, `params.mac`. */
function validationError(part: string, path: string, message: string): MachineDbServerError {
  const prefix = part === 'querystring' ? 'query' : part;
  const field = [prefix, ...path.split('/').filter(Boolean)].join('.');
  return new MachineDbServerError('VALIDATION_FAILED', `${field}: ${message}`, { details: { field, in: prefix } });
}

/** TypeBox instead of Ajv: unknown fields are rejected (Fastify's Ajv defaults silently strip them). */
function compileValidator({ schema, httpPart }: { schema: unknown; httpPart?: string }) {
  const typeSchema = schema as TSchema;
  const check = TypeCompiler.Compile(typeSchema);
  // Query strings and path params arrive as text; convert only when the schema has non-string fields.
  const properties = (typeSchema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  const coerce =
    (httpPart === 'querystring' || httpPart === 'params') && Object.values(properties).some((p) => p.type !== 'string');
  return (data: unknown) => {
    const value = coerce ? Value.Convert(typeSchema, data ?? {}) : data;
    if (check.Check(value)) return { value };
    const first = check.Errors(value).First();
    if (!first) return { error: validationError(httpPart ?? 'body', '', 'is invalid') };
    const unknownField = first.message.includes('additional properties') || first.type === 45;
    return {
      error: validationError(
        httpPart ?? 'body',
        first.path,
        unknownField ? `unknown field (${first.message}): remove it` : first.message,
      ),
    };
  };
}

function parseIfMatch(header: string | undefined): number | null | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return null;
  const match = /^(?:W\/)?"([1-9][0-9]{0,15})"$/.exec(header.trim());
  if (!match?.[1]) {
    throw new MachineDbServerError('VALIDATION_FAILED', 'If-Match must be the ETag of the node, like "12"', {
      details: { field: 'If-Match', in: 'header' },
    });
  }
  return Number(match[1]);
}

function forbidden(op: OperationSpec, why: string): AuthError {
  return new AuthError('FORBIDDEN', `${op.id} ${why}`, { details: { operation: op.id, requires: op.auth } });
}

async function authorize(machineDb: MachineDb, op: OperationSpec, request: FastifyRequest): Promise<Caller | null> {
  if (op.auth === 'public') return null;
  const caller = await machineDb.authenticate(request.headers.authorization, request.ip);
  if (caller === null) {
    if (op.auth === 'enroll' && !machineDb.options.provisioningSecret) return { kind: 'enrol' };
    throw new AuthError('UNAUTHENTICATED', `${op.id} needs credentials: send Authorization: Bearer <token> or Basic`, {
      details: { operation: op.id },
    });
  }
  switch (op.auth) {
    case 'enroll':
      if (caller.kind === 'user' && caller.principal.role !== 'admin')
        throw forbidden(op, 'needs a node, the provisioning secret or an admin');
      return caller;
    case 'authenticated':
      if (caller.kind === 'enrol') throw forbidden(op, 'is not available to the provisioning secret');
      return caller;
    case 'viewer':
      if (caller.kind !== 'user') throw forbidden(op, 'needs a viewer, operator or admin account');
      return caller;
    case 'operator':
      if (caller.kind !== 'user' || (caller.principal.role !== 'operator' && caller.principal.role !== 'admin'))
        throw forbidden(op, 'needs an operator or admin account');
      return caller;
    case 'admin':
      if (caller.kind !== 'user' || caller.principal.role !== 'admin') throw forbidden(op, 'needs an admin account');
      return caller;
    case 'node': {
      const nodeId = (request.params as { nodeId?: string }).nodeId;
      if (caller.kind !== 'node' || caller.nodeId !== nodeId) throw forbidden(op, "is only for the node's own token");
      return caller;
    }
  }
}

function actorOf(caller: Caller | null) {
  if (caller && caller.kind !== 'enrol') return caller.actor;
  throw new AuthError('FORBIDDEN', 'this call needs a named caller');
}

/** A handler result that is UTF-8 JSON already: sent as is, not serialised again. */
class PreSerialized {
  constructor(readonly json: Buffer) {}
}
/** A handler result meaning "304 Not Modified, no body". */
const NOT_MODIFIED = Symbol('not-modified');

/** If-None-Match with weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal to `etag` ignoring `W/`. */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t.replace(/^W\//, '') === bare);
}

/** Accept-Encoding lists gzip with a non-zero q (`gzip`, `gzip;q=0.5`, `*`). */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function setEtag(reply: FastifyReply, version: number) {
  void reply.header('etag', `"${version}"`);
}

function handlers(machineDb: MachineDb): Handlers {
  const openapi = buildOpenApiDocument();
  return {
    getOpenApi: async () => openapi,
    login: async ({ body, request }) => await machineDb.login(body.username, body.password, request.ip),
    whoami: async ({ caller }) => {
      if (!caller || caller.kind === 'enrol') throw new AuthError('UNAUTHENTICATED', 'no credentials');
      return caller.principal;
    },
    listUsers: async ({ query }) => await machineDb.listUsers(query),
    createUser: async ({ body }) => await machineDb.createUser(body),
    deleteUser: async ({ params }) => await machineDb.deleteUser(params.username),
    listTokens: async ({ query }) => await machineDb.listTokens(query),
    createToken: async ({ body, caller }) => await machineDb.createToken(body, actorOf(caller)),
    revokeToken: async ({ params }) => await machineDb.revokeToken(params.tokenId),
    listNodes: async ({ query }) => await machineDb.listNodes(query),
    getNode: async ({ params, reply }) => {
      const node = await machineDb.getNode(params.nodeId);
      setEtag(reply, node.version);
      return node;
    },
    updateNode: async ({ params, body, caller, request, reply }) => {
      const ifMatch = parseIfMatch(request.headers['if-match']);
      if (ifMatch === undefined) {
        throw new MachineDbServerError(
          'PRECONDITION_REQUIRED',
          'updateNode needs If-Match with the ETag from getNode, so concurrent edits are not lost',
          { details: { field: 'If-Match', in: 'header' } },
        );
      }
      const node = await machineDb.updateNode(params.nodeId, body, ifMatch, actorOf(caller));
      setEtag(reply, node.version);
      return node;
    },
    transitionNode: async ({ params, body, caller, request, reply }) => {
      const ifMatch = parseIfMatch(request.headers['if-match']) ?? null;
      const node = await machineDb.transitionNode(params.nodeId, body, ifMatch, actorOf(caller));
      setEtag(reply, node.version);
      return node;
    },
    resetNodeIdentity: async ({ params, body, caller }) =>
      await machineDb.resetIdentity(params.nodeId, body.reason, actorOf(caller)),
    getNodeBmcCredentials: async ({ params, caller }) =>
      await machineDb.readBmcCredentials(params.nodeId, actorOf(caller)),
    listNodeHistory: async ({ params, query }) => await machineDb.listHistory(params.nodeId, query),
    listHistory: async ({ query }) => {
      const { nodeId, ...page } = query;
      return await machineDb.listHistory(nodeId ?? null, page);
    },
    submitInventory: async ({ body, caller }) => await machineDb.submitInventory(body, caller ?? { kind: 'enrol' }),
    getNodeConfig: async ({ params, caller, request, reply }) => {
      const record = caller?.kind === 'node' ? caller.record : undefined;
      // The config is a function of the node record: its version is the ETag, so an agent's poll of an
      // unchanged node is a 304 without a body.
      if (record?.id === params.nodeId) {
        const etag = `"cfg-${record.version}"`;
        void reply.header('etag', etag).header('cache-control', 'no-cache');
        if (ifNoneMatch(request.headers['if-none-match'], etag)) return NOT_MODIFIED;
      }
      return await machineDb.getNodeConfig(params.nodeId, record);
    },
    reportNodeEvent: async ({ params, body, caller }) =>
      await machineDb.reportEvent(params.nodeId, body, actorOf(caller)),
    getBootTarget: async ({ params }) => await machineDb.bootTarget(params.mac),
    exportAnsibleInventory: async ({ query, request, reply }) => {
      const { json, gzip, etag } = await machineDb.exportAnsibleJson(query);
      void reply.header('etag', etag).header('vary', 'accept-encoding');
      // A client holding this document revalidates for the price of one aggregate query.
      if (ifNoneMatch(request.headers['if-none-match'], etag)) return NOT_MODIFIED;
      if (!acceptsGzip(request.headers['accept-encoding'])) return new PreSerialized(json);
      void reply.header('content-encoding', 'gzip');
      return new PreSerialized(gzip);
    },
  };
}

const FASTIFY_ERRORS: Record<string, { code: MachineDbServerError['code']; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: 'request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'send the body as application/json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'body: a JSON body is required' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'body: is not valid JSON' },
};

/** `Retry-After` on a 503 DATABASE_UNAVAILABLE: about what a PostgreSQL restart or failover takes. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** The JSON error body for anything thrown in a route; 5xx never reveal internals. */
export function errorBody(error: unknown): {
  status: number;
  body: { code: string; message: string; details: Record<string, unknown> };
} {
  if (error instanceof MachineDbServerError) return { status: error.status, body: error.toJSON() };
  // The database is away (down, restarting, failing over): 503 with Retry-After, never a 500.
  if (isDatabaseUnavailable(error)) {
    const unavailable = toDatabaseUnavailable(error, 'machinedb');
    if (isFleetError(unavailable)) return { status: 503, body: unavailable.toJSON() };
  }
  if (isFleetError(error)) {
    const status = httpStatusOfError(error);
    if (status < 500) return { status, body: error.toJSON() };
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) {
    const status = fastifyError.statusCode ?? 400;
    return {
      status,
      body: {
        code: known.code,
        message: known.message,
        details: known.code === 'VALIDATION_FAILED' ? { field: 'body', in: 'body' } : {},
      },
    };
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
      return {
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          message: `body: ${fastifyError.message ?? 'invalid'}`,
          details: { field: 'body', in: 'body' },
        },
      };
    }
    return {
      status: fastifyError.statusCode,
      body: { code: 'CONFLICT', message: fastifyError.message ?? 'request refused', details: {} },
    };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error: see the server log', details: {} } };
}

/**
 * Fastify plugin: registers every operation of the contract's table with TypeBox validation, auth per
 * operation, ETags, JSON errors and `/openapi.json`. Register it without `fastify-plugin` so its
 * validator and error handler stay in its own scope.
 */
export async function machineDbRoutes(app: FastifyInstance, options: MachineDbRoutesOptions): Promise<void> {
  const { machineDb } = options;
  const table = handlers(machineDb) as unknown as Record<OperationId, (ctx: Context<OperationId>) => Promise<unknown>>;
  app.setValidatorCompiler(compileValidator);
  // The API speaks JSON only: anything else is a 415 rather than a confusing schema error.
  app.removeContentTypeParser('text/plain');
  let lastUnavailableLog = 0;
  app.setErrorHandler(async (error, request, reply) => {
    const { status, body } = errorBody(error);
    if (body.code === 'DATABASE_UNAVAILABLE') {
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      // One line per few seconds, not one per request, while the database is away.
      if (Date.now() - lastUnavailableLog > 5_000) {
        lastUnavailableLog = Date.now();
        machineDb.options.logger.warn('database unavailable: answering 503', { ...body.details });
      }
    } else if (status >= 500) {
      machineDb.options.logger.error('request failed', {
        method: request.method,
        url: request.routeOptions.url,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    if (status === 401) void reply.header('www-authenticate', 'Bearer, Basic realm="fleet"');
    if (status === 429) void reply.header('retry-after', String(body.details.retryAfterSeconds ?? 1));
    return reply.code(status).send(body);
  });
  for (const op of Object.values(operations) as OperationSpec[]) {
    const handler = table[op.id as OperationId];
    app.route({
      method: op.method,
      url: op.path,
      bodyLimit: options.bodyLimit ?? 1024 * 1024,
      schema: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { querystring: op.query } : {}),
        ...(op.body ? { body: op.body } : {}),
      },
      handler: async (request, reply) => {
        const caller = await authorize(machineDb, op, request);
        const result = await handler({
          params: request.params as never,
          query: request.query as never,
          body: request.body as never,
          caller,
          request,
          reply,
        });
        if (result === NOT_MODIFIED) return reply.code(304).send();
        if (result instanceof PreSerialized) {
          return reply.code(op.status).type('application/json; charset=utf-8').send(result.json);
        }
        return reply.code(op.status).send(result);
      },
    });
  }
  const interval = options.sweepIntervalMs ?? 60_000;
  if (interval > 0) {
    const timer = setInterval(() => {
      machineDb.sweepTimeouts().catch((error: unknown) => {
        machineDb.options.logger.error('timeout sweep failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      });
    }, interval);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
}

export interface MachineDbAppOptions extends MachineDbOptions {
  bodyLimit?: number;
  sweepIntervalMs?: number;
}

export interface MachineDbApp {
  app: FastifyInstance;
  machineDb: MachineDb;
  /** Stops the HTTP server and closes the store. */
  close(): Promise<void>;
}

/**
 * A standalone fastify app serving the MachineDB API (migrations run first). Call `app.listen()`;
 * `close()` stops it and closes the store. Embedders with their own fastify use `machineDbRoutes`.
 */
export async function createMachineDbApp(options: MachineDbAppOptions): Promise<MachineDbApp> {
  const machineDb = await createMachineDb(options);
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  await app.register(machineDbRoutes, {
    machineDb,
    ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.sweepIntervalMs !== undefined ? { sweepIntervalMs: options.sweepIntervalMs } : {}),
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({
      code: 'NOT_FOUND',
      message: `no route ${request.method} ${request.url.split('?')[0]}: see /openapi.json`,
      details: { method: request.method },
    }),
  );
  app.setErrorHandler(async (error, _request, reply) => {
    const { status, body } = errorBody(error);
    if (body.code === 'DATABASE_UNAVAILABLE') void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return reply.code(status).send(body);
  });
  return {
    app,
    machineDb,
    async close() {
      await app.close();
      await machineDb.close();
    },
  };
}
