import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

export interface Metrics {
  render(): Promise<string>;
}

/** Prometheus text exposition: request counts and latency histogram per route, nodes per state. */
export function createMetrics(app: FastifyInstance, nodesPerState: () => Promise<Record<string, number>>): Metrics {
  const requests = new Map<string, number>();
  const latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
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
      lines.push('# HELP fleet_nodes Nodes in the MachineDB by lifecycle state.', '# TYPE fleet_nodes gauge');
      for (const [state, n] of Object.entries(await nodesPerState())) lines.push(`fleet_nodes{state="${state}"} ${n}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
