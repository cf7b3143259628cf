import { kindOfHttpStatus } from '@fleet/core';
import type { IpamClient, IpamHttpError } from '@fleet/ipam';
import type { MachineDbClient } from '@fleet/machinedb-client';
import { type Dispatcher, request } from 'undici';
import type { CommandContext } from './command.js';
import { CliError, serverUnreachable } from './errors.js';

/** A MachineDB client for the configured server, closed after the command. */
export async function machineDb(ctx: CommandContext): Promise<MachineDbClient> {
  // Loaded on use: commands that never talk to MachineDB start faster.
  const { createMachineDbClient } = await import('@fleet/machinedb-client');
  const config = ctx.config();
  const client = createMachineDbClient({
    baseUrl: config.url,
    ...(config.token ? { token: config.token } : {}),
    retries: 1,
    retryBaseMs: 50,
    userAgent: 'fleet-cli',
  });
  ctx.onClose(() => client.close());
  return client;
}

/** An error answer from the server's own (non-contract) routes: IPAM, drift, boot files. */
export class ServerApiError extends CliError {
  readonly status: number;
  constructor(code: string, status: number, message: string) {
    super(code, message, { kind: kindOfHttpStatus(status), details: { status } });
    this.status = status;
  }
}

export interface ServerCall {
  method: Dispatcher.HttpMethod;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/** One request to the server with the configured token; returns the body text (JSON or CSV). */
export async function callServer(ctx: CommandContext, call: ServerCall): Promise<string> {
  const config = ctx.config();
  // A path prefix in the URL (a reverse proxy's /fleet) is kept.
  const base = new URL(config.url);
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${call.path}`, base.origin);
  for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: 'application/json, text/csv', 'user-agent': 'fleet-cli' };
  if (config.token) headers.authorization = `Bearer ${config.token}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: call.method,
      headers,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      headersTimeout: 30_000,
      bodyTimeout: 60_000,
    });
  } catch (error) {
    throw serverUnreachable(url.origin, (error as { code?: string }).code ?? 'error', error);
  }
  const text = await res.body.text();
  if (res.statusCode >= 400) {
    let code = `HTTP_${res.statusCode}`;
    let message = text.slice(0, 200) || `HTTP ${res.statusCode}`;
    try {
      const b = JSON.parse(text) as { code?: unknown; message?: unknown };
      if (typeof b.code === 'string') code = b.code;
      if (typeof b.message === 'string') message = b.message;
    } catch {
      // not JSON: keep the text
    }
    throw new ServerApiError(
      code,
      res.statusCode,
      `${call.method} ${call.path} failed (${res.statusCode}): ${message}`,
    );
  }
  return text;
}

export async function callServerJson<T>(ctx: CommandContext, call: ServerCall): Promise<T> {
  const text = await callServer(ctx, call);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CliError('SERVER_BAD_RESPONSE', `${call.method} ${call.path} returned no JSON`, { kind: 'internal' });
  }
}

/**
 * A typed IPAM client (`@fleet/ipam`'s contract) for the configured server, closed after the command. Its error
 * answers become the same CLI errors as {@link callServer}'s: one readable line, exit code from the kind.
 */
export async function ipamApi(ctx: CommandContext): Promise<IpamClient> {
  // Loaded on use: commands that never talk to IPAM start faster.
  const { createIpamClient } = await import('@fleet/ipam');
  const config = ctx.config();
  const client = createIpamClient({
    baseUrl: config.url,
    ...(config.token ? { token: config.token } : {}),
    timeoutMs: 60_000,
    userAgent: 'fleet-cli',
  });
  ctx.onClose(() => client.close());
  const mapped = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(client)) {
    mapped[name] =
      typeof value === 'function' && name !== 'close'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (error) {
              throw cliErrorOf(error);
            }
          }
        : value;
  }
  return mapped as unknown as IpamClient;
}

function cliErrorOf(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'IpamHttpError') return error;
  const e = error as IpamHttpError;
  const { method, path, origin } = e.details as { method?: string; path?: string; origin?: string };
  if (e.status === 0 && e.code !== 'IPAM_BAD_RESPONSE') {
    return serverUnreachable(origin ?? '', (e.cause as { code?: string } | undefined)?.code ?? 'error', e.cause);
  }
  if (e.code === 'IPAM_BAD_RESPONSE') {
    return new CliError('SERVER_BAD_RESPONSE', `${method} ${path} returned no JSON`, { kind: 'internal' });
  }
  return new ServerApiError(e.code, e.status, `${method} ${path} failed (${e.status}): ${e.message}`);
}
