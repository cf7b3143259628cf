import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

export interface Metrics {
  /** Starts counting the requests of `app`. */
  observe(app: FastifyInstance): void;
  render(): Promise<string>;
  /** Counts one connection the database dropped (`store`: ipam, machinedb; `code`: SQLSTATE or socket code). */
  countConnectionError(store: string, code: string): void;
  /** Counts one request answered 503 because the database could not be reached. */
  countUnavailable(): void;
}

export interface MetricsSources {
  /** Nodes per lifecycle state; must be cheap (it runs on every scrape). Set once the MachineDB is open. */
  nodesPerState?: () => Promise<Record<string, number>> | Record<string, number>;
}

// Label values come from our own code (store names, SQLSTATEs), but escape them anyway.
const label = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/** Prometheus text exposition: request counts and latency histogram per route, nodes per state, database faults. */
export function createMetrics(sources: MetricsSources = {}): Metrics & { sources: MetricsSources } {
  const requests = new Map<string, number>();
  const latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const connectionErrors = new Map<string, number>();
  let unavailable = 0;
  // How late the event loop ran timers since the previous scrape: a stalled loop (GC, a blocking call)
  // delays every request, and this shows it where request latency only shows its effect.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const observe = (app: FastifyInstance) =>
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const key = `method="${request.method}",route="${route}",status="${reply.statusCode}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const seconds = reply.elapsedTime / 1000;
      const lk = `route="${route}"`;
      const h = latency.get(lk) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      BUCKETS.forEach((b, i) => {
        if (seconds <= b) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
      });
      h.sum += seconds;
      h.count += 1;
      latency.set(lk, h);
    });
  return {
    sources,
    observe(app) {
      observe(app);
    },
    countConnectionError(store, code) {
      const key = `store="${label(store)}",code="${label(code)}"`;
      connectionErrors.set(key, (connectionErrors.get(key) ?? 0) + 1);
    },
    countUnavailable() {
      unavailable += 1;
    },
    async render() {
      const lines = [
        '# HELP fleet_http_requests_total HTTP requests by route and status.',
        '# TYPE fleet_http_requests_total counter',
      ];
      for (const [k, v] of requests) lines.push(`fleet_http_requests_total{${k}} ${v}`);
      lines.push(
        '# HELP fleet_http_request_duration_seconds Request latency.',
        '# TYPE fleet_http_request_duration_seconds histogram',
      );
      for (const [k, h] of latency) {
        BUCKETS.forEach((b, i) => {
          lines.push(`fleet_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.buckets[i]}`);
        });
        lines.push(`fleet_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
        lines.push(
          `fleet_http_request_duration_seconds_sum{${k}} ${h.sum}`,
          `fleet_http_request_duration_seconds_count{${k}} ${h.count}`,
        );
      }
      lines.push(
        '# HELP fleet_db_connection_errors_total Database connections dropped by the server side (restart, failover, terminate).',
        '# TYPE fleet_db_connection_errors_total counter',
      );
      for (const [k, v] of connectionErrors) lines.push(`fleet_db_connection_errors_total{${k}} ${v}`);
      lines.push(
        '# HELP fleet_db_unavailable_responses_total Requests answered 503 because the database could not be reached.',
        '# TYPE fleet_db_unavailable_responses_total counter',
        `fleet_db_unavailable_responses_total ${unavailable}`,
      );
      lines.push('# HELP fleet_nodes Nodes in the MachineDB by lifecycle state.', '# TYPE fleet_nodes gauge');
      for (const [state, n] of Object.entries((await sources.nodesPerState?.()) ?? {}))
        lines.push(`fleet_nodes{state="${label(state)}"} ${n}`);
      lines.push(
        '# HELP fleet_event_loop_delay_seconds Event-loop delay since the previous scrape (quantiles; 1 = max).',
        '# TYPE fleet_event_loop_delay_seconds gauge',
      );
      for (const q of [0.5, 0.99, 1]) {
        // The histogram holds whole sampling intervals (10 ms + delay): only the delay is reported.
        const ns = loopDelay.count > 0 ? (q === 1 ? loopDelay.max : loopDelay.percentile(q * 100)) : 1e7;
        lines.push(`fleet_event_loop_delay_seconds{quantile="${q}"} ${Math.max(0, ns - 1e7) / 1e9}`);
      }
      loopDelay.reset();
      return `${lines.join('\n')}\n`;
    },
  };
}
