import ipaddr from 'ipaddr.js';
import { BootconfigInputError } from './errors.js';

/** An IP address after strict parsing: canonical text (RFC 5952 for IPv6) and its bytes. */
export interface ParsedIp {
  family: 4 | 6;
  /** Canonical form: dotted decimal, or lower-case compressed IPv6. */
  address: string;
  bytes: readonly number[];
}

/** An address or prefix with its length: `198.18.0.1/31`, `2001:db8::/64`. */
export interface ParsedCidr extends ParsedIp {
  prefixLength: number;
  /** `address/prefixLength` in canonical form. */
  cidr: string;
}

const PREFIX_LENGTH = /^(?:0|[1-9][0-9]{0,2})$/;
const V6_CHARS = /^[0-9a-fA-F:.]+$/;

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/*
 * Parsing and formatting are ipaddr.js's. It alone would also take `10.1`, `0x7f.0.0.1`, a 32-bit number or a zone
 * index, so the text is held to strict dotted decimal (no leading zeros: octal ambiguity) and IPv6 characters
 * first. Its `isValid*` checks are not used: each parses the text once more, and this runs for every address of
 * every node (the render bench counts it).
 */
const DOTTED_QUAD = /^(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}$/;

function parseV4(text: string): ipaddr.IPv4 | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  try {
    // The pattern has already split the text into four decimal octets; the constructor refuses one above 255.
    return new ipaddr.IPv4(text.split('.').map(Number));
  } catch {
    return undefined;
  }
}

function parseV6(text: string): ipaddr.IPv6 | undefined {
  if (text.length > 45 || !V6_CHARS.test(text)) return undefined;
  let address: ipaddr.IPv6;
  try {
    address = ipaddr.IPv6.parse(text);
  } catch {
    return undefined;
  }
  // An embedded IPv4 part follows the IPv4 rules (ipaddr.js would take `::ffff:01.2.3.4`).
  if (text.includes('.') && !DOTTED_QUAD.test(text.slice(text.lastIndexOf(':') + 1))) return undefined;
  return address;
}

/** Dotted decimal only: no leading zeros (octal ambiguity), no shorthand (`10.1`), no hex. */
export function parseIPv4(text: string): number[] | undefined {
  return parseV4(text)?.toByteArray();
}

/** Hex groups with at most one `::` and an optional trailing dotted quad; zone ids (`%eth0`) are refused. */
export function parseIPv6(text: string): number[] | undefined {
  return parseV6(text)?.toByteArray();
}

/** RFC 5952: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups compressed. */
export function formatIPv6(bytes: readonly number[]): string {
  return ipaddr.fromByteArray(Array.from({ length: 16 }, (_, i) => bytes[i] ?? 0)).toString();
}

/** Parses an IP address strictly; `family` restricts it to IPv4 or IPv6. */
export function validateIp(value: unknown, field: string, family?: 4 | 6): ParsedIp {
  if (typeof value !== 'string') throw new BootconfigInputError(field, `${field} must be a string IP address`);
  if (family !== 6) {
    const v4 = parseV4(value);
    // A strict dotted quad is already canonical.
    if (v4) return { family: 4, address: value, bytes: v4.toByteArray() };
  }
  if (family !== 4) {
    const v6 = parseV6(value);
    if (v6) return { family: 6, address: v6.toString(), bytes: v6.toByteArray() };
  }
  const kind = family === 4 ? 'an IPv4' : family === 6 ? 'an IPv6' : 'an IP';
  throw new BootconfigInputError(
    field,
    `${field} ${show(value)} is not ${kind} address (dotted decimal without leading zeros, or IPv6 without zone)`,
  );
}

function toIpaddr(ip: ParsedIp): ipaddr.IPv4 | ipaddr.IPv6 {
  return ipaddr.fromByteArray([...ip.bytes]);
}

/** The network address (host bits cleared) of `cidr`, in canonical text. */
export function networkOf(cidr: ParsedCidr): string {
  // From the parsed bytes and ipaddr.js's mask: networkAddressFromCIDR would parse the text all over again.
  const mask = (cidr.family === 4 ? ipaddr.IPv4 : ipaddr.IPv6).subnetMaskFromPrefixLength(cidr.prefixLength).toByteArray();
  return ipaddr.fromByteArray(cidr.bytes.map((byte, i) => byte & (mask[i] ?? 0))).toString();
}

/**
 * Parses `address/length`. With `kind: 'prefix'` host bits must be zero (`10.0.0.0/24`);
 * with `kind: 'interface'` they are the interface address (`10.0.0.5/24`).
 */
export function validateCidr(
  value: unknown,
  field: string,
  options: { kind: 'prefix' | 'interface'; family?: 4 | 6 },
): ParsedCidr {
  if (typeof value !== 'string') throw new BootconfigInputError(field, `${field} must be a string like 10.0.0.5/24`);
  const slash = value.indexOf('/');
  const lengthText = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || !PREFIX_LENGTH.test(lengthText)) {
    throw new BootconfigInputError(field, `${field} ${show(value)} needs a prefix length (10.0.0.5/24, 2001:db8::5/64)`);
  }
  const ip = validateIp(value.slice(0, slash), field, options.family);
  const prefixLength = Number(lengthText);
  const max = ip.family === 4 ? 32 : 128;
  if (prefixLength > max) {
    throw new BootconfigInputError(field, `${field} ${show(value)} has a prefix length above ${max}`);
  }
  if (options.kind === 'prefix' && networkOf({ ...ip, prefixLength, cidr: '' }) !== ip.address) {
    throw new BootconfigInputError(
      field,
      `${field} ${show(value)} has host bits set; write the network address (prefixes, not interface addresses)`,
    );
  }
  return { family: ip.family, address: ip.address, bytes: ip.bytes, prefixLength, cidr: `${ip.address}/${prefixLength}` };
}

/** True when `ip` lies inside `cidr` (same family). */
export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  return toIpaddr(ip).match(toIpaddr(cidr), cidr.prefixLength);
}
