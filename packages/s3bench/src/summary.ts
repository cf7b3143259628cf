import { formatTable, type TableColumn } from '@fleet/core';
import type { LatencySummary } from './histogram.js';
import type { BenchResult } from './result.js';

function bytesHuman(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

/** A table whose first column is a label and the others numbers (right-aligned); `cells[0]` is the header. */
function pad(cells: string[][]): string {
  const [header = [], ...rows] = cells;
  const columns = header.map((h, i): TableColumn => ({ header: h, align: i === 0 ? 'left' : 'right' }));
  return formatTable(columns, rows);
}

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function latencyRow(label: string, s: LatencySummary): string[] {
  return [label, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.p999), ms(s.p9999), ms(s.max), ms(s.mean)];
}

/** The terminal summary of a result: per group throughput, errors by kind, latency and TTFB percentiles (ms). */
export function formatSummary(result: BenchResult): string {
  const lines: string[] = [];
  for (const n of result.notes ?? []) lines.push(`note: ${n}`);
  lines.push(
    `s3bench ${result.config.endpoint} bucket ${result.config.bucket} — ${result.measuredS.toFixed(1)} s measured` +
      (result.clients > 1 ? `, ${result.clients} clients merged` : '') +
      (result.aborted ? ` (stopped: ${result.aborted})` : ''),
  );
  const rows: string[][] = [['group', 'mode', 'workers', 'ops', 'active s', 'ops/s', 'throughput', 'errors']];
  for (const g of result.groups) {
    rows.push([
      g.name,
      g.mode === 'open' ? `open ${g.targetRate}/s` : 'closed',
      String(g.workers),
      String(g.ops),
      (g.activeS ?? result.measuredS).toFixed(1),
      g.opsPerSec.toFixed(1),
      `${bytesHuman(g.bytesPerSec)}/s`,
      g.errors === 0
        ? '0'
        : `${g.errors} (${Object.entries(g.errorsByKind)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ')})`,
    ]);
  }
  lines.push(pad(rows));
  for (const g of result.groups) {
    const o = g.open;
    if (o === null || o === undefined) continue;
    lines.push(
      `${g.name} open loop at ${g.targetRate}/s: ${o.scheduled} scheduled, ${o.sent} sent, ${o.missed} missed, ` +
        `${o.achievedRate}/s achieved${o.rateMissed ? ' — TARGET RATE MISSED' : ''}`,
    );
  }
  lines.push('');
  const lat: string[][] = [['latency ms', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'max', 'mean']];
  for (const g of result.groups) {
    lat.push(latencyRow(`${g.name} total`, g.latency));
    lat.push(latencyRow(`${g.name} ttfb`, g.ttfb));
    if (g.corrected !== null) lat.push(latencyRow(`${g.name} from intended start`, g.corrected));
    for (const c of g.sizeClasses ?? []) lat.push(latencyRow(`${g.name} ${c.name} (${c.ops})`, c.latency));
    if (g.starved) lat.push([`${g.name}: ran out of existing keys and stopped early`, '', '', '', '', '', '', '']);
  }
  lines.push(pad(lat), '');
  const o = result.overhead;
  lines.push(
    `tool overhead (not in latencies): sign ${o.signMeanUs} µs/req, record ${o.recordMeanUs} µs/req, ` +
      `event-loop delay p99 ${o.eventLoopDelayP99Ms} ms (max ${o.eventLoopDelayMaxMs} ms), CPU ${o.cpuPercent}% of a core`,
  );
  const ph = result.phases;
  if (ph !== undefined) {
    const phaseLine = (name: string, p: typeof ph.setup): string =>
      `${name} ${p.requests} req, ${p.errors} err${p.retries > 0 ? `, ${p.retries} retried` : ''}${p.failed > 0 ? `, ${p.failed} failed` : ''}${
        p.errors > 0
          ? ` (${Object.entries(p.errorsByKind)
              .map(([k, n]) => `${k}: ${n}`)
              .join(', ')})`
          : ''
      }`;
    lines.push(
      `requests by phase: ${[
        phaseLine('setup', ph.setup),
        phaseLine('prefill', ph.prefill),
        phaseLine('measure', ph.measure),
        phaseLine('cleanup', ph.cleanup),
      ].join('; ')}`,
    );
  }
  if (result.cleanup !== null) {
    lines.push(
      `cleanup: ${result.cleanup.deleted} objects deleted${result.cleanup.bucketDeleted ? ', bucket deleted' : ''}` +
        (result.cleanup.error ? ` — error: ${result.cleanup.error}` : ''),
    );
  }
  if (result.leftBehind !== null && result.leftBehind !== undefined) {
    lines.push(
      `LEFT BEHIND: ${result.leftBehind.objects} objects in ${result.leftBehind.bucket} under ${result.leftBehind.prefix}` +
        (result.cleanup === null ? ' (cleanup: false)' : ''),
    );
  }
  return lines.join('\n');
}
