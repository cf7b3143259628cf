import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client as AwsS3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, parseListObjects, runBenchmark } from '../src/index.js';

// s3rver speaks the S3 REST protocol but does NOT verify SigV4 signatures (a wrong secret still gets 200):
// these tests cover protocol behaviour; signing is proven by sigv4.test.ts (AWS vectors + @smithy/signature-v4).
let server: S3rver;
let dataDir: string;
let endpoint: string;
let port: number;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's3bench-s3rver-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dataDir });
  const addr = await server.run();
  port = addr.port;
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('runBenchmark against s3rver', () => {
  it('runs a mixed PUT/GET/HEAD/LIST/DELETE workload with integrity checks and cleans up', async () => {
    const result = await runBenchmark({
      endpoint,
      bucket: 'mixed',
      credentials,
      // No '/' in the prefix: s3rver's file store deletes a key's directory once it looks empty, racing
      // with PUTs into that directory, and can lose an object under load.
      prefix: 'run1-',
      seed: 3,
      verify: true,
      prefill: 10,
      payload: { kind: 'generated', size: { kind: 'lognormal', median: 4096, sigma: 1, min: 1, max: 65536 } },
      groups: [
        { op: 'PUT', workers: 2, count: 40 },
        { op: 'GET', workers: 3, count: 60 },
        { op: 'HEAD', workers: 1, count: 20 },
        { op: 'LIST', workers: 1, count: 10 },
        { op: 'DELETE', workers: 1, count: 10 },
      ],
    });
    const byName = Object.fromEntries(result.groups.map((g) => [g.name, g]));
    for (const name of ['PUT', 'GET', 'HEAD', 'LIST', 'DELETE']) {
      expect(byName[name]!.errors, `${name} errors ${JSON.stringify(byName[name]!.errorsByKind)}`).toBe(0);
    }
    expect(byName.PUT!.ops).toBe(40);
    expect(byName.GET!.ops).toBe(60);
    expect(byName.GET!.bytes).toBeGreaterThan(0);
    expect(byName.DELETE!.ops).toBe(10);
    // prefill 10 + 40 PUT − 10 DELETE = 40 remain, and cleanup removed them and the bucket it created.
    expect(result.cleanup).toEqual({ deleted: 40, failed: 0, bucketDeleted: true, error: null });
    expect(result.leftBehind).toBeNull();
    const client = createS3Client({ endpoint, credentials });
    try {
      expect((await client.headBucket('mixed')).status).toBe(404);
    } finally {
      await client.close();
    }
  });

  it('uploads large objects with multipart PUT and reads them back intact', async () => {
    const result = await runBenchmark({
      endpoint,
      bucket: 'multipart',
      credentials,
      seed: 5,
      verify: true,
      prefill: 0,
      multipart: { thresholdBytes: 256 * 1024, partSizeBytes: 100 * 1024 },
      payload: { kind: 'generated', size: { kind: 'fixed', bytes: 300 * 1024 } },
      groups: [{ op: 'PUT', workers: 2, count: 4 }],
      cleanup: false,
    });
    expect(result.groups[0]!.errorsByKind).toEqual({});
    expect(result.groups[0]!.bytes).toBe(4 * 300 * 1024);
    const client = createS3Client({ endpoint, credentials });
    try {
      const list = await client.listObjects('multipart', result.config.prefix);
      const keys = parseListObjects(list.text!).keys;
      expect(keys).toHaveLength(4);
      const got = await client.getObject('multipart', keys[0]!);
      expect(got.ok).toBe(true);
      expect(got.bytes).toBe(300 * 1024);
    } finally {
      await client.close();
    }
  });

  it('uses a directory of files as the payload pool, virtual-hosted addressing and signed payloads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3bench-pool-'));
    try {
      for (let i = 0; i < 5; i++) writeFileSync(join(dir, `img-${i}.jpg`), Buffer.alloc(1000 + i * 777, i + 1));
      const result = await runBenchmark({
        // s3rver maps <bucket>.s3.amazonaws.com to the bucket; resolveTo keeps the traffic on loopback.
        endpoint: `http://s3.amazonaws.com:${port}`,
        resolveTo: '127.0.0.1',
        addressing: 'virtual',
        payloadSigning: 'signed',
        bucket: 'vhost-bucket',
        credentials,
        seed: 9,
        verify: true,
        prefill: 5,
        payload: { kind: 'directory', path: dir },
        groups: [
          { op: 'PUT', workers: 2, count: 20 },
          { op: 'GET', workers: 2, count: 30 },
        ],
      });
      expect(result.groups.map((g) => g.errors)).toEqual([0, 0]);
      expect(result.config.payload).toContain('5 files');
      expect(result.cleanup).toMatchObject({ deleted: 25, bucketDeleted: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes objects the AWS SDK reads back byte for byte, and reads what the SDK wrote', async () => {
    const client = createS3Client({ endpoint, credentials });
    const sdk = new AwsS3Client({
      endpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    try {
      expect((await client.createBucket('interop')).ok).toBe(true);
      const body = Buffer.from('payload with ሴ and spaces');
      const key = 'dir/a key+with=odd&chars ሴ.txt';
      expect((await client.putObject('interop', key, body)).ok).toBe(true);
      const got = await sdk.send(new GetObjectCommand({ Bucket: 'interop', Key: key }));
      expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
      await sdk.send(new PutObjectCommand({ Bucket: 'interop', Key: 'from-sdk', Body: body }));
      const back = await client.getObject('interop', 'from-sdk', body);
      expect(back).toMatchObject({ ok: true, bytes: body.length });
      const wrong = await client.getObject('interop', 'from-sdk', Buffer.from('something else entirely!!'));
      expect(wrong).toMatchObject({ ok: false, errorKind: 'integrity' });
      const missing = await client.getObject('interop', 'no-such-key');
      expect(missing).toMatchObject({ ok: false, status: 404, errorKind: 'http_404', errorCode: 'NoSuchKey' });
    } finally {
      sdk.destroy();
      await client.close();
    }
  });

  it('fails setup with a coded error when the bucket is missing and createBucket is false', async () => {
    await expect(
      runBenchmark({
        endpoint,
        bucket: 'absent',
        credentials,
        createBucket: false,
        groups: [{ op: 'PUT', workers: 1, count: 1 }],
      }),
    ).rejects.toMatchObject({ code: 'S3BENCH_SETUP_FAILED' });
  });
});
