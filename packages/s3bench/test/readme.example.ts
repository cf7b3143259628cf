import { writeFile } from 'node:fs/promises';
import { formatSummary, renderHtmlReport, runBenchmark } from '@fleet/s3bench';

export async function main(endpoint = 'http://127.0.0.1:9000', outDir = '.'): Promise<void> {
  const result = await runBenchmark({
    endpoint,
    bucket: 'bench',
    credentials: { accessKeyId: 'KEY', secretAccessKey: 'SECRET' },
    warmupS: 0.5,
    durationS: 2,
    payload: { kind: 'generated', size: { kind: 'lognormal', median: 16 * 1024, sigma: 1, max: 1024 * 1024 } },
    groups: [
      { op: 'PUT', workers: 5 },
      { op: 'GET', workers: 10 },
      { op: 'LIST', workers: 1 },
    ],
  });
  console.log(formatSummary(result));
  await writeFile(`${outDir}/result.json`, JSON.stringify(result));
  await writeFile(`${outDir}/report.html`, renderHtmlReport(result));
}
