import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type ConsulDouble, type ConsulDoubleOptions, startConsulDouble } from './double.js';

/** Where a Consul test talks to: a real agent (from the environment) or a fresh test double. */
export interface ConsulTarget {
  host: string;
  port: number;
  secure: boolean;
  url: string;
  token?: string;
  datacenter: string;
  /** True when the target is a real Consul agent from CONSUL_HTTP_ADDR. */
  real: boolean;
  /** The test double, when the target is one (its seeding helpers are only there). */
  double?: ConsulDouble;
  close(): Promise<void>;
}

export interface ConsulTargetOptions extends ConsulDoubleOptions {
  /** Environment variable naming a real agent (`host:port` or a URL). Default `CONSUL_HTTP_ADDR`. */
  addressVariable?: string;
}

/**
 * A real agent when `CONSUL_HTTP_ADDR` (or `addressVariable`) is set, the Consul test double otherwise.
 * Tests written against this run unchanged on both; tests that need the double's seeding helpers check
 * `target.double` or seed through the HTTP API (catalog/register works on both).
 */
export async function startConsulTarget(options: ConsulTargetOptions = {}): Promise<ConsulTarget> {
  const variable = options.addressVariable ?? 'CONSUL_HTTP_ADDR';
  const address = process.env[variable];
  if (address) {
    const url = new URL(/^https?:\/\//.test(address) ? address : `http://${address}`);
    const secure = url.protocol === 'https:' || process.env.CONSUL_HTTP_SSL === 'true';
    const port = Number(url.port || (secure ? 443 : 8500));
    const token = process.env.CONSUL_HTTP_TOKEN || undefined;
    const self = (await getJson(`${secure ? 'https' : 'http'}://${url.hostname}:${port}/v1/agent/self`, token)) as {
      Config?: { Datacenter?: string };
    };
    return {
      host: url.hostname,
      port,
      secure,
      url: `${secure ? 'https' : 'http'}://${url.hostname}:${port}`,
      ...(token ? { token } : {}),
      datacenter: self.Config?.Datacenter ?? 'dc1',
      real: true,
      async close() {},
    };
  }
  const double = await startConsulDouble(options);
  return {
    host: double.host,
    port: double.port,
    secure: false,
    url: double.url,
    ...(options.aclToken ? { token: options.aclToken } : {}),
    datacenter: double.datacenter,
    real: false,
    double,
    close: () => double.close(),
  };
}

function getJson(url: string, token: string | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https') ? httpsRequest : request;
    const req = send(url, { headers: token ? { 'X-Consul-Token': token } : {}, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`GET ${url}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
