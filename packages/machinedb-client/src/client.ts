import { backoffDelay, classifyHttpError, classifyNetworkError, sleep, ValidationError, validateInteger } from '@fleet/core';
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Agent, type Dispatcher } from 'undici';
import {
  type CreateTokenRequest,
  type CreateUserRequest,
  type HistoryEntry,
  type HistoryQuery,
  type IdentityResetRequest,
  type Inventory,
  type LoginRequest,
  type Node,
  type NodeEvent,
  type NodeListQuery,
  type NodeUpdate,
  type OperationId,
  type OperationQuery,
  type OperationResponse,
  type OperationSpec,
  type PageQuery,
  type TokenInfo,
  type TransitionRequest,
  type User,
  operationPath,
  operations,
} from '@fleet/machinedb-contract';
import { MachineDbError } from './errors.js';

export interface MachineDbClientOptions {
  /** `http://machinedb.example:8080` (a path prefix is kept). */
  baseUrl: string;
  /** Bearer token (API token, session token or a node's own token). */
  token?: string;
  /** An undici Dispatcher (Agent, Pool, MockAgent…). Default: a keep-alive Agent created on first use. */
  dispatcher?: Dispatcher;
  /** Per-attempt timeout in ms. Default 10 000. */
  timeoutMs?: number;
  /** Extra attempts for idempotent operations after network errors, 502/503/504 and timeouts. Default 3. */
  retries?: number;
  /** First backoff delay in ms (full jitter, doubling). Default 100. */
  retryBaseMs?: number;
  /** Check every response against the contract's schema. Default true. */
  validateResponses?: boolean;
  /** Sent as User-Agent. */
  userAgent?: string;
}

export interface ResolvedMachineDbClientOptions {
  baseUrl: URL;
  token: string | undefined;
  dispatcher: Dispatcher | undefined;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  validateResponses: boolean;
  userAgent: string;
}

/** Fills defaults and validates; throws VALIDATION_FAILED naming the bad field. Pure. */
export function resolveMachineDbClientOptions(options: MachineDbClientOptions): ResolvedMachineDbClientOptions {
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl);
  } catch {
    throw new ValidationError('baseUrl', `baseUrl ${JSON.stringify(options.baseUrl)} is not a URL (http://host:port)`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new ValidationError('baseUrl', `baseUrl must be http:// or https://, got ${baseUrl.protocol}`);
  }
  if (baseUrl.username || baseUrl.password) {
    throw new ValidationError('baseUrl', 'baseUrl must not carry credentials: pass token instead');
  }
  if (options.token !== undefined && (typeof options.token !== 'string' || !/^[\x21-\x7e]+$/.test(options.token))) {
    throw new ValidationError('token', 'token must be printable ASCII without spaces');
  }
  return {
    baseUrl,
    token: options.token,
    dispatcher: options.dispatcher,
    timeoutMs: validateInteger(options.timeoutMs ?? 10_000, 'timeoutMs', 1, 3_600_000),
    retries: validateInteger(options.retries ?? 3, 'retries', 0, 20),
    retryBaseMs: validateInteger(options.retryBaseMs ?? 100, 'retryBaseMs', 1, 60_000),
    validateResponses: options.validateResponses ?? true,
    userAgent: options.userAgent ?? 'fleet-machinedb-client',
  };
}

export interface RequestInput {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Sent as `If-Match: "<version>"` (updateNode needs it, transitionNode accepts it). */
  version?: number;
  signal?: AbortSignal;
}

/** A conditional GET's answer: the body, or "unchanged" (304) for the copy the caller holds. */
type Conditional = { etag: string | null; body: unknown } | 'not-modified';

