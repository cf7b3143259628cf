import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import { createS3Client, runBenchmark } from './src/index.js';
function cpu(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
const worker = new Worker(new URL('./bench/s3-server-worker.mjs', import.meta.url));
const port = await new Promise<number>((resolve) => worker.once('message', resolve));
const url = `http://127.0.0.1:${port}`;
const N = 20000,
  C = 16;
async function lanes(fn: (k: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) await fn(next++ % 16);
    }),
  );
}
const big = {
  host: `127.0.0.1:${port}`,
  'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
  'x-amz-date': '20261125T144419Z',
  authorization:
    'AWS4-HMAC-SHA256 Credential=S3RVER/20261125/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
};
const pool = new Pool(url, { connections: C, pipelining: 1, connect: { noDelay: true, keepAlive: true } });
const client = createS3Client({
  endpoint: url,
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  connections: C,
});
const variants: Record<string, () => Promise<void>> = {
  raw: () =>
    lanes(async (k) => {
      const r = await pool.request({ method: 'GET', path: `/bench/obj-${k}`, headers: { host: big.host } });
      for await (const _ of r.body) {
      }
    }),
  rawBig: () =>
    lanes(async (k) => {
      const r = await pool.request({ method: 'GET', path: `/bench/obj-${k}`, headers: big });
      for await (const _ of r.body) {
      }
    }),
  client: () =>
    lanes(async (k) => {
      await client.getObject('bench', `obj-${k}`);
    }),
  runner: async () => {
    await runBenchmark({
      endpoint: url,
      bucket: 'bench',
      prefill: 16,
      cleanup: false,
      seed: 1,
      groups: [{ op: 'GET', workers: C, count: N }],
    });
  },
};
for (let round = 0; round < 3; round++)
  for (const [name, fn] of Object.entries(variants)) {
    const c0 = cpu();
    await fn();
    console.log(round, name, (((cpu() - c0) * 1000) / N).toFixed(1), 'µs cpu/req');
  }
await pool.close();
await client.close();
worker.postMessage('close');
