import { randomBytes } from 'node:crypto';
import { type ConsulTarget, type ConsulTargetOptions, startConsulTarget } from '@fleet/testkit';
import { type ConsulClient, createConsul } from '../src/index.js';

export interface TestConsul {
  target: ConsulTarget;
  consul: ConsulClient;
  /** A KV prefix unique to this test, deleted on close (so tests can share a real agent). */
  prefix: string;
  close(): Promise<void>;
}

/**
 * A real agent when CONSUL_HTTP_ADDR (or `addressVariable`) is set, the Consul test double otherwise,
 * plus a client for it.
 */
export async function startTestConsul(options: ConsulTargetOptions = {}): Promise<TestConsul> {
  const target = await startConsulTarget({ sessionTtlMinMs: 1000, ...options });
  const consul = createConsul({
    host: target.host,
    port: target.port,
    secure: target.secure,
    ...(target.token ? { token: target.token } : {}),
  });
  const prefix = `fleet-test/${randomBytes(4).toString('hex')}`;
  return {
    target,
    consul,
    prefix,
    async close() {
      await consul.kv.del({ key: `${prefix}/`, recurse: true }).catch(() => undefined);
      consul.destroy();
      await target.close();
    },
  };
}
