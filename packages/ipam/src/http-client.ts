import {
  backoffDelay,
  classifyHttpError,
  classifyNetworkError,
  FleetError,
  type FleetErrorOptions,
  sleep,
  ValidationError,
  validateInteger,
} from '@fleet/core';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Agent, type Dispatcher } from 'undici';
import {
  type IpamAddPoolBody,
  type IpamAddPrefixBody,
  type IpamAllocateBody,
  type IpamListPrefixesQuery,
  type IpamNextFreeQuery,
  type IpamOperationId,
  type IpamOperationSpec,
  type IpamReleaseBody,
  type IpamSearchQuery,
  ipamOperations,
} from './http-contract.js';
import type { NextFree, TransferNet } from './ipam.js';
import type { ImportResult } from './plan-io.js';
import type { HistoryEntry, Pool, PoolUsage, Prefix } from './types.js';

/**
 * An error answer of the IPAM HTTP API, or no answer. `code` is the server's (`IPAM_CONFLICT`,
 * `VALIDATION_FAILED`…) or the client's own `IPAM_UNREACHABLE`, `IPAM_TIMEOUT`, `IPAM_BAD_RESPONSE` (a success
 * answer that is not JSON or does not match the contract's response schema). `kind`/`retryable` are core's
 * `classifyHttpError` of the answer; `status` is 0 when no answer came. `details` holds the server's details plus
 * `operation`, `status`, `method` and `path` (without the query), and `retryAfterMs` when the server sent
 * `Retry-After`. Never carries credentials.
 */
export class IpamHttpError extends FleetError {
  override name = 'IpamHttpError' as const;
  readonly status: number;
  readonly operation: string;
  constructor(code: string, status: number, operation: string, message: string, options: FleetErrorOptions = {}) {
    const answer = status >= 400 ? classifyHttpError({ status }) : undefined;
    super(code, message, {
      kind: answer?.kind ?? 'internal',
      retryable: answer?.retryable ?? false,
      ...options,
      details: { operation, status, ...options.details },
    });
    this.status = status;
    this.operation = operation;
  }
}

export interface IpamClientOptions {
  /** `http://fleet.example:8080` (a path prefix is kept). */
  baseUrl: string;
  /** Bearer token. */
  token?: string;
  /** HTTP basic credentials (instead of a token). */
  basic?: { username: string; password: string };
  /** An undici Dispatcher. Default: a keep-alive Agent created on first use, closed by `close()`. */
  dispatcher?: Dispatcher;
  /** Per-attempt timeout in ms. Default 30 000. */
  timeoutMs?: number;
  /**
   * Extra attempts for the contract's idempotent operations after a retryable failure: a refused or broken
   * connection, a timeout, 502/503/504, or 429 with a short `Retry-After`. Default 3; 0 turns retries off.
   */
  retries?: number;
  /** First backoff delay in ms (core's `backoffDelay`, full jitter, doubling); never shorter than `Retry-After`. Default 100. */
  retryBaseMs?: number;
  /** Check every JSON answer against the contract's response schema (IPAM_BAD_RESPONSE when it does not match). Default true. */
  validateResponses?: boolean;
  /** Sent as User-Agent. Default `fleet-ipam-client`. */
  userAgent?: string;
}

/** A pool with its usage, as `listPools` answers. */
export type IpamPoolWithUsage = Pool & { usage: PoolUsage };

/** One typed method per operation of {@link ipamOperations}. */
export interface IpamClient {
  readonly baseUrl: string;
  listPrefixes(query?: IpamListPrefixesQuery): Promise<Prefix[]>;
  searchPrefixes(query: IpamSearchQuery): Promise<Prefix[]>;
  /** The most specific prefix holding the address; IPAM_NOT_FOUND (404) when none. */
  lookup(address: string): Promise<Prefix>;
  addPrefix(body: IpamAddPrefixBody): Promise<Prefix>;
  removePrefix(ref: string | number, options?: { recursive?: boolean }): Promise<{ removed: number }>;
  listPools(): Promise<IpamPoolWithUsage[]>;
  addPool(body: IpamAddPoolBody): Promise<Pool>;
  /** One prefix, several (with `count`), or a transfer net (`what: 'transfer'`). */
  allocate(body: IpamAllocateBody): Promise<Prefix | Prefix[] | TransferNet>;
  nextFree(query?: IpamNextFreeQuery): Promise<{ next: NextFree | null }>;
  release(body: IpamReleaseBody): Promise<{ released: number }>;
  /** The plan as text (JSON or CSV). */
  exportPlan(format?: 'json' | 'csv'): Promise<string>;
  importPlan(data: string, format: 'json' | 'csv'): Promise<ImportResult>;
  history(query?: { limit?: number }): Promise<HistoryEntry[]>;
  /** Closes the client's own Agent (not a dispatcher passed in). */
  close(): Promise<void>;
}

const checks = new Map<string, TypeCheck<TSchema>>();
function responseCheck(spec: IpamOperationSpec & { response: TSchema }): TypeCheck<TSchema> {
  let check = checks.get(spec.id);
  if (!check) {
    check = TypeCompiler.Compile(spec.response);
    checks.set(spec.id, check);
  }
  return check;
}

/**
 * A typed client for the IPAM HTTP API, built on {@link ipamOperations}. Validates its options. Idempotent
 * operations are retried after retryable failures (the same rules as the MachineDB client); every JSON answer is
 * checked against the contract's response schema.
 */
