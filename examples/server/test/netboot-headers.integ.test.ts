import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalHeaderName } from '../src/header-case.js';
import { type Running, startServer } from './setup.js';

// GRUB 2.06's HTTP client compares `Content-Length: ` byte for byte: with Node's lower-case header names
// it read every netboot file as empty. The raw answer, as GRUB receives it, must spell the names in
// canonical case — for whole bodies (GRUB config) and streamed ones (kernels) alike.

/** The raw header block of a GET, as a netboot client reads it off the socket. */
function rawHeaders(url: string, path: string): Promise<string[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 10.20.3.250\r\nUser-Agent: GRUB 2.06\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(data.slice(0, data.indexOf('\r\n\r\n')).split('\r\n')));
    socket.on('error', reject);
  });
}

describe('netboot answers as GRUB reads them', () => {
  let s: Running;
  let images: string;
  beforeAll(async () => {
    images = mkdtempSync(join(tmpdir(), 'fleet-netboot-headers-'));
    mkdirSync(join(images, 'debian'));
    writeFileSync(join(images, 'debian', 'linux'), Buffer.alloc(4096, 1));
    s = await startServer({ FLEET_NETBOOT_IMAGE_DIR: images });
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(images, { recursive: true, force: true });
  });

  it('names Content-Length and Content-Type in canonical case for a GRUB config', async () => {
    const lines = await rawHeaders(s.url, '/boot/grub/grub.cfg-01-52-54-00-aa-bb-cc');
    expect(lines[0]).toBe('HTTP/1.1 200 OK');
    expect(lines).toContainEqual(expect.stringMatching(/^Content-Length: \d+$/));
    expect(lines).toContain('Content-Type: text/plain; charset=utf-8');
    expect(lines.filter((l) => /^content-/.test(l))).toEqual([]);
  });

  it('names Content-Length in canonical case for a streamed kernel', async () => {
    const lines = await rawHeaders(s.url, '/boot/images/debian/linux');
    expect(lines[0]).toBe('HTTP/1.1 200 OK');
    expect(lines).toContain('Content-Length: 4096');
    expect(lines).toContain('Content-Type: application/octet-stream');
  });

  it('leaves the API alone', async () => {
    const lines = await rawHeaders(s.url, '/healthz');
    expect(lines).toContainEqual(expect.stringMatching(/^content-length: \d+$/));
  });

  it('spells names as the specifications do', () => {
    expect(['content-length', 'transfer-encoding', 'x-request-id', 'etag'].map(canonicalHeaderName)).toEqual([
      'Content-Length',
      'Transfer-Encoding',
      'X-Request-Id',
      'Etag',
    ]);
  });
});
