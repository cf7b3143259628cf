import { afterEach, describe, expect, it } from 'vitest';
import { startConsulDouble, startConsulTarget } from '../src/index.js';

const saved = { addr: process.env.FLEET_TEST_CONSUL_ADDR, token: process.env.CONSUL_HTTP_TOKEN };
afterEach(() => {
  if (saved.addr === undefined) delete process.env.FLEET_TEST_CONSUL_ADDR;
  else process.env.FLEET_TEST_CONSUL_ADDR = saved.addr;
  if (saved.token === undefined) delete process.env.CONSUL_HTTP_TOKEN;
  else process.env.CONSUL_HTTP_TOKEN = saved.token;
});

describe('startConsulTarget', () => {
  it('starts a double when the address variable is unset', async () => {
    delete process.env.FLEET_TEST_CONSUL_ADDR;
    const target = await startConsulTarget({ addressVariable: 'FLEET_TEST_CONSUL_ADDR', datacenter: 'lab' });
    try {
      expect(target).toMatchObject({ real: false, datacenter: 'lab', host: '127.0.0.1' });
      expect(target.double?.port).toBe(target.port);
    } finally {
      await target.close();
    }
  });

  it('uses the agent named by the variable (host:port or URL), reading its datacenter and token', async () => {
    // An agent on the network is stood in for by a double with an ACL token; the target must treat it as real.
    const agent = await startConsulDouble({ datacenter: 'prod', aclToken: 'tok' });
    try {
      process.env.CONSUL_HTTP_TOKEN = 'tok';
      for (const address of [`127.0.0.1:${agent.port}`, agent.url]) {
        process.env.FLEET_TEST_CONSUL_ADDR = address;
        const target = await startConsulTarget({ addressVariable: 'FLEET_TEST_CONSUL_ADDR' });
        expect(target).toMatchObject({ real: true, datacenter: 'prod', port: agent.port, token: 'tok', secure: false });
        expect(target.double).toBeUndefined();
        await target.close(); // must not stop someone else's agent
      }
      expect((await fetch(`${agent.url}/v1/status/leader`)).status).toBe(200);
      process.env.CONSUL_HTTP_TOKEN = 'wrong';
      await expect(startConsulTarget({ addressVariable: 'FLEET_TEST_CONSUL_ADDR' })).rejects.toThrow(/403/);
    } finally {
      await agent.close();
    }
  });
});