/** One typed method per API operation (named like the operation), plus iterators over paginated lists. */
export interface MachineDbClient {
  readonly baseUrl: string;
  getOpenApi(): Promise<OperationResponse<'getOpenApi'>>;
  login(body: LoginRequest): Promise<OperationResponse<'login'>>;
  whoami(): Promise<OperationResponse<'whoami'>>;
  listUsers(query?: PageQuery): Promise<OperationResponse<'listUsers'>>;
  createUser(body: CreateUserRequest): Promise<OperationResponse<'createUser'>>;
  deleteUser(username: string): Promise<OperationResponse<'deleteUser'>>;
  listTokens(query?: PageQuery): Promise<OperationResponse<'listTokens'>>;
  createToken(body: CreateTokenRequest): Promise<OperationResponse<'createToken'>>;
  revokeToken(tokenId: string): Promise<OperationResponse<'revokeToken'>>;
  listNodes(query?: NodeListQuery): Promise<OperationResponse<'listNodes'>>;
  getNode(nodeId: string): Promise<OperationResponse<'getNode'>>;
  /** `version` is the node's current `version` (from getNode): a stale one fails with PRECONDITION_FAILED. */
  updateNode(nodeId: string, body: NodeUpdate, options: { version: number }): Promise<OperationResponse<'updateNode'>>;
  transitionNode(
    nodeId: string,
    body: TransitionRequest,
    options?: { version?: number },
  ): Promise<OperationResponse<'transitionNode'>>;
  /** Admin: forget the node's token so its next enrolment without credentials claims it (recorded with the reason). */
  resetNodeIdentity(nodeId: string, body: IdentityResetRequest): Promise<OperationResponse<'resetNodeIdentity'>>;
  /** Admin: the node's BMC credentials; every read is a history entry naming the reader. */
  getNodeBmcCredentials(nodeId: string): Promise<OperationResponse<'getNodeBmcCredentials'>>;
  listNodeHistory(nodeId: string, query?: PageQuery): Promise<OperationResponse<'listNodeHistory'>>;
  listHistory(query?: HistoryQuery): Promise<OperationResponse<'listHistory'>>;
  submitInventory(inventory: Inventory): Promise<OperationResponse<'submitInventory'>>;
  getNodeConfig(nodeId: string): Promise<OperationResponse<'getNodeConfig'>>;
  reportNodeEvent(nodeId: string, event: NodeEvent): Promise<OperationResponse<'reportNodeEvent'>>;
  getBootTarget(mac: string): Promise<OperationResponse<'getBootTarget'>>;
  exportAnsibleInventory(query?: OperationQuery<'exportAnsibleInventory'>): Promise<OperationResponse<'exportAnsibleInventory'>>;

  /** Every node matching the filters, fetching pages as the loop goes. */
  iterateNodes(query?: Omit<NodeListQuery, 'cursor'>): AsyncIterableIterator<Node>;
  iterateHistory(query?: Omit<HistoryQuery, 'cursor'>): AsyncIterableIterator<HistoryEntry>;
  iterateNodeHistory(nodeId: string, query?: Omit<PageQuery, 'cursor'>): AsyncIterableIterator<HistoryEntry>;
  iterateUsers(query?: Omit<PageQuery, 'cursor'>): AsyncIterableIterator<User>;
  iterateTokens(query?: Omit<PageQuery, 'cursor'>): AsyncIterableIterator<TokenInfo>;

  /** Calls any operation by id (the typed methods use this). */
  request<K extends OperationId>(id: K, input?: RequestInput): Promise<OperationResponse<K>>;
  /** A client with another token sharing this one's connections (close the original, not this). */
  withToken(token: string): MachineDbClient;
  /** Closes the keep-alive Agent this client created (a passed-in dispatcher is left open). */
  close(): Promise<void>;
}

let formatsRegistered = false;
function registerFormats(): void {
  if (formatsRegistered) return;
  formatsRegistered = true;
  // TypeBox knows no formats by default; the contract uses date-time for timestamps.
  if (!FormatRegistry.Has('date-time')) {
    FormatRegistry.Set('date-time', (v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)));
  }
}

const checks = new Map<string, TypeCheck<TSchema>>();
function responseCheck(spec: OperationSpec): TypeCheck<TSchema> {
  let check = checks.get(spec.id);
  if (!check) {
    registerFormats();
    check = TypeCompiler.Compile(spec.response);
    checks.set(spec.id, check);
  }
  return check;
}

/** The wait a failed call asked for (`details.retryAfterMs`), 0 when none. */
export function retryAfterOf(error: unknown): number {
  const ms = error instanceof MachineDbError ? error.details.retryAfterMs : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : 0;
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    search.set(k, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * A typed MachineDB API client on undici: one method per operation of the contract, async iterators over
 * paginated lists, retries with jittered backoff for idempotent operations only, per-attempt timeouts,
 * and MachineDbError carrying the server's code.
 */
export function createMachineDbClient(options: MachineDbClientOptions): MachineDbClient {
  const o = resolveMachineDbClientOptions(options);
  let ownAgent: Agent | undefined;
  let closed = false;
  const dispatcher = (): Dispatcher => {
    if (closed) {
      throw new MachineDbError('MACHINEDB_CLOSED', 0, 'request', 'this MachineDB client was closed: create a new one');
    }
    if (o.dispatcher) return o.dispatcher;
    ownAgent ??= new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 16 });
    return ownAgent;
  };
  return build(o, dispatcher, async () => {
    closed = true;
    const agent = ownAgent;
    ownAgent = undefined;
    await agent?.close();
  });
}

