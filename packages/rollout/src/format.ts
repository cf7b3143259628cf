import { formatTable } from '@fleet/core';
import { NODE_STEPS, type NodeProgress, type NodeState, type RolloutEvent } from './progress.js';
import type { RolloutStatus } from './status.js';

function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}

/** One timeline line: `14:02:03.120 node-3 update ok 1.2s`. */
export function formatEvent(event: RolloutEvent): string {
  const t = clock(event.at);
  switch (event.type) {
    case 'rollout-started':
      return `${t} rollout ${event.id} of ${event.cluster} ${event.resumed ? 'resumed' : 'started'} by ${event.holder}: ${event.nodes} nodes in ${event.batches} batches`;
    case 'batch-started':
      return `${t} batch ${event.batch}: ${event.nodes.join(' ')}`;
    case 'batch-finished':
      return `${t} batch ${event.batch} finished${event.failed ? `, ${event.failed} failed` : ''}`;
    case 'node-started':
      return `${t} ${event.node} started${event.rack ? ` (rack ${event.rack})` : ''}`;
    case 'step-started':
      return `${t} ${event.node} ${event.step} …`;
    case 'step-finished':
      return `${t} ${event.node} ${event.step} ${event.ok ? 'ok' : 'FAILED'} ${seconds(event.durationMs)}${event.detail ? ` (${event.detail})` : ''}`;
    case 'node-finished':
      return `${t} ${event.node} ${event.state}${event.error ? `: ${event.error.message}` : ''}`;
    case 'waiting':
      return `${t} outside the maintenance window: waiting${event.until ? ` until ${event.until}` : ''}`;
    case 'anomaly':
      return `${t} ANOMALY ${event.node}: ${event.message}`;
    case 'warning':
      return `${t} warning${event.node ? ` ${event.node}` : ''}: ${event.message}`;
    case 'stopping':
      return `${t} STOP (${event.reason.kind}${event.reason.by ? ` by ${event.reason.by}` : ''}): ${event.reason.message}`;
    case 'rollout-finished':
      return `${t} rollout ${event.state}${event.stopReason ? `: ${event.stopReason.message}` : ''}`;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function duration(p: NodeProgress): string {
  if (!p.startedAt || !p.finishedAt) return '';
  return seconds(Date.parse(p.finishedAt) - Date.parse(p.startedAt));
}

/** The summary table printed when a rollout ends (or by `fleet rollout status`). */
export function formatSummary(status: RolloutStatus): string {
  const rows: string[][] = [];
  for (const p of status.nodes) {
    rows.push([
      p.node,
      String(p.batch),
      p.state,
      p.state === 'done' ? '' : (p.step ?? ''),
      String(p.attempts),
      duration(p),
      p.error ? p.error.message.slice(0, 80) : '',
    ]);
  }
  const c = status.counts;
  const head =
    `rollout ${status.id} of ${status.cluster}: ${status.state}` +
    (status.stopReason ? ` (${status.stopReason.kind}: ${status.stopReason.message})` : '');
  const totals = `done ${c.done}, failed ${c.failed}, running ${c.running}, interrupted ${c.interrupted}, pending ${c.pending}`;
  return `${head}\n${formatTable(['NODE', 'BATCH', 'STATE', 'STEP', 'TRIES', 'TIME', 'ERROR'], rows)}\n${totals}`;
}

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

/** Live view: an overall bar and one line per running node. The CLI redraws it on each event. */
export function formatProgress(status: RolloutStatus): string[] {
  const total = status.nodes.length;
  const finished = status.counts.done + status.counts.failed;
  const lines = [`${status.cluster} ${bar(finished, total)} failed ${status.counts.failed}`];
  for (const p of status.nodes) {
    if (p.state === 'running')
      lines.push(`  ${p.node.padEnd(20)} ${p.step ?? ''} (${p.completedSteps.length}/${NODE_STEPS.length})`);
  }
  return lines;
}

/** Machine output for `--json`. */
export function formatStatusJson(status: RolloutStatus): string {
  return JSON.stringify(status, null, 2);
}

export const NODE_STATES: readonly NodeState[] = ['pending', 'running', 'interrupted', 'done', 'failed'];