export function createIpamClient(options: IpamClientOptions): IpamClient {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new ValidationError('baseUrl', `baseUrl ${JSON.stringify(options.baseUrl)} is not a URL (http://host:port)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ValidationError('baseUrl', `baseUrl must be http:// or https://, got ${base.protocol}`);
  }
  if (options.token !== undefined && options.basic !== undefined) {
    throw new ValidationError('token', 'pass token or basic, not both');
  }
  if (options.token !== undefined && !/^[\x21-\x7e]+$/.test(options.token)) {
    throw new ValidationError('token', 'token must be printable ASCII without spaces');
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new ValidationError('timeoutMs', 'timeoutMs must be a positive integer');
  const retries = validateInteger(options.retries ?? 3, 'retries', 0, 20);
  const retryBaseMs = validateInteger(options.retryBaseMs ?? 100, 'retryBaseMs', 1, 60_000);
  const validateResponses = options.validateResponses ?? true;
  const authorization = options.token
    ? `Bearer ${options.token}`
    : options.basic
      ? `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}`
      : undefined;
  let own: Agent | undefined;
  const dispatcher = (): Dispatcher => {
    if (options.dispatcher) return options.dispatcher;
    if (!own) own = new Agent({ keepAliveTimeout: 10_000 });
    return own;
  };
  const prefix = base.pathname.replace(/\/+$/, '');

  type Input = { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };

  async function attempt(id: IpamOperationId, input: Input): Promise<{ text: string; type: string }> {
    const spec: IpamOperationSpec = ipamOperations[id];
    const path = spec.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(input.params?.[name] ?? ''));
    const url = new URL(`${prefix}${path}`, base.origin);
    for (const [k, v] of Object.entries(input.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      accept: 'application/json, text/csv',
      'user-agent': options.userAgent ?? 'fleet-ipam-client',
    };
    if (authorization) headers.authorization = authorization;
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await dispatcher().request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: spec.method,
        headers,
        ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      text = await res.body.text();
    } catch (error) {
      const { code, retryable } = classifyNetworkError(error);
      const timeout = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
      throw new IpamHttpError(
        timeout ? 'IPAM_TIMEOUT' : 'IPAM_UNREACHABLE',
        0,
        id,
        `${spec.method} ${path}: ${timeout ? 'no answer in time' : `cannot reach ${url.origin} (${code})`}`,
        { kind: 'unavailable', retryable, cause: error, details: { method: spec.method, path, origin: url.origin } },
      );
    }
    if (res.statusCode >= 400) {
      const answer = classifyHttpError({ status: res.statusCode, body: text, retryAfter: res.headers['retry-after'] });
      throw new IpamHttpError(answer.code, res.statusCode, id, answer.message, {
        kind: answer.kind,
        retryable: answer.retryable,
        details: {
          ...answer.details,
          method: spec.method,
          path,
          ...(answer.retryAfterMs !== null ? { retryAfterMs: answer.retryAfterMs } : {}),
        },
      });
    }
    const type = String(res.headers['content-type'] ?? '');
    return { text, type };
  }

  /** One call with the client's retries: only idempotent operations, only retryable failures, Retry-After honoured. */
  async function send(id: IpamOperationId, input: Input = {}): Promise<{ text: string; type: string }> {
    const attempts = ipamOperations[id].idempotent ? retries + 1 : 1;
    for (let n = 1; ; n++) {
      try {
        return await attempt(id, input);
      } catch (error) {
        if (n >= attempts || !(error instanceof IpamHttpError) || !error.retryable) throw error;
        const asked = error.details.retryAfterMs;
        const wait = typeof asked === 'number' ? asked : 0;
        await sleep(Math.max(backoffDelay(n, { minMs: retryBaseMs, maxMs: 10_000 }), wait));
      }
    }
  }

  async function json<T>(id: IpamOperationId, input?: Input): Promise<T> {
    const { text } = await send(id, input);
    const spec: IpamOperationSpec = ipamOperations[id];
    const where = `${spec.method} ${spec.path}`;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new IpamHttpError('IPAM_BAD_RESPONSE', 200, id, `${id} (${where}): the server's answer is not JSON`, {
        kind: 'internal',
        cause: error,
      });
    }
    if (validateResponses && spec.response) {
      const check = responseCheck({ ...spec, response: spec.response });
      if (!check.Check(body)) {
        const first = check.Errors(body).First();
        throw new IpamHttpError(
          'IPAM_BAD_RESPONSE',
          200,
          id,
          `${id} (${where}) returned a body that does not match the contract at ${first?.path || '/'}: ${first?.message ?? 'invalid'}`,
          { kind: 'internal', details: { at: first?.path || '/' } },
        );
      }
    }
    return body as T;
  }

  return {
    baseUrl: base.toString(),
    listPrefixes: (query = {}) => json('listPrefixes', { query }),
    searchPrefixes: (query) => json('searchPrefixes', { query }),
    lookup: (address) => json('lookup', { params: { address } }),
    addPrefix: (body) => json('addPrefix', { body }),
    removePrefix: (ref, opts = {}) =>
      json('removePrefix', {
        params: { id: String(ref) },
        query: opts.recursive === undefined ? {} : { recursive: String(opts.recursive) },
      }),
    listPools: () => json('listPools'),
    addPool: (body) => json('addPool', { body }),
    allocate: (body) => json('allocate', { body }),
    nextFree: (query = {}) => json('nextFree', { query }),
    release: (body) => json('release', { body }),
    exportPlan: async (format = 'json') => (await send('exportPlan', { query: { format } })).text,
    importPlan: (data, format) => json('importPlan', { body: { data, format } }),
    history: (query = {}) =>
      json('history', { query: query.limit === undefined ? {} : { limit: String(query.limit) } }),
    async close() {
      if (own) await own.close();
      own = undefined;
    },
  };
}
