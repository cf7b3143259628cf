import { createSocket } from 'node:dgram';
import { Socket } from 'node:net';
import { type Executor, validateInteger } from '@fleet/core';
import { addressFamily, validateAddress } from './address.js';
import { NetcheckError } from './errors.js';
import { parseJson } from './mtu.js';

/** One request/response over UDP or TCP (TCP frames with a 2-byte length, as DNS does). */
export interface ExchangeRequest {
  protocol: 'udp' | 'tcp';
  address: string;
  port: number;
  payload: Uint8Array;
  timeoutMs: number;
  /** Write the send time as an NTP timestamp at byte 40 just before sending (NTP client requests). */
  stampNtpTransmit?: boolean;
}

export type ExchangeResult =
  | { ok: true; response: Uint8Array; sent: Uint8Array; sentAt: number; receivedAt: number; rttMs: number }
  | { ok: false; error: string; rttMs: number };

/** Sends one request and waits for one response. Implementations never throw for network failures. */
export type Exchanger = (request: ExchangeRequest) => Promise<ExchangeResult>;

/*
 * The same exchange as a self-contained script, run with `node -e` through an executor so the probe
 * leaves from the node (or namespace) being checked. Arguments: proto addr port hex timeoutMs stamp.
 * It prints one JSON line; the packet is built and decoded on this side.
 */
const EXCHANGE_SCRIPT = String.raw`
const [proto, addr, port, hex, timeoutMs, stamp] = process.argv.slice(1);
const payload = Buffer.from(hex, 'hex');
const now = () => performance.timeOrigin + performance.now();
const t0 = performance.now();
const out = (o) => { process.stdout.write(JSON.stringify(o) + '\n'); process.exit(0); };
const fail = (e) => out({ ok: false, error: String(e && (e.code || e.message) || e), rttMs: performance.now() - t0 });
const stampNow = () => {
  const ms = now();
  if (stamp === '1') {
    payload.writeUInt32BE((Math.floor(ms / 1000) + 2208988800) >>> 0, 40);
    payload.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, 44);
  }
  return ms;
};
setTimeout(() => fail('timeout'), Number(timeoutMs));
let sentAt = 0;
if (proto === 'udp') {
  const s = require('node:dgram').createSocket(addr.includes(':') ? 'udp6' : 'udp4');
  s.on('error', fail);
  s.on('message', (m) => { const r = now(); out({ ok: true, hex: m.toString('hex'), sent: payload.toString('hex'), sentAt, receivedAt: r }); });
  s.connect(Number(port), addr, () => { sentAt = stampNow(); s.send(payload); });
} else {
  const s = require('node:net').connect({ host: addr, port: Number(port) });
  let buf = Buffer.alloc(0);
  s.on('error', fail);
  s.on('connect', () => { sentAt = stampNow(); const len = Buffer.alloc(2); len.writeUInt16BE(payload.length); s.write(Buffer.concat([len, payload])); });
  s.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const r = now();
      out({ ok: true, hex: buf.subarray(2, 2 + buf.readUInt16BE(0)).toString('hex'), sent: payload.toString('hex'), sentAt, receivedAt: r });
    }
  });
}
`;

function validateRequest(request: ExchangeRequest): void {
  validateAddress(request.address);
  validateInteger(request.port, 'port', 1, 65535);
  validateInteger(request.timeoutMs, 'timeoutMs', 1, 120_000);
}

/** An exchanger running the probe script through `executor` (`node -e …`); `nodePath` defaults to `node`. */
export function createExecutorExchanger(executor: Executor, nodePath = 'node'): Exchanger {
  return async (request) => {
    validateRequest(request);
    const run = await executor.run(
      nodePath,
      [
        '-e',
        EXCHANGE_SCRIPT,
        request.protocol,
        request.address,
        String(request.port),
        Buffer.from(request.payload).toString('hex'),
        String(request.timeoutMs),
        request.stampNtpTransmit ? '1' : '0',
      ],
      { timeoutMs: request.timeoutMs + 30_000 },
    );
    if (run.code !== 0 || !run.stdout.trim()) {
      throw new NetcheckError('NETCHECK_TOOL_FAILED', `probe script (${nodePath} -e) on ${executor.target} failed: ${run.stderr.trim().slice(0, 200)}`);
    }
    const out = parseJson(run.stdout.trim().split('\n').pop() ?? '', 'probe script') as {
      ok: boolean; hex?: string; sent?: string; sentAt?: number; receivedAt?: number; error?: string; rttMs?: number;
    };
    if (!out.ok) return { ok: false, error: out.error ?? 'unknown error', rttMs: out.rttMs ?? 0 };
    const sentAt = out.sentAt ?? 0;
    const receivedAt = out.receivedAt ?? 0;
    return {
      ok: true,
      response: new Uint8Array(Buffer.from(out.hex ?? '', 'hex')),
      sent: new Uint8Array(Buffer.from(out.sent ?? '', 'hex')),
      sentAt,
      receivedAt,
      rttMs: receivedAt - sentAt,
    };
  };
}

const now = () => performance.timeOrigin + performance.now();

function stamp(payload: Buffer, enabled: boolean | undefined): number {
  const ms = now();
  if (enabled) {
    payload.writeUInt32BE((Math.floor(ms / 1000) + 2_208_988_800) >>> 0, 40);
    payload.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, 44);
  }
  return ms;
}

/** An exchanger using this process's own sockets (node:dgram / node:net): probes leave from this host. */
export function createLocalExchanger(): Exchanger {
  return (request) =>
    new Promise<ExchangeResult>((resolve) => {
      validateRequest(request);
      const payload = Buffer.from(request.payload);
      const t0 = performance.now();
      let sentAt = 0;
      let done = false;
      let cleanup = () => {};
      const finish = (result: ExchangeResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        cleanup();
        resolve(result);
      };
      const fail = (error: unknown) =>
        finish({ ok: false, error: String((error as { code?: string })?.code ?? (error as Error)?.message ?? error), rttMs: performance.now() - t0 });
      const timer = setTimeout(() => fail('timeout'), request.timeoutMs);
      const success = (response: Buffer) => {
        const receivedAt = now();
        finish({ ok: true, response: new Uint8Array(response), sent: new Uint8Array(payload), sentAt, receivedAt, rttMs: receivedAt - sentAt });
      };
      if (request.protocol === 'udp') {
        const socket = createSocket(addressFamily(request.address) === 6 ? 'udp6' : 'udp4');
        cleanup = () => socket.close();
        socket.on('error', fail);
        socket.on('message', success);
        socket.connect(request.port, request.address, () => {
          sentAt = stamp(payload, request.stampNtpTransmit);
          socket.send(payload);
        });
      } else {
        const socket = new Socket();
        cleanup = () => socket.destroy();
        let buf = Buffer.alloc(0);
        socket.on('error', fail);
        socket.on('data', (data: Buffer) => {
          buf = Buffer.concat([buf, data]);
          if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) success(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        });
        socket.connect({ host: request.address, port: request.port }, () => {
          sentAt = stamp(payload, request.stampNtpTransmit);
          const len = Buffer.alloc(2);
          len.writeUInt16BE(payload.length);
          socket.write(Buffer.concat([len, payload]));
        });
      }
    });
}
