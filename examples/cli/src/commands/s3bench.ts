import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BenchConfig, WorkloadGroup } from '@fleet/s3bench';

const s3bench = () => import('@fleet/s3bench');

import { type Command, printJson, readJsonFile, str } from '../command.js';
import { configError, usageError } from '../errors.js';
import { intFlag, numberFlag, requirePositional } from '../flags.js';

async function configFromFlags(ctx: Parameters<Command['run']>[0]): Promise<BenchConfig> {
  const { parseByteSize } = await s3bench();
  const v = ctx.values;
  const endpoint = str(v, 'endpoint');
  const bucket = str(v, 'bucket');
  if (!endpoint || !bucket)
    throw usageError('give --config FILE, or --endpoint URL --bucket NAME with --put/--get/--list workers');
  const groups: WorkloadGroup[] = [];
  for (const op of ['PUT', 'GET', 'HEAD', 'DELETE', 'LIST'] as const) {
    const workers = intFlag(v, op.toLowerCase(), 1, 10_000);
    if (workers) groups.push({ op, workers });
  }
  if (groups.length === 0)
    throw usageError('give at least one of --put N, --get N, --head N, --delete N, --list N (workers)');
  const accessKeyId = ctx.io.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = ctx.io.env.AWS_SECRET_ACCESS_KEY;
  const size = str(v, 'size');
  const config: BenchConfig = { endpoint, bucket, groups, durationS: numberFlag(v, 'duration', 0.1) ?? 10 };
  if (accessKeyId && secretAccessKey) config.credentials = { accessKeyId, secretAccessKey };
  if (size) config.payload = { kind: 'generated', size: { kind: 'fixed', bytes: parseByteSize(size) } };
  return config;
}

export const s3benchCommands: Command[] = [
  {
    name: 's3bench run',
    summary: 'run an S3 benchmark from a JSON config or flags and write the result file',
    usage:
      '(--config-file FILE | --endpoint URL --bucket B [--put N] [--get N] [--list N] [--duration S]) [--out result.json]',
    options: {
      'config-file': { type: 'string' },
      endpoint: { type: 'string' },
      bucket: { type: 'string' },
      put: { type: 'string' },
      get: { type: 'string' },
      head: { type: 'string' },
      delete: { type: 'string' },
      list: { type: 'string' },
      duration: { type: 'string' },
      size: { type: 'string' },
      out: { type: 'string' },
    },
    examples: [
      'fleet s3bench run --config-file bench.json --out run1.json',
      'AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… fleet s3bench run --endpoint http://10.0.0.5:9000 --bucket bench --put 5 --get 10 --duration 30',
    ],
    async run(ctx) {
      const file = str(ctx.values, 'config-file');
      const config = file
        ? (readJsonFile(ctx.io.cwd, file, 's3bench config') as BenchConfig)
        : await configFromFlags(ctx);
      const out = str(ctx.values, 'out') ?? 's3bench-result.json';
      // Checked before the run: a benchmark of several minutes must not end in "cannot write".
      const outDir = dirname(resolve(ctx.io.cwd, out));
      if (!statSync(outDir, { throwIfNoEntry: false })?.isDirectory())
        throw configError(`--out ${out}: the folder ${outDir} does not exist`);
      const { formatSummary, runBenchmark } = await s3bench();
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      try {
        const result = await runBenchmark(config, { signal: controller.signal });
        writeFileSync(resolve(ctx.io.cwd, out), `${JSON.stringify(result)}\n`);
        if (ctx.json) printJson(ctx.io, result);
        else {
          ctx.io.out(formatSummary(result));
          ctx.io.out(`result written to ${out}`);
        }
        return result.groups.some((g) => g.errors > 0) ? 1 : 0;
      } finally {
        process.removeListener('SIGINT', stop);
      }
    },
  },
  {
    name: 's3bench report',
    summary: 'turn a result file into a self-contained HTML report',
    usage: 'RESULT.json [--out report.html] [--title TEXT]',
    options: { out: { type: 'string' }, title: { type: 'string' } },
    examples: ['fleet s3bench report run1.json --out run1.html'],
    async run(ctx) {
      const file = requirePositional(ctx.positionals, 0, 'RESULT.json (fleet s3bench report run1.json)');
      const { parseBenchResult, renderHtmlReport } = await s3bench();
      const result = parseBenchResult(readJsonFile(ctx.io.cwd, file, 'result file'), file);
      const out = str(ctx.values, 'out') ?? file.replace(/\.json$/i, '') + '.html';
      const title = str(ctx.values, 'title');
      writeFileSync(resolve(ctx.io.cwd, out), renderHtmlReport(result, title ? { title } : {}));
      if (ctx.json) printJson(ctx.io, { file: resolve(ctx.io.cwd, out) });
      else ctx.io.out(`wrote ${out}`);
      return 0;
    },
  },
  {
    name: 's3bench compare',
    summary: 'compare two result files (exit 1 on a regression)',
    usage: 'BASE.json CURRENT.json [--threshold 0.1]',
    options: { threshold: { type: 'string' } },
    examples: [
      'fleet s3bench compare last-week.json today.json',
      'fleet s3bench compare a.json b.json --threshold 0.05 --json',
    ],
    async run(ctx) {
      const baseFile = requirePositional(ctx.positionals, 0, 'BASE.json and CURRENT.json');
      const currentFile = requirePositional(
        ctx.positionals,
        1,
        'CURRENT.json (fleet s3bench compare BASE.json CURRENT.json)',
      );
      const threshold = numberFlag(ctx.values, 'threshold', 0);
      const { compareResults, formatComparison, parseBenchResult } = await s3bench();
      const base = parseBenchResult(readJsonFile(ctx.io.cwd, baseFile, 'result file'), baseFile);
      const current = parseBenchResult(readJsonFile(ctx.io.cwd, currentFile, 'result file'), currentFile);
      const comparison = compareResults(base, current, threshold !== undefined ? { threshold } : {});
      if (ctx.json) printJson(ctx.io, comparison);
      else ctx.io.out(formatComparison(comparison));
      return comparison.regressions.length > 0 ? 1 : 0;
    },
  },
];
