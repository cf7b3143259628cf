import { ValidationError, validateInteger } from '@fleet/core';
import Consul from 'consul';

/** The `consul` npm client (v2, promise API) that every function here takes as its first argument. */
export type ConsulClient = InstanceType<typeof Consul>;

export interface ConsulOptions {
  /** Agent host. Default `127.0.0.1`. */
  host?: string;
  /** Agent HTTP port. Default 8500. */
  port?: number;
  secure?: boolean;
  /** ACL token sent as X-Consul-Token on every call. */
  token?: string;
  /** Timeout for ordinary (non-blocking) calls, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Defaults for every call (for example `dc`, `consistent`). */
  defaults?: { dc?: string; consistent?: boolean; stale?: boolean };
}

export interface ResolvedConsulOptions {
  host: string;
  port: number;
  secure: boolean;
  token: string | undefined;
  timeoutMs: number;
  defaults: { dc?: string; consistent?: boolean; stale?: boolean };
}

/** Fills defaults and validates ConsulOptions. Pure. */
export function resolveConsulOptions(options: ConsulOptions = {}): ResolvedConsulOptions {
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    throw new ValidationError('host', `host ${JSON.stringify(host)} is not a host name or address`);
  }
  const port = validateInteger(options.port ?? 8500, 'port', 1, 65535);
  const timeoutMs = validateInteger(options.timeoutMs ?? 10_000, 'timeoutMs', 1, 3_600_000);
  if (options.token !== undefined && (typeof options.token !== 'string' || /[\r\n]/.test(options.token))) {
    throw new ValidationError('token', 'token must be a single-line string');
  }
  return {
    host,
    port,
    secure: options.secure ?? false,
    token: options.token,
    timeoutMs,
    defaults: { ...options.defaults },
  };
}

/** Creates a `consul` client. Call `consul.destroy()` (or `closeConsul`) to drop its keep-alive sockets. */
export function createConsul(options: ConsulOptions = {}): ConsulClient {
  const o = resolveConsulOptions(options);
  return new Consul({
    host: o.host,
    port: o.port,
    secure: o.secure,
    defaults: { ...o.defaults, ...(o.token ? { token: o.token } : {}), timeout: o.timeoutMs } as never,
  });
}

/** Closes the client's keep-alive agent. */
export function closeConsul(consul: ConsulClient): void {
  consul.destroy();
}
