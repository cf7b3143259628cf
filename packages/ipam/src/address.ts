import ipaddr from 'ipaddr.js';
import { IpamError } from './errors.js';

export type Family = 4 | 6;

/** A CIDR block as an inclusive bigint range: all prefix math happens here, never in floating point. */
export interface Range {
  family: Family;
  start: bigint;
  end: bigint;
  length: number;
}

export function familyBits(family: Family): number {
  return family === 4 ? 32 : 128;
}

export function blockSize(family: Family, length: number): bigint {
  return 1n << BigInt(familyBits(family) - length);
}

export function rangeSize(range: Range): bigint {
  return range.end - range.start + 1n;
}

function show(text: unknown): string {
  const s = typeof text === 'string' ? text : String(text);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bigintToBytes(value: bigint, count: number): number[] {
  const out = new Array<number>(count);
  let v = value;
  for (let i = count - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * Parses one address strictly: dotted-quad IPv4 only (ipaddr.js alone would accept `10.1` or octal),
 * IPv6 without a zone index.
 */
export function parseAddress(text: unknown, field = 'address'): { family: Family; value: bigint } {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) {
    throw new IpamError('IPAM_INVALID_ADDRESS', `${field} ${show(text)} is not an IP address`, { details: { field } });
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { family: 4, value: bytesToBigint(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) {
    return { family: 6, value: bytesToBigint(ipaddr.IPv6.parse(text).toByteArray()) };
  }
  throw new IpamError('IPAM_INVALID_ADDRESS', `${field} ${show(text)} is not an IPv4 (a.b.c.d) or IPv6 address`, {
    details: { field, value: text },
  });
}

/**
 * Parses `a.b.c.d/len` or `x::/len`. Host bits set is an error (IPAM_HOST_BITS_SET) rather than silently
 * masked, because `10.0.0.5/24` in a spreadsheet is usually a typo for something else.
 * With `allowBare`, a plain address means a single host (/32 or /128).
 */
export function parsePrefix(text: unknown, field = 'prefix', allowBare = false): Range {
  if (typeof text !== 'string' || text.length === 0 || text.length > 70) {
    throw new IpamError(
      'IPAM_INVALID_PREFIX',
      `${field} ${show(text)} is not a CIDR prefix (10.0.0.0/24, 2001:db8::/48)`,
      {
        details: { field },
      },
    );
  }
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (!allowBare) {
      throw new IpamError('IPAM_INVALID_PREFIX', `${field} ${show(text)} has no /length: write it as a CIDR prefix`, {
        details: { field, value: text },
      });
    }
    const a = parseAddress(text, field);
    return { family: a.family, start: a.value, end: a.value, length: familyBits(a.family) };
  }
  const addrText = text.slice(0, slash);
  const lenText = text.slice(slash + 1);
  let addr: { family: Family; value: bigint };
  try {
    addr = parseAddress(addrText, field);
  } catch {
    throw new IpamError('IPAM_INVALID_PREFIX', `${field} ${show(text)} is not a CIDR prefix: bad address part`, {
      details: { field, value: text },
    });
  }
  const bits = familyBits(addr.family);
  if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > bits) {
    throw new IpamError(
      'IPAM_INVALID_PREFIX',
      `${field} ${show(text)} has an invalid length (0–${bits} for IPv${addr.family})`,
      {
        details: { field, value: text },
      },
    );
  }
  const length = Number(lenText);
  const size = blockSize(addr.family, length);
  if (addr.value % size !== 0n) {
    const network = formatAddress(addr.family, addr.value - (addr.value % size));
    throw new IpamError(
      'IPAM_HOST_BITS_SET',
      `${field} ${show(text)} has host bits set: did you mean ${network}/${length}?`,
      { details: { field, value: text, suggestion: `${network}/${length}` } },
    );
  }
  return { family: addr.family, start: addr.value, end: addr.value + size - 1n, length };
}

export function formatAddress(family: Family, value: bigint): string {
  return ipaddr.fromByteArray(bigintToBytes(value, family === 4 ? 4 : 16)).toString();
}

export function formatPrefix(range: Range): string {
  return `${formatAddress(range.family, range.start)}/${range.length}`;
}

/** A range from a family, aligned start and length. */
export function makeRange(family: Family, start: bigint, length: number): Range {
  return { family, start, end: start + blockSize(family, length) - 1n, length };
}

/** Fixed-width hex (32 digits for both families) so text order equals numeric order in SQL indexes. */
export function toHex(value: bigint): string {
  return value.toString(16).padStart(32, '0');
}

export function fromHex(text: string): bigint {
  return BigInt(`0x${text}`);
}

export function alignUp(value: bigint, size: bigint): bigint {
  const rem = value % size;
  return rem === 0n ? value : value + (size - rem);
}

export function contains(outer: Range, inner: Range): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}
