import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, runBenchmark } from '../src/index.js';
import { type S3Stub, startS3Stub } from './s3-stub.js';

// A throwaway self-signed certificate for 127.0.0.1 made with the openssl CLI; it is its own CA.
let dir: string;
let stub: S3Stub;
let cert: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3bench-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=s3bench-test',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  stub = await startS3Stub({ tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert } });
});

afterAll(async () => {
  await stub?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS with a custom CA', () => {
  it('benchmarks an HTTPS endpoint when its CA is given', async () => {
    const result = await runBenchmark({
      endpoint: stub.url,
      bucket: 'tls-bucket',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      ca: cert,
      cleanup: false,
      prefill: 2,
      groups: [{ op: 'GET', workers: 2, count: 20 }],
    });
    expect(result.groups[0]).toMatchObject({ ops: 20, errors: 0 });
  });

  it('rejects the server without the CA, as a counted failure', async () => {
    const client = createS3Client({ endpoint: stub.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      const res = await client.headBucket('tls-bucket');
      expect(res.ok).toBe(false);
      expect(res.errorKind).toBe('other');
      expect(res.errorCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      await client.close();
    }
  });
});
