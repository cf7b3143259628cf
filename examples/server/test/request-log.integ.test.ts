import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFields, Logger } from '@fleet/core';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/config.js';
import { createFleetServer } from '../src/server.js';

// FLEET_LOG_REQUESTS: a line when a request arrives and one when it is answered, so the last fetch of a
// machine that stopped booting can be named. Never a query string, header or body.

function recording(): { logger: Logger; lines: { message: string; fields: LogFields }[] } {
  const lines: { message: string; fields: LogFields }[] = [];
  const add = (message: string, fields: LogFields = {}) => {
    lines.push({ message, fields });
  };
  return { logger: { debug: add, info: add, warn: add, error: add }, lines };
}

async function withServer(env: Record<string, string>, body: (url: string) => Promise<void>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-request-log-'));
  const { logger, lines } = recording();
  const server = await createFleetServer(loadServerConfig({ FLEET_DATA_DIR: dataDir, FLEET_PORT: '0', ...env }), logger);
  try {
    await body(await server.listen());
  } finally {
    server.app.server.closeAllConnections();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return lines.filter((l) => ['request', 'response', 'request aborted by the client'].includes(l.message));
}

describe('the request log', () => {
  it('logs method, host, path, status and bytes of every request, without query, headers or bodies', async () => {
    let port = '';
    const lines = await withServer({ FLEET_LOG_REQUESTS: 'true' }, async (url) => {
      port = new URL(url).port;
      await (await fetch(`${url}/healthz?token=querysecret`)).text();
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer headersecret' },
        body: JSON.stringify({ username: 'admin', password: 'bodysecret' }),
      });
      await login.text();
      // As a netbooting machine asks: by the address the site names (fetch cannot set Host).
      await new Promise<void>((resolve, reject) => {
        get({ host: '127.0.0.1', port: Number(port), path: '/boot/ipxe/52:54:00:00:00:01', headers: { host: '10.20.3.250' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        }).on('error', reject);
      });
    });
    expect(lines.map((l) => `${l.message} ${l.fields.method} ${l.fields.path} ${l.fields.status ?? ''}`.trim())).toEqual([
      'request GET /healthz',
      'response GET /healthz 200',
      'request POST /api/v1/auth/login',
      expect.stringMatching(/^response POST \/api\/v1\/auth\/login 40[01]$/),
      'request GET /boot/ipxe/52:54:00:00:00:01',
      'response GET /boot/ipxe/52:54:00:00:00:01 200',
    ]);
    expect(lines[1]?.fields).toMatchObject({ host: `127.0.0.1:${port}`, bytes: expect.any(Number), ms: expect.any(Number) });
    expect(lines[5]?.fields.host).toBe('10.20.3.250');
    const text = JSON.stringify(lines);
    for (const secret of ['querysecret', 'headersecret', 'bodysecret']) expect(text).not.toContain(secret);
  });

  it('is off unless asked for', async () => {
    const lines = await withServer({}, async (url) => {
      await (await fetch(`${url}/healthz`)).text();
    });
    expect(lines).toEqual([]);
  });
});
