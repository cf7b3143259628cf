/** ok: nothing to do; warn: works but degraded or suspicious; fail: a fault that stalls a rollout. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/**
 * What every check returns. `code` is stable (`OK`, `PATH_MTU_LOWER`, `PMTU_BLACKHOLE` …) so monitoring
 * can alert on it; `evidence` holds the raw facts the verdict was drawn from.
 */
export interface CheckResult<E = unknown> {
  check: string;
  /** What was checked, in the operator's words: `198.18.4.2 from local/netns:a1`. */
  target: string;
  status: CheckStatus;
  code: string;
  summary: string;
  evidence: E;
  durationMs: number;
}

const RANK: Record<CheckStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** The worst of several statuses (`ok` for none). */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'ok';
  for (const status of statuses) if (RANK[status] > RANK[worst]) worst = status;
  return worst;
}

/** Nagios/monitoring convention: 0 OK, 1 WARNING, 2 CRITICAL. */
export function exitCodeFor(status: CheckStatus): 0 | 1 | 2 {
  return RANK[status] as 0 | 1 | 2;
}

export function makeResult<E>(
  check: string,
  target: string,
  status: CheckStatus,
  code: string,
  summary: string,
  evidence: E,
  startedAt: number,
): CheckResult<E> {
  return { check, target, status, code, summary, evidence, durationMs: Math.round(performance.now() - startedAt) };
}

/** `1 session`, `2 sessions`: a count with its noun in the right number. */
export function plural(n: number, singular: string, many = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : many}`;
}
