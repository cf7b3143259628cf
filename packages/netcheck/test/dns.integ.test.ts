// checkDns against a real DNS server on 127.0.0.1 (UDP and TCP, port 0) whose answers dns-packet encodes,
// through both exchangers: this process's sockets, and the probe script run by a real local executor; and the
// anycast responder the namespace tests use, run on loopback (no namespace needed).
import { spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createLocalExecutor } from '@fleet/exec';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDns, checkNtp, createExecutorExchanger, createLocalExchanger } from '../src/index.js';

/** The zone served: one name per case. `garbled.fleet.test` gets a reply cut short inside its answer. */
function answer(query: Buffer): Buffer {
  const packet = dnsPacket.decode(query);
  const question = packet.questions?.[0];
  const name = question?.name.toLowerCase() ?? '';
  const records: dnsPacket.Answer[] = [];
  if (name === 'v6.fleet.test' && question?.type === 'AAAA') records.push({ type: 'AAAA', name, ttl: 30, data: '2001:db8:0:0:1:0:0:0' });
  if (name === 'v4.fleet.test' && question?.type === 'A') records.push({ type: 'A', name, ttl: 30, data: '198.18.7.1' });
  if (name === 'who.fleet.test' && question?.type === 'TXT') records.push({ type: 'TXT', name, ttl: 30, data: ['lo', 'opback'] });
  if (name === 'garbled.fleet.test') records.push({ type: 'A', name, ttl: 30, data: '198.18.7.2' });
  const reply = dnsPacket.encode({
    type: 'response',
    id: packet.id ?? 0,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | (name.endsWith('fleet.test') ? 0 : 3), // 3: NXDOMAIN
    questions: packet.questions ?? [],
    answers: records,
  });
  return name === 'garbled.fleet.test' ? reply.subarray(0, reply.length - 3) : reply;
}

let udp: UdpSocket;
let tcp: Server;
let udpPort = 0;
let tcpPort = 0;

beforeAll(async () => {
  udp = createSocket('udp4');
  udp.on('message', (msg, peer) => udp.send(answer(msg), peer.port, peer.address));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  udpPort = udp.address().port;
  tcp = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (data: Buffer) => {
      buf = Buffer.concat([buf, data]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const reply = answer(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        const len = Buffer.alloc(2);
        len.writeUInt16BE(reply.length);
        socket.end(Buffer.concat([len, reply]));
      }
    });
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcp.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (udp ? udp.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (tcp ? tcp.close(() => resolve()) : resolve()));
});

const port = (protocol: 'udp' | 'tcp') => (protocol === 'udp' ? udpPort : tcpPort);

