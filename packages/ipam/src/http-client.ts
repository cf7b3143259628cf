import {
  FleetError,
  type FleetErrorOptions,
  isRetryableHttpStatus,
  kindOfHttpStatus,
  ValidationError,
} from '@fleet/core';
import { Agent, type Dispatcher } from 'undici';
import {
  type IpamAddPoolBody,
  type IpamAddPrefixBody,
  type IpamAllocateBody,
  type IpamListPrefixesQuery,
  type IpamNextFreeQuery,
  type IpamOperationId,
  type IpamReleaseBody,
  type IpamSearchQuery,
  ipamOperations,
} from './http-contract.js';
import type { NextFree, TransferNet } from './ipam.js';
import type { ImportResult } from './plan-io.js';
import type { HistoryEntry, Pool, PoolUsage, Prefix } from './types.js';

/**
 * An error answer of the IPAM HTTP API, or no answer. `code` is the server's (`IPAM_CONFLICT`,
 * `VALIDATION_FAILED`…) or the client's own `IPAM_UNREACHABLE`, `IPAM_TIMEOUT`, `IPAM_BAD_RESPONSE`.
 * `kind`/`retryable` follow the HTTP status; `status` is 0 when no answer came. `details` holds the server's
 * details plus `operation`, `status`, `method` and `path` (without the query). Never carries credentials.
 */
export class IpamHttpError extends FleetError {
  override name = 'IpamHttpError' as const;
  readonly status: number;
  readonly operation: string;
  constructor(code: string, status: number, operation: string, message: string, options: FleetErrorOptions = {}) {
    super(code, message, {
      kind: status >= 400 ? kindOfHttpStatus(status) : 'internal',
      retryable: status >= 400 && isRetryableHttpStatus(status),
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
  /** Per-request timeout in ms. Default 30 000. */
  timeoutMs?: number;
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

/** A typed client for the IPAM HTTP API, built on {@link ipamOperations}. Validates its options. */
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

  async function send(
    id: IpamOperationId,
    input: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown } = {},
  ): Promise<{ text: string; type: string }> {
    const spec = ipamOperations[id];
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
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      const timeout = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
      throw new IpamHttpError(
        timeout ? 'IPAM_TIMEOUT' : 'IPAM_UNREACHABLE',
        0,
        id,
        `${spec.method} ${path}: ${timeout ? 'no answer in time' : `cannot reach ${url.origin} (${code})`}`,
        { kind: 'unavailable', retryable: true, cause: error, details: { method: spec.method, path, origin: url.origin } },
      );
    }
    const text = await res.body.text();
    if (res.statusCode >= 400) {
      let code = `HTTP_${res.statusCode}`;
      let message = text.slice(0, 200) || `HTTP ${res.statusCode}`;
      let details: Record<string, unknown> = {};
      try {
        const b = JSON.parse(text) as { code?: unknown; message?: unknown; details?: unknown };
        if (typeof b.code === 'string') code = b.code;
        if (typeof b.message === 'string') message = b.message;
        if (typeof b.details === 'object' && b.details !== null) details = b.details as Record<string, unknown>;
      } catch {
        // not JSON: keep the text
      }
      throw new IpamHttpError(code, res.statusCode, id, message, {
        details: { ...details, method: spec.method, path },
      });
    }
    const type = String(res.headers['content-type'] ?? '');
    return { text, type };
  }

  async function json<T>(id: IpamOperationId, input?: Parameters<typeof send>[1]): Promise<T> {
    const { text } = await send(id, input);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new IpamHttpError('IPAM_BAD_RESPONSE', 200, id, `${id}: the server's answer is not JSON`, {
        kind: 'internal',
        cause: error,
      });
    }
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
