import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  type Exchanger,
  checkDns,
  checkNtp,
  decodeDnsResponse,
  decodeNtpResponse,
  encodeDnsQuery,
  encodeNtpRequest,
  readNtpTimestamp,
  resolveDnsCheckOptions,
  writeNtpTimestamp,
} from '../src/index.js';

/** A DNS response to `query` as a server builds it (RFC 1035 §4.1), with one compressed answer. */
function respond(query: Uint8Array, rcode: number, answer?: { type: number; rdata: number[] }): Uint8Array {
  const q = Buffer.from(query);
  const header = Buffer.from(q.subarray(0, 12));
  header.writeUInt16BE(0x8180 | rcode, 2);
  header.writeUInt16BE(answer ? 1 : 0, 6);
  const parts = [header, q.subarray(12)];
  if (answer) {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(answer.type, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(300, 6);
    rr.writeUInt16BE(answer.rdata.length, 10);
    parts.push(rr, Buffer.from(answer.rdata));
  }
  return new Uint8Array(Buffer.concat(parts));
}

describe('DNS packets', () => {
  it('encodes a standard query byte for byte', () => {
    const query = Buffer.from(encodeDnsQuery(0x1234, 'ns.fleet.test', 'A'));
    expect(query.toString('hex')).toBe(
      `123401000001000000000000${'026e73'}${'05666c656574'}${'0474657374'}00${'0001'}${'0001'}`,
    );
  });

  it('decodes A, AAAA and TXT answers behind name compression', () => {
    const query = encodeDnsQuery(7, 'x.fleet.test', 'A');
    expect(decodeDnsResponse(respond(query, 0, { type: 1, rdata: [198, 18, 5, 2] }))).toMatchObject({
      id: 7, rcode: 'NOERROR', answers: [{ name: 'x.fleet.test', type: 'A', ttl: 300, data: '198.18.5.2' }],
    });
    const v6 = [0xfd, 0, 0x01, 0x98, 0, 0x18, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2];
    expect(decodeDnsResponse(respond(query, 0, { type: 28, rdata: v6 })).answers[0]?.data).toBe('fd00:198:18:1::2');
    expect(decodeDnsResponse(respond(query, 0, { type: 16, rdata: [2, 0x61, 0x32] })).answers[0]?.data).toBe('a2');
    expect(decodeDnsResponse(respond(query, 3)).rcode).toBe('NXDOMAIN');
  });

  it('refuses queries, truncated messages and bad names', () => {
    const query = encodeDnsQuery(1, 'a.b', 'A');
    expect(() => decodeDnsResponse(query)).toThrow(/not a response/);
    const full = respond(query, 0, { type: 1, rdata: [1, 2, 3, 4] });
    expect(() => decodeDnsResponse(full.subarray(0, full.length - 2))).toThrow(expect.objectContaining({ code: 'NETCHECK_PARSE_FAILED' }));
    expect(() => encodeDnsQuery(1, 'bad name.test')).toThrow(/not a DNS name/);
    expect(() => resolveDnsCheckOptions({ type: 'MX' as 'A' })).toThrow(/type must be one of/);
  });

  it('refuses an RDLENGTH that disagrees with the record and a forward compression pointer', () => {
    const query = encodeDnsQuery(3, 'a.b', 'A');
    const long = Buffer.from(respond(query, 0, { type: 1, rdata: [1, 2, 3, 4, 5] }));
    expect(() => decodeDnsResponse(long)).toThrow(expect.objectContaining({ code: 'NETCHECK_PARSE_FAILED' }));
    const forward = Buffer.from(respond(query, 0, { type: 1, rdata: [1, 2, 3, 4] }));
    forward.writeUInt16BE(0xc000 | (forward.length - 2), 12 + 5 + 4); // the answer's name points past itself
    expect(() => decodeDnsResponse(forward)).toThrow(expect.objectContaining({ code: 'NETCHECK_PARSE_FAILED' }));
  });

  it('turns every truncation and every single-byte corruption of a response into a result or NETCHECK_PARSE_FAILED', () => {
    const query = encodeDnsQuery(5, 'v6.fleet.test', 'AAAA');
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    const full = Buffer.from(respond(query, 0, { type: 28, rdata: v6 }));
    const outcomes = new Set<string>();
    const attempt = (bytes: Uint8Array) => {
      try {
        const response = decodeDnsResponse(bytes);
        for (const a of response.answers) {
          expect(typeof a.data).toBe('string');
          if (a.type === 'AAAA') expect(ipaddr.IPv6.isValid(a.data)).toBe(true);
        }
        outcomes.add('decoded');
      } catch (error) {
        expect(error).toMatchObject({ code: 'NETCHECK_PARSE_FAILED' });
        outcomes.add('refused');
      }
    };
    for (let length = 0; length < full.length; length++) attempt(full.subarray(0, length));
    for (let at = 0; at < full.length; at++) {
      for (const value of [0x00, 0x3f, 0xc0, 0xff]) {
        const bytes = Buffer.from(full);
        bytes[at] = value;
        attempt(bytes);
      }
    }
    expect(outcomes).toEqual(new Set(['decoded', 'refused']));
  });
});

describe('NTP packets', () => {
  it('round-trips timestamps at sub-millisecond precision', () => {
    const buf = new Uint8Array(48);
    writeNtpTimestamp(buf, 40, 1_764_080_000_123.5);
    expect(readNtpTimestamp(buf, 40)).toBeCloseTo(1_764_080_000_123.5, 3);
    const request = encodeNtpRequest(1_764_080_000_000);
    expect(request[0]).toBe(0x23); // LI 0, VN 4, mode 3
  });

  it('computes offset and delay from the four timestamps and checks the echoed origin', () => {
    const t1 = 1_764_080_000_000;
    const request = encodeNtpRequest(t1);
    const reply = new Uint8Array(48);
    reply[0] = 0x24;
    reply[1] = 2;
    reply.set(request.subarray(40, 48), 24);
    writeNtpTimestamp(reply, 32, t1 + 5010); // server clock 5 s ahead, 10 ms one way
    writeNtpTimestamp(reply, 40, t1 + 5011);
    const sample = decodeNtpResponse(reply, request, t1, t1 + 21);
    expect(sample.stratum).toBe(2);
    expect(sample.offsetMs).toBeCloseTo(5000, 3);
    expect(sample.delayMs).toBeCloseTo(20, 3);
    const stale = encodeNtpRequest(t1 - 1000);
    expect(() => decodeNtpResponse(reply, stale, t1, t1 + 21)).toThrow(/does not echo our transmit timestamp/);
  });
});

describe('checkDns / checkNtp verdicts with a scripted exchanger', () => {
  const dnsAnswering =
    (rcode: number, rdata?: number[], rttMs = 3): Exchanger =>
    async (request) => ({
      ok: true,
      response: respond(request.payload, rcode, rdata ? { type: 1, rdata } : undefined),
      sent: request.payload,
      sentAt: 0,
      receivedAt: rttMs,
      rttMs,
    });

  it('grades DNS answers', async () => {
    expect(await checkDns(dnsAnswering(0, [198, 18, 2, 2]), '198.19.0.53', { name: 'x.fleet.test' })).toMatchObject({ status: 'ok', code: 'OK' });
    expect(await checkDns(dnsAnswering(2), '198.19.0.53')).toMatchObject({ status: 'fail', code: 'DNS_ERROR_RCODE' });
    expect(await checkDns(dnsAnswering(0), '198.19.0.53')).toMatchObject({ status: 'fail', code: 'DNS_EMPTY' });
    expect(await checkDns(dnsAnswering(0, [1, 1, 1, 1], 900), '198.19.0.53')).toMatchObject({ status: 'warn', code: 'DNS_SLOW' });
    const silent: Exchanger = async () => ({ ok: false, error: 'timeout', rttMs: 2000 });
    expect(await checkDns(silent, '198.19.0.53')).toMatchObject({ status: 'fail', code: 'DNS_NO_ANSWER', evidence: { error: 'timeout' } });
    await expect(checkDns(silent, 'dns.example')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('formats AAAA answers in RFC 5952 form and matches `expect` by address, not by spelling', async () => {
    // 2001:db8:0:0:1:0:0:0 — two runs of zero groups; the longer (the last three) is the one shortened.
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    const query = encodeDnsQuery(9, 'v6.fleet.test', 'AAAA');
    expect(decodeDnsResponse(respond(query, 0, { type: 28, rdata: v6 })).answers[0]?.data).toBe('2001:db8:0:0:1::');
    const aaaa: Exchanger = async (request) => ({
      ok: true,
      response: respond(request.payload, 0, { type: 28, rdata: v6 }),
      sent: request.payload,
      sentAt: 0,
      receivedAt: 2,
      rttMs: 2,
    });
    const check = (expected: string[]) => checkDns(aaaa, '198.19.0.53', { name: 'v6.fleet.test', type: 'AAAA', expect: expected });
    expect(await check(['2001:db8:0:0:1::'])).toMatchObject({ status: 'ok', code: 'OK' });
    expect(await check(['2001:DB8:0:0:1:0:0:0'])).toMatchObject({ status: 'ok', code: 'OK' });
    expect(await check(['2001:db8::1:0:0:0'])).toMatchObject({ status: 'ok', code: 'OK' });
    expect(await check(['2001:db8::1'])).toMatchObject({ status: 'fail', code: 'DNS_UNEXPECTED_ANSWER' });
  });

  it('grades NTP answers: kiss-o-death, unsynchronised, offsets', async () => {
    const ntp =
      (stratum: number, skewMs: number, leap = 0): Exchanger =>
      async (request) => {
        const sentAt = 1_764_080_000_000;
        const sent = encodeNtpRequest(sentAt);
        const reply = new Uint8Array(48);
        reply[0] = (leap << 6) | 0x24;
        reply[1] = stratum;
        reply.set([0x52, 0x41, 0x54, 0x45], 12); // "RATE"
        reply.set(sent.subarray(40, 48), 24);
        writeNtpTimestamp(reply, 32, sentAt + skewMs + 1);
        writeNtpTimestamp(reply, 40, sentAt + skewMs + 1);
        expect(request.stampNtpTransmit).toBe(true);
        return { ok: true, response: reply, sent, sentAt, receivedAt: sentAt + 2, rttMs: 2 };
      };
    expect(await checkNtp(ntp(2, 0), '198.19.0.123')).toMatchObject({ status: 'ok', evidence: { sample: { stratum: 2 } } });
    expect(await checkNtp(ntp(2, 300), '198.19.0.123')).toMatchObject({ status: 'warn', code: 'NTP_OFFSET' });
    expect(await checkNtp(ntp(2, -3000), '198.19.0.123')).toMatchObject({ status: 'fail', code: 'NTP_OFFSET' });
    expect(await checkNtp(ntp(0, 0), '198.19.0.123')).toMatchObject({ status: 'fail', code: 'NTP_UNSYNCHRONISED', summary: expect.stringContaining('kiss code RATE') });
    expect(await checkNtp(ntp(2, 0, 3), '198.19.0.123')).toMatchObject({ code: 'NTP_UNSYNCHRONISED' });
    expect(await checkNtp(ntp(9, 0), '198.19.0.123')).toMatchObject({ status: 'warn', code: 'NTP_STRATUM_HIGH' });
  });
});
