import { ValidationError } from '@fleet/core';
import dnsPacket from 'dns-packet';
import ipaddr from 'ipaddr.js';
import { NetcheckError } from './errors.js';

export type DnsRecordType = 'A' | 'AAAA' | 'TXT' | 'SOA' | 'NS';

const DNS_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;

/** A query name: dot-separated labels of letters, digits, `-` and `_`, at most 253 characters. */
export function validateQueryName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) {
    throw new ValidationError(field, `${field} must be a DNS name of 1-253 characters`);
  }
  const name = value.replace(/\.$/, '');
  if (name !== '' && !name.split('.').every((label) => DNS_LABEL.test(label))) {
    throw new ValidationError(field, `${field} ${JSON.stringify(value)} is not a DNS name`);
  }
  return name;
}

/** A standard recursive query (RD set) for `name`/`type` with message id `id`. */
export function encodeDnsQuery(id: number, name: string, type: DnsRecordType = 'A'): Uint8Array {
  const qname = validateQueryName(name);
  const query = dnsPacket.encode({
    type: 'query',
    id: id & 0xffff,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, class: 'IN', name: qname === '' ? '.' : qname }],
  });
  return new Uint8Array(query);
}

export interface DnsAnswer {
  name: string;
  type: string;
  ttl: number;
  /** Decoded data: the address for A/AAAA (IPv6 in RFC 5952 form), the joined strings for TXT, hex otherwise. */
  data: string;
}

export interface DnsResponse {
  id: number;
  rcode: string;
  authoritative: boolean;
  truncated: boolean;
  answers: DnsAnswer[];
}

/*
 * dns-packet's record codecs, which its bundled types leave out. They are used to find where each answer's
 * RDATA starts and ends: the A/AAAA codecs read a fixed 4/16 bytes whatever RDLENGTH says, so a record whose
 * RDLENGTH disagrees, or that runs past the end of the message, is caught here instead of decoding as
 * `1.2.undefined.undefined`.
 */
interface Codec<T> {
  decode: ((buf: Buffer, offset?: number) => T) & { bytes: number };
}
const codecs = dnsPacket as unknown as { name: Codec<string>; question: Codec<unknown>; answer: Codec<unknown> };

/** Decodes a DNS response (RFC 1035) with dns-packet, refusing truncated or garbled messages with NETCHECK_PARSE_FAILED. */
export function decodeDnsResponse(bytes: Uint8Array): DnsResponse {
  const buf = Buffer.from(bytes);
  if (buf.length < 12) throw new NetcheckError('NETCHECK_PARSE_FAILED', `DNS response of ${buf.length} bytes is too short`);
  // dns-packet decodes the RCODE too; its bundled types leave the field out.
  let packet: dnsPacket.DecodedPacket & { rcode: string };
  const answers: DnsAnswer[] = [];
  try {
    packet = dnsPacket.decode(buf) as dnsPacket.DecodedPacket & { rcode: string };
    if (!packet.flag_qr) throw new NetcheckError('NETCHECK_PARSE_FAILED', 'DNS message is not a response (QR unset)');
    let at = 12;
    for (const _ of packet.questions ?? []) {
      codecs.question.decode(buf, at);
      at += codecs.question.decode.bytes;
    }
    for (const answer of packet.answers ?? []) {
      codecs.name.decode(buf, at);
      const rdataAt = at + codecs.name.decode.bytes + 10;
      const rdata = buf.subarray(rdataAt, rdataAt + buf.readUInt16BE(rdataAt - 2));
      codecs.answer.decode(buf, at);
      at += codecs.answer.decode.bytes;
      if (rdata.length !== buf.readUInt16BE(rdataAt - 2) || at !== rdataAt + rdata.length || at > buf.length) {
        throw new RangeError(`${answer.type} record for ${answer.name} has a bad RDLENGTH`);
      }
      answers.push({ name: answer.name, type: answer.type, ttl: 'ttl' in answer ? (answer.ttl ?? 0) : 0, data: answerData(answer, rdata) });
    }
  } catch (cause) {
    if (cause instanceof NetcheckError) throw cause;
    throw new NetcheckError('NETCHECK_PARSE_FAILED', 'DNS response is truncated or malformed', { cause });
  }
  return {
    id: packet.id ?? 0,
    rcode: packet.rcode,
    authoritative: packet.flag_aa,
    truncated: packet.flag_tc,
    answers,
  };
}

function answerData(answer: dnsPacket.Answer, rdata: Buffer): string {
  // Addresses through ipaddr.js: RFC 5952 for IPv6 (the longest run of zero groups is the one shortened).
  if (answer.type === 'A' || answer.type === 'AAAA') return ipaddr.fromByteArray([...rdata]).toString();
  if (answer.type === 'TXT') {
    const strings = Array.isArray(answer.data) ? answer.data : [answer.data];
    return strings.map((s) => (typeof s === 'string' ? s : s.toString('utf8'))).join('');
  }
  return rdata.toString('hex');
}
