import { ValidationError } from '@fleet/core';
import ipaddr from 'ipaddr.js';

/** 4 or 6 for a dotted-quad IPv4 (ipaddr.js alone would also take `10.1` or octal) or an IPv6 literal; else 0. */
function ipFamily(text: string): 0 | 4 | 6 {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  return ipaddr.IPv6.isValid(text) ? 6 : 0;
}

/** An IPv4 or IPv6 address literal (never a name: names would be resolved outside the probed network). */
export function validateAddress(value: unknown, field = 'address'): string {
  if (typeof value !== 'string' || ipFamily(value) === 0) {
    throw new ValidationError(field, `${field} ${JSON.stringify(String(value))} is not an IPv4 or IPv6 address literal`);
  }
  return value;
}

export function addressFamily(address: string): 4 | 6 {
  return ipFamily(address) === 6 ? 6 : 4;
}

/** An IPv4 or IPv6 prefix `addr/len`; a bare address becomes a host prefix. Returns the canonical text. */
export function validatePrefix(value: unknown, field = 'prefix'): string {
  if (typeof value !== 'string') throw new ValidationError(field, `${field} must be a string like 198.18.0.0/15`);
  const [addr, len, extra] = value.split('/');
  const family = addr === undefined ? 0 : ipFamily(addr);
  if (extra !== undefined || addr === undefined || family === 0) {
    throw new ValidationError(field, `${field} ${JSON.stringify(value)} is not a prefix like 198.18.0.0/15`);
  }
  const max = family === 6 ? 128 : 32;
  const bits = len === undefined ? max : Number(len);
  if (!/^\d+$/.test(len ?? String(max)) || bits > max) {
    throw new ValidationError(field, `${field} ${JSON.stringify(value)} has a prefix length outside 0-${max}`);
  }
  return `${addr.toLowerCase()}/${bits}`;
}

/**
 * The one text form of an address (RFC 5952 for IPv6: lower case, the longest run of zero groups shortened),
 * so that two spellings of one address compare equal. Text that is no address comes back unchanged.
 */
export function canonicalAddress(text: string): string {
  return ipaddr.isValid(text) ? ipaddr.parse(text).toString() : text;
}
