import type { BenchResult } from './result.js';

/**
 * Exit codes for a finished run, as the `fleet s3bench run` command uses them (2, 3 and 4 are the CLI's
 * usage, service and config errors). When several apply, the larger code wins.
 */
export const S3BENCH_EXIT = {
  ok: 0,
  /** Requests failed while measuring, or prefill uploads failed after their retries. */
  requestErrors: 1,
  /**
   * An open-loop group did not hold its target rate: more requests were scheduled but never sent than the end
   * of the run explains (`groups[].open.rateMissed`).
   */
  targetRateMissed: 5,
  /** Cleanup was asked for and objects were left in the bucket (count and prefix in `leftBehind`). */
  objectsLeftBehind: 6,
  /** Stopped by Ctrl-C; the partial result was written. */
  interrupted: 130,
} as const;

export interface Verdict {
  exitCode: number;
  /** One line per problem, most severe first; empty when the run went as asked. */
  problems: string[];
}

/** What went wrong in a finished run, as lines and an exit code (see {@link S3BENCH_EXIT}). */
export function assessResult(result: BenchResult): Verdict {
  const found: Array<[number, string]> = [];
  if (result.cleanup !== null && result.leftBehind !== null) {
    found.push([
      S3BENCH_EXIT.objectsLeftBehind,
      `${result.leftBehind.objects} objects left behind in ${result.leftBehind.bucket} under ${result.leftBehind.prefix}`,
    ]);
  }
  for (const g of result.groups) {
    const open = g.open;
    if (open?.rateMissed) {
      found.push([
        S3BENCH_EXIT.targetRateMissed,
        `${g.name} missed its target rate of ${g.targetRate}/s: ${open.sent} of ${open.scheduled} scheduled requests sent` +
          ` (${open.missed} never sent), ${open.achievedRate}/s achieved`,
      ]);
    }
  }
  const measureErrors = result.groups.reduce((n, g) => n + g.errors, 0);
  if (measureErrors > 0) found.push([S3BENCH_EXIT.requestErrors, `${measureErrors} requests failed while measuring`]);
  const prefillFailed = result.phases.prefill.failed;
  if (prefillFailed > 0)
    found.push([S3BENCH_EXIT.requestErrors, `${prefillFailed} prefill uploads failed after retries`]);
  found.sort((a, b) => b[0] - a[0]);
  return { exitCode: found[0]?.[0] ?? S3BENCH_EXIT.ok, problems: found.map(([, line]) => line) };
}
