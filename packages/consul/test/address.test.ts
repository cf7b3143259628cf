import { describe, expect, it } from 'vitest';
import {
  createConsul,
  DEFAULT_CONSUL_HTTP_ADDR,
  parseConsulAddress,
  readKey,
  resolveConsulEndpoint,
  writeKey,
} from '../src/index.js';
import { startTestConsul } from './consul-target.js';

describe('parseConsulAddress', () => {
  it('reads host:port as http and a URL by its scheme', () => {
    expect(parseConsulAddress('10.0.0.5:8500')).toEqual({ host: '10.0.0.5', port: 8500, secure: false, url: 'http://10.0.0.5:8500' });
    expect(parseConsulAddress('https://consul.lab:8501')).toEqual({
      host: 'consul.lab',
      port: 8501,
      secure: true,
      url: 'https://consul.lab:8501',
    });
    expect(parseConsulAddress('http://[fd00::5]:8500/')).toEqual({ host: '[fd00::5]', port: 8500, secure: false, url: 'http://[fd00::5]:8500' });
  });

  it('keeps an explicit port 80 or 443 (no scheme default is guessed)', () => {
    expect(parseConsulAddress('http://consul.lab:80').port).toBe(80);
    expect(parseConsulAddress('https://consul.lab:443').port).toBe(443);
  });

  it('makes a scheme-less address https when ssl is set, but an explicit http:// wins', () => {
    expect(parseConsulAddress('consul.lab:8501', { ssl: true }).secure).toBe(true);
    expect(parseConsulAddress('http://consul.lab:8500', { ssl: true }).secure).toBe(false);
  });

  it.each([
    ['consul.lab', /has no port/],
    ['https://consul.lab', /has no port/],
    ['unix:///var/run/consul.sock', /unix sockets are not supported/],
    ['ftp://consul.lab:21', /unknown scheme "ftp"/],
    ['http://consul.lab:8500/v1', /is not host:port/],
    ['http://user:pw@consul.lab:8500', /is not host:port/],
    ['consul.lab:99999', /from 1 to 65535/],
    ['consul.lab:8500; rm -rf /', /is not host:port/],
    ['', /is empty/],
  ])('rejects %j with a ValidationError', (address, message) => {
    let caught: unknown;
    try {
      parseConsulAddress(address, { field: '--consul' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'ValidationError', code: 'VALIDATION_FAILED', field: '--consul' });
    expect((caught as Error).message).toMatch(message);
  });
});

describe('resolveConsulEndpoint', () => {
  it('defaults to http://127.0.0.1:8500 like the consul CLI', () => {
    expect(DEFAULT_CONSUL_HTTP_ADDR).toBe('http://127.0.0.1:8500');
    expect(resolveConsulEndpoint({}, {})).toEqual({ host: '127.0.0.1', port: 8500, secure: false, url: 'http://127.0.0.1:8500' });
  });

  it('reads CONSUL_HTTP_ADDR, CONSUL_HTTP_SSL and CONSUL_HTTP_TOKEN; empty ones count as unset', () => {
    const env = { CONSUL_HTTP_ADDR: 'consul.lab:8501', CONSUL_HTTP_SSL: 'true', CONSUL_HTTP_TOKEN: 's3cret' };
    expect(resolveConsulEndpoint({}, env)).toEqual({
      host: 'consul.lab',
      port: 8501,
      secure: true,
      url: 'https://consul.lab:8501',
      token: 's3cret',
    });
    expect(resolveConsulEndpoint({}, { CONSUL_HTTP_ADDR: '', CONSUL_HTTP_SSL: '', CONSUL_HTTP_TOKEN: '' })).toEqual({
      host: '127.0.0.1',
      port: 8500,
      secure: false,
      url: 'http://127.0.0.1:8500',
    });
    expect(resolveConsulEndpoint({}, { CONSUL_HTTP_SSL: '1' }).url).toBe('https://127.0.0.1:8500');
    expect(resolveConsulEndpoint({}, { CONSUL_HTTP_SSL: 'False' }).secure).toBe(false);
  });

  it('lets an explicit address and token win over the environment and names the explicit field', () => {
    const env = { CONSUL_HTTP_ADDR: 'elsewhere:8500', CONSUL_HTTP_TOKEN: 'env-token' };
    expect(resolveConsulEndpoint({ address: 'http://10.1.0.1:8500', token: 'mine' }, env)).toMatchObject({
      url: 'http://10.1.0.1:8500',
      token: 'mine',
    });
    expect(() => resolveConsulEndpoint({ address: 'nohost', field: 'consulUrl' }, env)).toThrow(/consulUrl "nohost" has no port/);
  });

  it('rejects a CONSUL_HTTP_SSL that is not a boolean and a multi-line token, without echoing the token', () => {
    expect(() => resolveConsulEndpoint({}, { CONSUL_HTTP_SSL: 'yes' })).toThrow(/CONSUL_HTTP_SSL must be true or false/);
    let message = '';
    try {
      resolveConsulEndpoint({}, { CONSUL_HTTP_TOKEN: 'abc\ndef' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/single line/);
    expect(message).not.toContain('abc');
  });

  it('gives createConsul an address that reaches the agent (a real one from CONSUL_HTTP_ADDR, else the test double)', async () => {
    const test = await startTestConsul({ datacenter: 'addr' });
    const endpoint = resolveConsulEndpoint(
      {},
      { CONSUL_HTTP_ADDR: test.target.url, ...(test.target.token ? { CONSUL_HTTP_TOKEN: test.target.token } : {}) },
    );
    const consul = createConsul(endpoint);
    try {
      await writeKey(test.consul, `${test.prefix}/greeting`, 'hello');
      const read = await readKey(consul, `${test.prefix}/greeting`);
      expect(read.entry?.value).toBe('hello');
    } finally {
      consul.destroy();
      await test.close();
    }
  });
});
