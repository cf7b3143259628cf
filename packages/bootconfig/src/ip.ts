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

const V4_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const V6_GROUP = /^[0-9a-f]{1,4}$/;

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Dotted decimal only: no leading zeros (octal ambiguity), no shorthand (`10.1`), no hex. */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!V4_OCTET.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

/** Hex groups with at most one `::` and an optional trailing dotted quad; zone ids (`%eth0`) are refused. */
export function parseIPv6(input: string): number[] | undefined {
  const text = input.toLowerCase();
  if (text.length > 45 || !/^[0-9a-f:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseSide = (side: string, allowV4: boolean): number[] | undefined => {
    if (side === '') return [];
    const groups = side.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i] ?? '';
      if (allowV4 && i === groups.length - 1 && group.includes('.')) {
        const v4 = parseIPv4(group);
        if (!v4) return undefined;
        out.push(...v4);
      } else {
        if (!V6_GROUP.test(group)) return undefined;
        const n = Number.parseInt(group, 16);
        out.push(n >> 8, n & 0xff);
      }
    }
    return out;
  };
  if (halves.length === 1) {
    const all = parseSide(text, true);
    return all && all.length === 16 ? all : undefined;
  }
  const head = parseSide(halves[0] ?? '', false);
  const tail = parseSide(halves[1] ?? '', true);
  if (!head || !tail) return undefined;
  // `::` stands for at least one zero group.
  if (head.length + tail.length > 14) return undefined;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

/** RFC 5952: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups compressed. */
export function formatIPv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses an IP address strictly; `family` restricts it to IPv4 or IPv6. */
export function validateIp(value: unknown, field: string, family?: 4 | 6): ParsedIp {
  if (typeof value !== 'string') throw new BootconfigInputError(field, `${field} must be a string IP address`);
  if (family !== 6) {
    const v4 = parseIPv4(value);
    if (v4) return { family: 4, address: v4.join('.'), bytes: v4 };
  }
  if (family !== 4) {
    const v6 = parseIPv6(value);
    if (v6) return { family: 6, address: formatIPv6(v6), bytes: v6 };
  }
  const kind = family === 4 ? 'an IPv4' : family === 6 ? 'an IPv6' : 'an IP';
  throw new BootconfigInputError(
    field,
    `${field} ${show(value)} is not ${kind} address (dotted decimal without leading zeros, or IPv6 without zone)`,
  );
}

function hostBitsSet(bytes: readonly number[], prefixLength: number): boolean {
  for (let bit = prefixLength; bit < bytes.length * 8; bit++) {
    if (((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) return true;
  }
  return false;
}

/** The network (host bits cleared) of an address and prefix length. */
export function networkOf(bytes: readonly number[], prefixLength: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefixLength - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
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
  if (slash < 0 || !/^(?:0|[1-9][0-9]{0,2})$/.test(lengthText)) {
    throw new BootconfigInputError(field, `${field} ${show(value)} needs a prefix length (10.0.0.5/24, 2001:db8::5/64)`);
  }
  const ip = validateIp(value.slice(0, slash), field, options.family);
  const prefixLength = Number(lengthText);
  const max = ip.family === 4 ? 32 : 128;
  if (prefixLength > max) {
    throw new BootconfigInputError(field, `${field} ${show(value)} has a prefix length above ${max}`);
  }
  if (options.kind === 'prefix' && hostBitsSet(ip.bytes, prefixLength)) {
    throw new BootconfigInputError(
      field,
      `${field} ${show(value)} has host bits set; write the network address (prefixes, not interface addresses)`,
    );
  }
  return { ...ip, prefixLength, cidr: `${ip.address}/${prefixLength}` };
}

/** True when `ip` lies inside `cidr` (same family). */
export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  const a = networkOf(cidr.bytes, cidr.prefixLength);
  const b = networkOf(ip.bytes, cidr.prefixLength);
  return a.every((byte, i) => byte === b[i]);
}
