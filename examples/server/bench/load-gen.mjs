// Open-loop load generator, in a process of its own (the bench starts it with an IPC channel and sends it one
// job). Request i is due at start + i / rate whatever happened before; its latency is measured from that
// intended send time, so a stalled server shows up as latency (no coordinated omission).
//
// It speaks HTTP/1.1 over plain sockets with requests encoded once, so that on a 2-core machine shared with
// the servers it costs a fraction of what they do: an HTTP client library spends about as much CPU per
// request as the server it measures, and then the bench measures the generator.
// Keep-alive connections, one request in flight on each (no pipelining); a request due while every
// connection of its server is busy waits in a queue, and that wait counts in its latency.
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * The job: { origins, targets: [{ path, headers?, conditional? }], rate, durationMs, connections, etags? }.
 * `etags` ([target index, ETag] pairs) are those a previous run saw: agents keep theirs between polls.
 */
function run({ origins, targets, rate, durationMs, connections, etags = [] }) {
  const total = Math.round((rate * durationMs) / 1000);
  const latencies = new Float64Array(total);
  const statuses = {};
  let done = 0;
  let finish;
  const finished = new Promise((resolve) => {
    finish = resolve;
  });
  // Per target: the request bytes, and for conditional ones the bytes with the ETag last seen.
  // Every request names the first server's host: the servers answer the same whichever they are called.
  const host = new URL(origins[0]).host;
  const plain = targets.map((t) => encode(host, t, null));
  const tagged = new Map(etags.map(([index, etag]) => [index, { etag, bytes: null }])); // index → { etag, bytes }

  const record = (intended, status) => {
    latencies[done++] = performance.now() - intended;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (done === total) finish();
  };

  const servers = origins.map((origin) => {
    const url = new URL(origin);
    const server = { idle: [], queue: [], open: 0, busy: 0, host: url.hostname, port: Number(url.port) };
    return server;
  });

  const openConnection = (server) => {
    server.open++;
    const socket = connect({ host: server.host, port: server.port, noDelay: true });
    const conn = { server, socket, current: null, buffer: null };
    socket.on('data', (chunk) => {
      conn.buffer = conn.buffer ? Buffer.concat([conn.buffer, chunk]) : chunk;
      for (;;) {
        const response = parse(conn.buffer, conn.current?.conditional ?? false);
        if (!response) return;
        conn.buffer = response.rest.length ? response.rest : null;
        const request = conn.current;
        conn.current = null;
        if (request) {
          server.busy--;
          if (request.conditional && response.status === 200 && response.etag) {
            // Encoded again (lazily) only when the ETag moved: a poll answered 200 with the same one keeps it.
            if (tagged.get(request.index)?.etag !== response.etag) {
              tagged.set(request.index, { etag: response.etag, bytes: null });
            }
          }
          record(request.intended, response.status);
        }
        next(server, conn);
        if (!conn.buffer) return;
      }
    });
    // A broken connection fails its request (status 0) and hands the queue to a fresh connection.
    const fail = () => {
      if (conn.dead) return;
      conn.dead = true;
      server.open--;
      server.idle = server.idle.filter((c) => c !== conn);
      const lost = conn.current;
      conn.current = null;
      socket.destroy();
      if (lost) {
        server.busy--;
        record(lost.intended, 0);
      }
      if (server.queue.length > 0 && done < total) next(server, openConnection(server));
    };
    socket.on('error', fail);
    socket.on('close', fail);
    return conn;
  };

  const send = (conn, request) => {
    conn.server.busy++;
    conn.current = request;
    conn.socket.write(request.bytes);
  };
  // A connection just became free: the oldest queued request goes out on it, or it waits in the idle list.
  const next = (server, conn) => {
    const request = server.queue.shift();
    if (request) send(conn, request);
    else server.idle.push(conn);
  };

  const bytesFor = (index) => {
    const target = targets[index];
    if (!target.conditional) return plain[index];
    const tag = tagged.get(index);
    if (!tag) return plain[index];
    tag.bytes ??= encode(host, target, tag.etag);
    return tag.bytes;
  };

  for (const server of servers) {
    for (let i = 0; i < connections; i++) server.idle.push(openConnection(server));
  }

  // The server with the fewest requests outstanding (sent or queued), ties at random: a load balancer's
  // "least connections". Plain round-robin would send every 2nd request of the fixed mix to the same
  // instance, so with 2 instances one would serve all boot files and the other all polls.
  const pick = () => {
    const offset = Math.floor(Math.random() * servers.length);
    let best = null;
    for (let k = 0; k < servers.length; k++) {
      const server = servers[(offset + k) % servers.length];
      if (!best || server.busy + server.queue.length < best.busy + best.queue.length) best = server;
    }
    return best;
  };
  // The generator's own lateness: if its loop stalls, requests go out late and that shows as latency.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpu0 = process.cpuUsage();
  const start = performance.now() + 50;
  let i = 0;
  // Wake every millisecond and send whatever has fallen due (never early). No busy loop: the generator
  // shares the machine with the servers. The timer's own lateness (≤ ~1 ms) is counted in the latency.
  const tick = () => {
    const now = performance.now();
    while (i < total && start + (i * 1000) / rate <= now) {
      const index = i % targets.length;
      const server = pick();
      const request = {
        index,
        intended: start + (i * 1000) / rate,
        conditional: targets[index].conditional === true,
        bytes: bytesFor(index),
      };
      const conn = server.idle.pop();
      if (conn) send(conn, request);
      else if (server.open < connections) send(openConnection(server), request);
      else server.queue.push(request);
      i++;
    }
    if (i < total) setTimeout(tick, 1);
  };
  setTimeout(tick, Math.max(0, start - performance.now()));

  return finished.then(() => {
    const elapsedMs = performance.now() - start;
    for (const server of servers) {
      for (const conn of server.idle) conn.socket.destroy();
    }
    latencies.sort();
    const quantile = (q) => latencies[Math.min(total - 1, Math.floor(q * total))] ?? 0;
    const cpu = process.cpuUsage(cpu0);
    return {
      count: total,
      elapsedMs,
      p50: quantile(0.5),
      p99: quantile(0.99),
      max: latencies[total - 1] ?? 0,
      statuses,
      cpuMs: (cpu.user + cpu.system) / 1000,
      loopDelayMaxMs: Math.max(0, loopDelay.max / 1e6 - 10),
      etags: [...tagged].map(([index, tag]) => [index, tag.etag]),
    };
  });
}

