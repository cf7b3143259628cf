import { ValidationError, validateInteger } from '@fleet/core';

/** Where the Consul agent's HTTP API is when nothing says otherwise (as for the `consul` CLI). */
export const DEFAULT_CONSUL_HTTP_ADDR = 'http://127.0.0.1:8500';

/** A Consul agent's HTTP API address, ready to spread into `createConsul()`. */
export interface ConsulAddress {
  host: string;
  port: number;
  secure: boolean;
  /** The same address written as `http(s)://host:port`. */
  url: string;
}

/** A {@link ConsulAddress} with the ACL token to send, if any. */
export interface ConsulEndpoint extends ConsulAddress {
  token?: string;
}

export interface ParseConsulAddressOptions {
  /** Use https when the address has no scheme (`CONSUL_HTTP_SSL=true`). An explicit `http://` wins. */
  ssl?: boolean;
  /** Named in errors (`CONSUL_HTTP_ADDR`, `--consul`, a config key). Default `CONSUL_HTTP_ADDR`. */
  field?: string;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/;

/**
 * Parses a Consul HTTP address the way the `consul` CLI reads `CONSUL_HTTP_ADDR` / `-http-addr`:
 * `host:port` or `http(s)://host:port`, the port required. Without a scheme the address is http, or https
 * when `ssl` is set. Unix sockets, other schemes, paths and a missing port are a `ValidationError`.
 */
export function parseConsulAddress(address: string, options: ParseConsulAddressOptions = {}): ConsulAddress {
  const field = options.field ?? 'CONSUL_HTTP_ADDR';
  const form = 'host:port or http(s)://host:port, for example 127.0.0.1:8500';
  if (typeof address !== 'string' || address === '') {
    throw new ValidationError(field, `${field} is empty: give ${form}`);
  }
  let secure = options.ssl ?? false;
  let rest = address;
  const sep = address.indexOf('://');
  if (sep >= 0) {
    const scheme = address.slice(0, sep);
    if (scheme === 'unix') {
      throw new ValidationError(field, `${field} ${JSON.stringify(address)}: unix sockets are not supported, give ${form}`);
    }
    if (scheme !== 'http' && scheme !== 'https') {
      throw new ValidationError(field, `${field} ${JSON.stringify(address)}: unknown scheme ${JSON.stringify(scheme)}, give ${form}`);
    }
    secure = scheme === 'https';
    rest = address.slice(sep + 3);
  }
  const match = HOST_PORT.exec(rest);
  if (!match) {
    throw new ValidationError(field, `${field} ${JSON.stringify(address)} is not ${form}`);
  }
  const [, host = '', portText] = match;
  if (portText === undefined) {
    throw new ValidationError(
      field,
      `${field} ${JSON.stringify(address)} has no port: give ${form} (the agent's HTTP port is 8500, HTTPS 8501)`,
    );
  }
  const port = validateInteger(Number(portText), field, 1, 65535);
  return { host, port, secure, url: `${secure ? 'https' : 'http'}://${host}:${port}` };
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function parseSsl(value: string): boolean {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ValidationError('CONSUL_HTTP_SSL', `CONSUL_HTTP_SSL must be true or false, got ${JSON.stringify(value)}`);
}

export interface ResolveConsulEndpointOptions {
  /** An address given explicitly (a flag, a config file); wins over `CONSUL_HTTP_ADDR`. */
  address?: string;
  /** A token given explicitly; wins over `CONSUL_HTTP_TOKEN`. */
  token?: string;
  /** Named in errors about `address`. Default `CONSUL_HTTP_ADDR`. */
  field?: string;
}

/**
 * The Consul agent to talk to, resolved like the `consul` CLI does: `address`, else `CONSUL_HTTP_ADDR`, else
 * `http://127.0.0.1:8500`; `CONSUL_HTTP_SSL=true` makes a scheme-less address https; the token is `token`,
 * else `CONSUL_HTTP_TOKEN`. Empty variables count as unset. Pure: reads only `env`.
 */
export function resolveConsulEndpoint(
  options: ResolveConsulEndpointOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConsulEndpoint {
  const fromEnv = env.CONSUL_HTTP_ADDR || undefined;
  // Scheme-less, as the consul CLI's own default, so CONSUL_HTTP_SSL=true turns it into https.
  const address = options.address ?? fromEnv ?? '127.0.0.1:8500';
  const field = options.address !== undefined ? (options.field ?? 'CONSUL_HTTP_ADDR') : 'CONSUL_HTTP_ADDR';
  const ssl = env.CONSUL_HTTP_SSL ? parseSsl(env.CONSUL_HTTP_SSL) : undefined;
  const parsed = parseConsulAddress(address, { field, ...(ssl === undefined ? {} : { ssl }) });
  const token = options.token ?? (env.CONSUL_HTTP_TOKEN || undefined);
  if (token !== undefined && /[\r\n]/.test(token)) {
    throw new ValidationError('CONSUL_HTTP_TOKEN', 'the Consul token must be a single line');
  }
  return token ? { ...parsed, token } : parsed;
}
