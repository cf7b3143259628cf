import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSummary, runBenchmark } from '@fleet/s3bench';
import S3rver from 's3rver';

// A local S3 server (s3rver) so the example runs anywhere; point `endpoint` at your object store instead.
const dir = mkdtempSync(join(tmpdir(), 's3bench-'));
const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
const endpoint = `http://127.0.0.1:${(await s3.run()).port}`;

// 40 files from a pool of 5 unique payloads; 4 uploads in parallel and 8 downloads of random uploaded ones.
const result = await runBenchmark({
  endpoint,
  bucket: 'bench',
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  seed: 1,
  prefill: 0,
  payload: {
    kind: 'pool',
    objects: [
      { count: 4, size: '16KiB' },
      { count: 1, size: '256KiB' },
    ],
  },
  groups: [
    { op: 'PUT', workers: 4, count: 40 },
    { op: 'GET', workers: 8, count: 40 },
  ],
});
console.log(formatSummary(result)); // per operation and size class: p50 … p99.99, errors by kind
console.log('errors:', result.groups.map((g) => `${g.name} ${g.errors}/${g.ops}`).join(', '));
// Also: renderHtmlReport(result) for a self-contained page; JSON results merge exactly across clients.
await s3.close();
rmSync(dir, { recursive: true, force: true });
// prints: errors: PUT 0/40, GET 0/40
