import { writeFile } from 'node:fs/promises';
import { formatSummary, renderHtmlReport, runBenchmark } from '@fleet/s3bench';

// 12,500 files from a pool of 25 unique images (20 of 256 KiB, 5 of 2 MiB); 5 uploads in parallel and
// 10 downloads of random images already uploaded. Latency is reported per size class.
export async function main(endpoint = 'http://127.0.0.1:9000', outDir = '.', files = 12_500): Promise<void> {
  const result = await runBenchmark({
    endpoint,
    bucket: 'bench',
    credentials: { accessKeyId: 'KEY', secretAccessKey: 'SECRET' },
    seed: 1,
    prefill: 0,
    payload: {
      kind: 'pool',
      objects: [
        { count: 20, size: '256KiB' },
        { count: 5, size: '2MiB' },
      ],
    },
    groups: [
      { op: 'PUT', workers: 5, count: files },
      { op: 'GET', workers: 10, count: files },
    ],
  });
  console.log(formatSummary(result));
  await writeFile(`${outDir}/result.json`, JSON.stringify(result));
  await writeFile(`${outDir}/report.html`, renderHtmlReport(result));
}
