import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BenchConfig, WorkloadGroup } from '@fleet/s3bench';

const s3bench = () => import('@fleet/s3bench');

import { type Command, printJson, readJsonFile, str, type Values } from '../command.js';
import { configError, usageError } from '../errors.js';
import { intFlag, numberFlag, requirePositional } from '../flags.js';

function credentialsFromEnv(env: Record<string, string | undefined>): BenchConfig['credentials'] {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

async function configFromFlags(ctx: Parameters<Command['run']>[0]): Promise<BenchConfig> {
  const { parseByteSize } = await s3bench();
  const v = ctx.values;
  const endpoint = str(v, 'endpoint');
  const bucket = str(v, 'bucket');
  if (!endpoint || !bucket)
    throw usageError('give --config-file FILE, or --endpoint URL --bucket NAME with --put/--get/--list workers');
  const groups: WorkloadGroup[] = [];
  for (const op of ['PUT', 'GET', 'HEAD', 'DELETE', 'LIST'] as const) {
    const workers = intFlag(v, op.toLowerCase(), 1, 10_000);
    if (workers) groups.push({ op, workers });
  }
  if (groups.length === 0)
    throw usageError('give at least one of --put N, --get N, --head N, --delete N, --list N (workers)');
  const size = str(v, 'size');
  const config: BenchConfig = { endpoint, bucket, groups };
  if (str(v, 'duration') !== undefined || str(v, 'count') === undefined) config.durationS = 10;
  if (size) config.payload = { kind: 'generated', size: { kind: 'fixed', bytes: parseByteSize(size, '--size') } };
  return config;
}

/** `--duration/--rate/--count/--prefill/--timeout` apply to a config file too (rate and count to every group). */
function applyFlags(config: BenchConfig, v: Values): BenchConfig {
  const duration = numberFlag(v, 'duration', 0.001);
  const rate = numberFlag(v, 'rate', 0.001);
  const count = intFlag(v, 'count', 1, Number.MAX_SAFE_INTEGER);
  const prefill = intFlag(v, 'prefill', 0, 10_000_000);
  const timeout = numberFlag(v, 'timeout', 0.001);
  const out: BenchConfig = { ...config };
  if (duration !== undefined) out.durationS = duration;
  if (prefill !== undefined) out.prefill = prefill;
  if (timeout !== undefined) out.timeoutMs = Math.max(1, Math.round(timeout * 1000));
  if ((rate !== undefined || count !== undefined) && Array.isArray(config.groups)) {
    out.groups = config.groups.map((g) => ({
      ...g,
      ...(rate === undefined ? {} : { rate }),
      ...(count === undefined ? {} : { count }),
    }));
  }
  return out;
}

export const s3benchCommands: Command[] = [
  {
    name: 's3bench run',
    summary: 'run an S3 benchmark from a JSON config or flags and write the result file',
    usage:
      '(--config-file FILE | --endpoint URL --bucket B [--put N] [--get N] [--head N] [--delete N] [--list N] [--size BYTES]) ' +
      '[--duration S] [--rate OPS] [--count N] [--prefill N] [--timeout S] [--progress] [--out result.json]',
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
      rate: { type: 'string' },
      count: { type: 'string' },
      prefill: { type: 'string' },
      timeout: { type: 'string' },
      size: { type: 'string' },
      progress: { type: 'boolean' },
      out: { type: 'string' },
    },
    examples: [
      'fleet s3bench run --config-file bench.json --out run1.json',
      'AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… fleet s3bench run --endpoint http://10.0.0.5:9000 --bucket bench --put 5 --get 10 --duration 30',
      'fleet s3bench run --endpoint http://10.0.0.5:9000 --bucket bench --get 8 --rate 200 --prefill 1000 --timeout 5',
    ],
    async run(ctx) {
      const file = str(ctx.values, 'config-file');
      const base = file
        ? (readJsonFile(ctx.io.cwd, file, 's3bench config') as BenchConfig)
        : await configFromFlags(ctx);
      const config = applyFlags(base, ctx.values);
      // Never invented: from the config file, else from the environment, else a usage error.
      if (typeof config === 'object' && config !== null && config.credentials === undefined) {
        const fromEnv = credentialsFromEnv(ctx.io.env);
        if (fromEnv === undefined)
          throw usageError(
            `no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${file ? ` or "credentials" in ${file}` : ''}`,
          );
        config.credentials = fromEnv;
      }
      const out = str(ctx.values, 'out') ?? 's3bench-result.json';
      // Checked before the run: a benchmark of several minutes must not end in "cannot write".
      const outDir = dirname(resolve(ctx.io.cwd, out));
      if (!statSync(outDir, { throwIfNoEntry: false })?.isDirectory())
        throw configError(`--out ${out}: the folder ${outDir} does not exist`);
      const { assessResult, formatProgress, formatSummary, resolveBenchConfig, runBenchmark, S3BENCH_EXIT } =
        await s3bench();
      resolveBenchConfig(config); // config errors before any request
      const progress = ctx.values.progress === true || process.stderr.isTTY === true;
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      try {
        const result = await runBenchmark(config, {
          signal: controller.signal,
          onNote: (text) => ctx.io.err(`s3bench: ${text}`),
          ...(progress ? { onProgress: (p) => ctx.io.err(formatProgress(p)) } : {}),
        });
        writeFileSync(resolve(ctx.io.cwd, out), `${JSON.stringify(result)}\n`);
        if (ctx.json) printJson(ctx.io, result);
        else {
          ctx.io.out(formatSummary(result));
          ctx.io.out(`result written to ${out}`);
        }
        const verdict = assessResult(result);
        for (const problem of verdict.problems) ctx.io.err(`s3bench: ${problem}`);
        if (controller.signal.aborted) {
          ctx.io.err(`s3bench: interrupted; partial result written to ${out}`);
          return S3BENCH_EXIT.interrupted;
        }
        return verdict.exitCode;
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
    summary: 'compare two result files (exit 1 on a regression, 4 when no group matches)',
    usage: 'BASE.json CURRENT.json [--threshold 0.1] [--min-latency-ms 1] [--min-ops 1] [--min-error-rate 0.001]',
    options: {
      threshold: { type: 'string' },
      'min-latency-ms': { type: 'string' },
      'min-ops': { type: 'string' },
      'min-error-rate': { type: 'string' },
    },
    examples: [
      'fleet s3bench compare last-week.json today.json',
      'fleet s3bench compare a.json b.json --threshold 0.05 --min-latency-ms 0.2 --json',
    ],
    async run(ctx) {
      const baseFile = requirePositional(ctx.positionals, 0, 'BASE.json and CURRENT.json');
      const currentFile = requirePositional(
        ctx.positionals,
        1,
        'CURRENT.json (fleet s3bench compare BASE.json CURRENT.json)',
      );
      const given = {
        threshold: numberFlag(ctx.values, 'threshold', 0),
        minLatencyDeltaMs: numberFlag(ctx.values, 'min-latency-ms', 0),
        minOpsPerSecDelta: numberFlag(ctx.values, 'min-ops', 0),
        minErrorRateDelta: numberFlag(ctx.values, 'min-error-rate', 0),
      };
      const options = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
      const { compareResults, formatComparison, parseBenchResult } = await s3bench();
      const base = parseBenchResult(readJsonFile(ctx.io.cwd, baseFile, 'result file'), baseFile);
      const current = parseBenchResult(readJsonFile(ctx.io.cwd, currentFile, 'result file'), currentFile);
      const comparison = compareResults(base, current, options);
      if (ctx.json) printJson(ctx.io, comparison);
      else ctx.io.out(formatComparison(comparison));
      return comparison.regressions.length > 0 ? 1 : 0;
    },
  },
];