describe.each(['udp', 'tcp'] as const)('checkDns over a real %s socket', (protocol) => {
  const exchanger = createLocalExchanger();
  const opts = () => ({ protocol, port: port(protocol), warnLatencyMs: 60_000 });

  it('reports an AAAA answer in RFC 5952 form and matches expect by address, not spelling', async () => {
    // dns-packet itself would print `2001:db8::1:0:0:0` (first run of zeros): netcheck formats through ipaddr.js.
    const check = (expected: string[]) => checkDns(exchanger, '127.0.0.1', { ...opts(), name: 'v6.fleet.test', type: 'AAAA', expect: expected });
    expect(await check(['2001:db8:0:0:1::'])).toMatchObject({
      status: 'ok',
      code: 'OK',
      summary: expect.stringMatching(/^2001:db8:0:0:1:: in /),
      evidence: { protocol, rcode: 'NOERROR', answers: [{ name: 'v6.fleet.test', type: 'AAAA', ttl: 30, data: '2001:db8:0:0:1::' }] },
    });
    expect(await check(['2001:db8:0:0:1:0:0:0'])).toMatchObject({ status: 'ok', code: 'OK' });
    expect(await check(['2001:db8::1'])).toMatchObject({ status: 'fail', code: 'DNS_UNEXPECTED_ANSWER' });
  });

  it('grades A, TXT, empty and NXDOMAIN answers', async () => {
    expect(await checkDns(exchanger, '127.0.0.1', { ...opts(), name: 'v4.fleet.test', expect: ['198.18.7.1'] })).toMatchObject({
      status: 'ok', evidence: { answers: [{ type: 'A', data: '198.18.7.1' }] },
    });
    expect(await checkDns(exchanger, '127.0.0.1', { ...opts(), name: 'who.fleet.test', type: 'TXT' })).toMatchObject({
      status: 'ok', evidence: { answers: [{ type: 'TXT', data: 'loopback' }] },
    });
    expect(await checkDns(exchanger, '127.0.0.1', { ...opts(), name: 'v4.fleet.test', type: 'AAAA' })).toMatchObject({ status: 'fail', code: 'DNS_EMPTY' });
    expect(await checkDns(exchanger, '127.0.0.1', { ...opts(), name: 'nothing.example' })).toMatchObject({
      status: 'fail', code: 'DNS_ERROR_RCODE', evidence: { rcode: 'NXDOMAIN' },
    });
  });

  it('reports a garbled answer as DNS_NO_ANSWER, also through the probe script run by a real executor', async () => {
    for (const via of [exchanger, createExecutorExchanger(createLocalExecutor(), process.execPath)]) {
      const garbled = await checkDns(via, '127.0.0.1', { ...opts(), name: 'garbled.fleet.test' });
      expect(garbled).toMatchObject({ status: 'fail', code: 'DNS_NO_ANSWER', evidence: { answers: [] } });
      expect(garbled.summary).toMatch(/garbled DNS answer from 127\.0\.0\.1: .*truncated or malformed/);
    }
    const viaScript = createExecutorExchanger(createLocalExecutor(), process.execPath);
    expect(await checkDns(viaScript, '127.0.0.1', { ...opts(), name: 'v6.fleet.test', type: 'AAAA', expect: ['2001:db8:0:0:1::'] })).toMatchObject({
      status: 'ok', evidence: { answers: [{ data: '2001:db8:0:0:1::' }] },
    });
  }, 90_000); // three `node -e` probe processes on a loaded box
});

describe('the anycast test responder (dns-packet) on loopback', () => {
  it('answers A and TXT for fleet.test over UDP and TCP, NXDOMAIN elsewhere, and NTP', async () => {
    const responder = fileURLToPath(new URL('./responders/anycast-responder.mjs', import.meta.url));
    const child = spawn(process.execPath, [responder, '127.0.0.1', 'lo', '127.0.0.1', '0', '0', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const ports = await new Promise<Record<string, number>>((resolve, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`responder not ready within 20 s: ${err}`)), 20_000);
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
        });
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const ready = /ready dns-udp=(\d+) dns-tcp=(\d+) ntp=(\d+)/.exec(out);
          if (ready) {
            clearTimeout(timer);
            resolve({ udp: Number(ready[1]), tcp: Number(ready[2]), ntp: Number(ready[3]) });
          }
        });
      });
      const exchanger = createLocalExchanger();
      for (const protocol of ['udp', 'tcp'] as const) {
        const opts = { protocol, port: ports[protocol], warnLatencyMs: 60_000 };
        expect(await checkDns(exchanger, '127.0.0.1', { ...opts, name: 'X.fleet.test', expect: ['127.0.0.1'] })).toMatchObject({
          status: 'ok', evidence: { answers: [{ name: 'X.fleet.test', type: 'A', ttl: 30, data: '127.0.0.1' }] },
        });
        expect(await checkDns(exchanger, '127.0.0.1', { ...opts, name: 'who.fleet.test', type: 'TXT' })).toMatchObject({
          status: 'ok', evidence: { answers: [{ type: 'TXT', data: 'lo' }] },
        });
        expect(await checkDns(exchanger, '127.0.0.1', { ...opts, name: 'nothing.example' })).toMatchObject({
          status: 'fail', code: 'DNS_ERROR_RCODE', evidence: { rcode: 'NXDOMAIN' },
        });
      }
      expect(await checkNtp(exchanger, '127.0.0.1', { port: ports.ntp })).toMatchObject({ status: 'ok', evidence: { sample: { stratum: 2 } } });
    } finally {
      child.kill();
      await exited;
    }
  });
});