function encode(host, target, etag) {
  let head = `GET ${target.path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(target.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (etag) head += `if-none-match: ${etag}\r\n`;
  return Buffer.from(`${head}\r\n`, 'latin1');
}

/**
 * One response from the start of `buffer`, or null when it is not complete yet. Bodies are framed by
 * Content-Length (what the server sends for these routes); 204/304 have none.
 */
function parse(buffer, wantEtag) {
  const end = buffer.indexOf(CRLF2);
  if (end < 0) return null;
  const status = (buffer[9] - 48) * 100 + (buffer[10] - 48) * 10 + (buffer[11] - 48);
  const head = buffer.latin1Slice(0, end).toLowerCase();
  let length = 0;
  if (status !== 204 && status !== 304) {
    const at = head.indexOf('\r\ncontent-length:');
    if (at < 0) throw new Error(`response without content-length: ${head.slice(0, 200)}`);
    length = Number.parseInt(head.slice(at + 17, head.indexOf('\r\n', at + 17)), 10);
  }
  if (buffer.length < end + 4 + length) return null;
  let etag = null;
  if (wantEtag) {
    const at = head.indexOf('\r\netag:');
    // ETags are case-sensitive: take it from the original bytes, not the lowered copy.
    if (at >= 0) {
      const stop = head.indexOf('\r\n', at + 7);
      etag = buffer.latin1Slice(at + 7, stop < 0 ? end : stop).trim();
    }
  }
  return { status, etag, rest: buffer.subarray(end + 4 + length) };
}

process.once('message', async (job) => {
  const result = await run(job);
  process.send(result, () => process.exit(0));
});