function build(
  o: ResolvedMachineDbClientOptions,
  dispatcher: () => Dispatcher,
  close: () => Promise<void>,
): MachineDbClient {
  const prefix = o.baseUrl.pathname.replace(/\/+$/, '');

  async function attempt(
    spec: OperationSpec,
    path: string,
    input: RequestInput,
    conditional?: { ifNoneMatch: string | null },
  ): Promise<unknown> {
    const operation = `${spec.id} (${spec.method} ${path.split('?')[0]})`;
    const timeout = AbortSignal.timeout(o.timeoutMs);
    const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': o.userAgent };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (input.version !== undefined) headers['if-match'] = `"${input.version}"`;
    if (conditional?.ifNoneMatch) headers['if-none-match'] = conditional.ifNoneMatch;
    let body: string | undefined;
    if (input.body !== undefined) {
      body = JSON.stringify(input.body);
      headers['content-type'] = 'application/json';
    }
    const transport = dispatcher();
    let res: Dispatcher.ResponseData;
    try {
      res = await transport.request({
        origin: o.baseUrl.origin,
        path: `${prefix}${path}`,
        method: spec.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal,
      });
    } catch (error) {
      if (input.signal?.aborted) {
        throw new MachineDbError('MACHINEDB_ABORTED', 0, spec.id, `${operation} was aborted`, { cause: error });
      }
      if (timeout.aborted) {
        throw new MachineDbError('MACHINEDB_TIMEOUT', 0, spec.id, `${operation} got no answer within ${o.timeoutMs} ms`, {
          kind: 'unavailable',
          retryable: true,
          cause: error,
        });
      }
      const { code, retryable } = classifyNetworkError(error);
      throw new MachineDbError(
        'MACHINEDB_UNREACHABLE',
        0,
        spec.id,
        `${operation}: cannot reach ${o.baseUrl.origin} (${code}): check the URL and that the server runs`,
        // A restarting server (ECONNREFUSED …) comes back; a wrong host name (ENOTFOUND) does not.
        { kind: 'unavailable', retryable, cause: error, details: { errno: code } },
      );
    }
    if (conditional && res.statusCode === 304) {
      await res.body.dump();
      return 'not-modified' satisfies Conditional;
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (error) {
      const timedOut = timeout.aborted;
      throw new MachineDbError(
        timedOut ? 'MACHINEDB_TIMEOUT' : 'MACHINEDB_UNREACHABLE',
        res.statusCode,
        spec.id,
        `${operation}: the response was cut off`,
        { kind: 'unavailable', retryable: timedOut, cause: error },
      );
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.statusCode >= 400) {
      const answer = classifyHttpError({ status: res.statusCode, body: text, retryAfter: res.headers['retry-after'] });
      const { code, retryAfterMs } = answer;
      throw new MachineDbError(code, res.statusCode, spec.id, `${operation} failed (${res.statusCode} ${code}): ${answer.message}`, {
        kind: answer.kind,
        retryable: answer.retryable,
        details: {
          ...(Object.keys(answer.details).length > 0 ? { server: answer.details } : {}),
          ...(retryAfterMs !== null ? { retryAfterMs } : {}),
        },
      });
    }
    if (json === undefined) {
      throw new MachineDbError('MACHINEDB_BAD_RESPONSE', res.statusCode, spec.id, `${operation} returned no JSON body`);
    }
    if (o.validateResponses) {
      const check = responseCheck(spec);
      if (!check.Check(json)) {
        const first = check.Errors(json).First();
        throw new MachineDbError(
          'MACHINEDB_BAD_RESPONSE',
          res.statusCode,
          spec.id,
          `${operation} returned a body that does not match the contract at ${first?.path || '/'}: ${first?.message ?? 'invalid'}`,
        );
      }
    }
    if (conditional) {
      const etag = res.headers.etag;
      return { etag: typeof etag === 'string' ? etag : null, body: json } satisfies Conditional;
    }
    return json;
  }

  // The retry decision is the error's own: `retryable` was set where it was raised (503, a refused
  // connection, a timeout); idempotency is the operation's (only idempotent calls get more than one attempt).
  const retryable = (error: unknown): boolean => error instanceof MachineDbError && error.retryable;

  // Config polls are conditional: the server answers 304 while the node's version stays, and this
  // client hands back the copy it holds (one per node; agents poll their own node only).
  const configs = new Map<string, { etag: string; config: OperationResponse<'getNodeConfig'> }>();
  async function nodeConfig(nodeId: string): Promise<OperationResponse<'getNodeConfig'>> {
    const spec = operations.getNodeConfig as OperationSpec;
    const path = operationPath(spec.path, { nodeId });
    const held = configs.get(nodeId);
    for (let n = 1; ; n++) {
      try {
        const answer = (await attempt(spec, path, {}, { ifNoneMatch: held?.etag ?? null })) as Conditional;
        if (answer === 'not-modified') {
          if (held) return structuredClone(held.config);
          throw new MachineDbError('MACHINEDB_BAD_RESPONSE', 304, spec.id, 'getNodeConfig answered 304 unasked');
        }
        const config = answer.body as OperationResponse<'getNodeConfig'>;
        if (answer.etag) {
          if (configs.size >= 64) configs.clear();
          configs.set(nodeId, { etag: answer.etag, config: structuredClone(config) });
        }
        return config;
      } catch (error) {
        if (n >= o.retries + 1 || !retryable(error)) throw error;
        await sleep(Math.max(backoffDelay(n, { minMs: o.retryBaseMs, maxMs: 10_000 }), retryAfterOf(error)));
      }
    }
  }

  async function request<K extends OperationId>(id: K, input: RequestInput = {}): Promise<OperationResponse<K>> {
    const spec = operations[id] as OperationSpec;
    const path = operationPath(spec.path, input.params) + queryString(input.query);
    const attempts = spec.idempotent ? o.retries + 1 : 1;
    for (let n = 1; ; n++) {
      try {
        return (await attempt(spec, path, input)) as OperationResponse<K>;
      } catch (error) {
        if (n >= attempts || !retryable(error) || input.signal?.aborted) throw error;
        // Full jitter: spreads retries of many agents after a server restart; never sooner than the
        // server's Retry-After (a 503 while its database is away).
        await sleep(Math.max(backoffDelay(n, { minMs: o.retryBaseMs, maxMs: 10_000 }), retryAfterOf(error)), input.signal);
      }
    }
  }

  async function* paginate<T>(
    fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  ): AsyncIterableIterator<T> {
    let cursor: string | undefined;
    do {
      const page = await fetchPage(cursor);
      for (const item of page.items) yield item;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  const q = (query: object | undefined) => query as Record<string, unknown> | undefined;
  const withCursor = (query: object | undefined, cursor: string | undefined) =>
    ({ ...query, ...(cursor ? { cursor } : {}) }) as Record<string, unknown>;

  const client: MachineDbClient = {
    baseUrl: o.baseUrl.toString(),
    getOpenApi: () => request('getOpenApi'),
    login: (body) => request('login', { body }),
    whoami: () => request('whoami'),
    listUsers: (query) => request('listUsers', { query: q(query) }),
    createUser: (body) => request('createUser', { body }),
    deleteUser: (username) => request('deleteUser', { params: { username } }),
    listTokens: (query) => request('listTokens', { query: q(query) }),
    createToken: (body) => request('createToken', { body }),
    revokeToken: (tokenId) => request('revokeToken', { params: { tokenId } }),
    listNodes: (query) => request('listNodes', { query: q(query) }),
    getNode: (nodeId) => request('getNode', { params: { nodeId } }),
    updateNode: (nodeId, body, { version }) => request('updateNode', { params: { nodeId }, body, version }),
    transitionNode: (nodeId, body, opts) =>
      request('transitionNode', {
        params: { nodeId },
        body,
        ...(opts?.version !== undefined ? { version: opts.version } : {}),
      }),
    resetNodeIdentity: (nodeId, body) => request('resetNodeIdentity', { params: { nodeId }, body }),
    getNodeBmcCredentials: (nodeId) => request('getNodeBmcCredentials', { params: { nodeId } }),
    listNodeHistory: (nodeId, query) => request('listNodeHistory', { params: { nodeId }, query: q(query) }),
    listHistory: (query) => request('listHistory', { query: q(query) }),
    submitInventory: (inventory) => request('submitInventory', { body: inventory }),
    getNodeConfig: (nodeId) => nodeConfig(nodeId),
    reportNodeEvent: (nodeId, event) => request('reportNodeEvent', { params: { nodeId }, body: event }),
    getBootTarget: (mac) => request('getBootTarget', { params: { mac } }),
    exportAnsibleInventory: (query) => request('exportAnsibleInventory', { query: q(query) }),
    iterateNodes: (query) =>
      paginate((cursor) => request('listNodes', { query: withCursor(query, cursor) }) as Promise<{ items: Node[]; nextCursor: string | null }>),
    iterateHistory: (query) =>
      paginate((cursor) => request('listHistory', { query: withCursor(query, cursor) })),
    iterateNodeHistory: (nodeId, query) =>
      paginate((cursor) => request('listNodeHistory', { params: { nodeId }, query: withCursor(query, cursor) })),
    iterateUsers: (query) => paginate((cursor) => request('listUsers', { query: withCursor(query, cursor) })),
    iterateTokens: (query) => paginate((cursor) => request('listTokens', { query: withCursor(query, cursor) })),
    request,
    withToken(token) {
      const next = resolveMachineDbClientOptions({ ...o, baseUrl: o.baseUrl.toString(), token, dispatcher: undefined });
      return build({ ...next, dispatcher: undefined }, dispatcher, async () => {});
    },
    close,
  };
  return client;
}
