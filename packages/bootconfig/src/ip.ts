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

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Dotted decimal only: no leading zeros (octal ambiguity), no shorthand (`10.1`), no hex. */
export function parseIPv4(text: string): number[] | undefined {
  // A hand-written scanner: this runs for every address of every node, and a regex costs 3× as much.
  const out = [0, 0, 0, 0];
  let count = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text.charCodeAt(i) : 46; // a virtual '.' ends the last octet
    if (ch >= 48 && ch <= 57) {
      if (digits > 0 && value === 0) return undefined; // leading zero
      value = value * 10 + (ch - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else if (ch === 46) {
      if (digits === 0 || count === 4) return undefined;
      out[count++] = value;
      value = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return count === 4 ? out : undefined;
}

/** One hex group of 1–4 digits (either case) in `text[start, end)`, or -1. */
function hexGroup(text: string, start: number, end: number): number {
  if (end - start < 1 || end - start > 4) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    const digit =
      ch >= 48 && ch <= 57 ? ch - 48 : ch >= 97 && ch <= 102 ? ch - 87 : ch >= 65 && ch <= 70 ? ch - 55 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function hasDot(text: string, start: number, end: number): boolean {
  const dot = text.indexOf('.', start);
  return dot >= 0 && dot < end;
}

/** Hex groups with at most one `::` and an optional trailing dotted quad; zone ids (`%eth0`) are refused. */
export function parseIPv6(text: string): number[] | undefined {
  // A hand-written scanner over the text (no lower-casing, splitting or regexes): five of these per node.
  const n = text.length;
  if (n === 0 || n > 45) return undefined;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (!((ch >= 48 && ch <= 58) || ch === 46 || (ch >= 97 && ch <= 102) || (ch >= 65 && ch <= 70))) return undefined;
  }
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return undefined;
  const out = new Array<number>(16).fill(0);
  // Head groups fill from the front, tail groups from the back; `::` is the zeros in between.
  const headEnd = gap < 0 ? n : gap;
  let front = 0;
  for (let start = 0; headEnd > 0; ) {
    let end = text.indexOf(':', start);
    if (end < 0 || end > headEnd) end = headEnd;
    if (front >= 16) return undefined;
    if (hasDot(text, start, end)) {
      // A dotted quad only as the last two of eight groups.
      if (gap >= 0 || front !== 12 || end !== headEnd) return undefined;
      const v4 = parseIPv4(text.slice(start, end));
      if (!v4) return undefined;
      out[12] = v4[0]!;
      out[13] = v4[1]!;
      out[14] = v4[2]!;
      out[15] = v4[3]!;
      front = 16;
    } else {
      const group = hexGroup(text, start, end);
      if (group < 0) return undefined;
      out[front++] = group >> 8;
      out[front++] = group & 0xff;
    }
    if (end === headEnd) break;
    start = end + 1;
  }
  if (gap < 0) return front === 16 ? out : undefined;
  const bytes: number[] = [];
  // A tail that is not empty: groups up to the end (a trailing ':' leaves an empty, refused group).
  for (let start = gap + 2; gap + 2 < n; ) {
    let end = text.indexOf(':', start);
    if (end < 0) end = n;
    if (hasDot(text, start, end)) {
      if (end !== n) return undefined;
      const v4 = parseIPv4(text.slice(start, end));
      if (!v4) return undefined;
      bytes.push(v4[0]!, v4[1]!, v4[2]!, v4[3]!);
    } else {
      const group = hexGroup(text, start, end);
      if (group < 0) return undefined;
      bytes.push(group >> 8, group & 0xff);
    }
    if (end === n) break;
    start = end + 1;
  }
  // `::` stands for at least one zero group.
  if (front + bytes.length > 14) return undefined;
  for (let i = 0; i < bytes.length; i++) out[16 - bytes.length + i] = bytes[i]!;
  return out;
}

/** RFC 5952: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups compressed. */
export function formatIPv6(bytes: readonly number[]): string {
  const groups = new Array<number>(8);
  for (let i = 0; i < 8; i++) groups[i] = ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0);
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
  // The groups before the longest zero run, `::`, the groups after it (or all eight, colon-separated).
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLength - 1;
      continue;
    }
    if (i > 0 && i !== bestStart + bestLength) out += ':';
    out += groups[i]!.toString(16);
  }
  return out;
}

/** Parses an IP address strictly; `family` restricts it to IPv4 or IPv6. */
export function validateIp(value: unknown, field: string, family?: 4 | 6): ParsedIp {
  if (typeof value !== 'string') throw new BootconfigInputError(field, `${field} must be a string IP address`);
  if (family !== 6) {
    const v4 = parseIPv4(value);
    // A dotted quad that passed the regex is already canonical.
    if (v4) return { family: 4, address: value, bytes: v4 };
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
  if (slash < 0 || !PREFIX_LENGTH.test(lengthText)) {
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
  // An IPv4 address that parsed is already canonical, and so is the length the regex let through: then the
  // canonical `address/length` is the text itself.
  const cidr = ip.family === 4 ? value : `${ip.address}/${prefixLength}`;
  return { family: ip.family, address: ip.address, bytes: ip.bytes, prefixLength, cidr };
}

/** True when `ip` lies inside `cidr` (same family). */
export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  // networkOf(cidr) equals networkOf(ip), without building either: the whole bytes of the prefix, then the
  // prefix's bits of the byte it ends in.
  const a = cidr.bytes;
  const b = ip.bytes;
  const whole = Math.min(cidr.prefixLength >> 3, a.length);
  for (let i = 0; i < whole; i++) if (a[i] !== (b[i] ?? 0)) return false;
  const bits = cidr.prefixLength - whole * 8;
  if (bits <= 0 || whole >= a.length) return true;
  const mask = (0xff << (8 - Math.min(bits, 8))) & 0xff;
  return (a[whole]! & mask) === ((b[whole] ?? 0) & mask);
}
