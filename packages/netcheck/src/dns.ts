import { ValidationError } from '@fleet/core';
import ipaddr from 'ipaddr.js';
import { NetcheckError } from './errors.js';

export type DnsRecordType = 'A' | 'AAAA' | 'TXT' | 'SOA' | 'NS';
const TYPE_CODES: Record<DnsRecordType, number> = { A: 1, NS: 2, SOA: 6, TXT: 16, AAAA: 28 };
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

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
  const labels = qname === '' ? [] : qname.split('.');
  const size = 12 + labels.reduce((n, l) => n + 1 + l.length, 0) + 1 + 4;
  const buf = Buffer.alloc(size);
  buf.writeUInt16BE(id & 0xffff, 0);
  buf.writeUInt16BE(0x0100, 2); // RD
  buf.writeUInt16BE(1, 4); // QDCOUNT
  let at = 12;
  for (const label of labels) {
    buf.writeUInt8(label.length, at++);
    buf.write(label, at, 'ascii');
    at += label.length;
  }
  buf.writeUInt8(0, at++);
  buf.writeUInt16BE(TYPE_CODES[type], at);
  buf.writeUInt16BE(1, at + 2); // IN
  return new Uint8Array(buf);
}

export interface DnsAnswer {
  name: string;
  type: string;
  ttl: number;
  /** Decoded data: the address for A/AAAA, the joined strings for TXT, hex otherwise. */
  data: string;
}

export interface DnsResponse {
  id: number;
  rcode: string;
  authoritative: boolean;
  truncated: boolean;
  answers: DnsAnswer[];
}

function readName(buf: Buffer, start: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = start;
  let next = -1;
  for (let jumps = 0; jumps < 64; jumps++) {
    if (at >= buf.length) break;
    const len = buf[at]!;
    if (len === 0) {
      if (next < 0) next = at + 1;
      return { name: labels.join('.'), next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (next < 0) next = at + 2;
      at = ((len & 0x3f) << 8) | buf[at + 1]!;
      continue;
    }
    labels.push(buf.toString('ascii', at + 1, at + 1 + len));
    at += 1 + len;
  }
  throw new NetcheckError('NETCHECK_PARSE_FAILED', 'DNS response has a malformed name');
}

/** Decodes a DNS response (RFC 1035), refusing truncated or garbled messages with NETCHECK_PARSE_FAILED. */
export function decodeDnsResponse(bytes: Uint8Array): DnsResponse {
  const buf = Buffer.from(bytes);
  if (buf.length < 12) throw new NetcheckError('NETCHECK_PARSE_FAILED', `DNS response of ${buf.length} bytes is too short`);
  const flags = buf.readUInt16BE(2);
  if ((flags & 0x8000) === 0) throw new NetcheckError('NETCHECK_PARSE_FAILED', 'DNS message is not a response (QR unset)');
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let at = 12;
  try {
    for (let i = 0; i < qd; i++) at = readName(buf, at).next + 4;
    const answers: DnsAnswer[] = [];
    for (let i = 0; i < an; i++) {
      const { name, next } = readName(buf, at);
      const type = buf.readUInt16BE(next);
      const ttl = buf.readUInt32BE(next + 4);
      const len = buf.readUInt16BE(next + 8);
      const rdata = buf.subarray(next + 10, next + 10 + len);
      if (rdata.length !== len) throw new RangeError('rdata');
      answers.push({ name, type: typeName(type), ttl, data: decodeData(type, rdata) });
      at = next + 10 + len;
    }
    return {
      id: buf.readUInt16BE(0),
      rcode: RCODES[flags & 0xf] ?? `RCODE${flags & 0xf}`,
      authoritative: (flags & 0x0400) !== 0,
      truncated: (flags & 0x0200) !== 0,
      answers,
    };
  } catch (cause) {
    if (cause instanceof NetcheckError) throw cause;
    throw new NetcheckError('NETCHECK_PARSE_FAILED', 'DNS response is truncated or malformed', { cause });
  }
}

function typeName(code: number): string {
  return (Object.entries(TYPE_CODES).find(([, c]) => c === code)?.[0] as string | undefined) ?? `TYPE${code}`;
}

function decodeData(type: number, rdata: Buffer): string {
  if (type === 1 && rdata.length === 4) return [...rdata].join('.');
  if (type === 28 && rdata.length === 16) {
    // RFC 5952 through ipaddr.js: the longest run of zero groups is the one shortened.
    return ipaddr.fromByteArray([...rdata]).toString();
  }
  if (type === 16) {
    const parts: string[] = [];
    for (let at = 0; at < rdata.length; ) {
      const len = rdata[at]!;
      parts.push(rdata.toString('utf8', at + 1, at + 1 + len));
      at += 1 + len;
    }
    return parts.join('');
  }
  return rdata.toString('hex');
}
