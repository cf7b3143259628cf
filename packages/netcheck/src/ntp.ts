import { NetcheckError } from './errors.js';

/** Seconds between the NTP era (1900) and the Unix epoch. */
const NTP_EPOCH_OFFSET = 2_208_988_800;

/** Writes Unix milliseconds as a 64-bit NTP timestamp at `offset`. */
export function writeNtpTimestamp(buf: Uint8Array, offset: number, unixMs: number): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const seconds = Math.floor(unixMs / 1000) + NTP_EPOCH_OFFSET;
  const fraction = Math.floor(((unixMs % 1000) / 1000) * 2 ** 32);
  view.setUint32(offset, seconds >>> 0);
  view.setUint32(offset + 4, fraction >>> 0);
}

/** Reads a 64-bit NTP timestamp at `offset` as Unix milliseconds. */
export function readNtpTimestamp(buf: Uint8Array, offset: number): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const seconds = view.getUint32(offset);
  const fraction = view.getUint32(offset + 4);
  return (seconds - NTP_EPOCH_OFFSET) * 1000 + (fraction / 2 ** 32) * 1000;
}

/** A 48-byte NTPv4 client request (mode 3) with transmit timestamp `nowMs`. */
export function encodeNtpRequest(nowMs: number): Uint8Array {
  const buf = new Uint8Array(48);
  buf[0] = (0 << 6) | (4 << 3) | 3; // LI 0, version 4, mode 3 (client)
  writeNtpTimestamp(buf, 40, nowMs);
  return buf;
}

export interface NtpSample {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  /** Reference id: the four-letter source for stratum 1, the kiss code for stratum 0, else an address. */
  refId: string;
  /** Server clock minus ours, in ms ((T2 - T1) + (T3 - T4)) / 2. */
  offsetMs: number;
  /** Round trip minus the server's processing time, in ms. */
  delayMs: number;
}

/**
 * Decodes a server reply (mode 4) to a request sent at `sentMs` and received at `receivedMs` (our clock),
 * checking that it echoes our transmit timestamp so a stale or spoofed packet is refused.
 */
export function decodeNtpResponse(bytes: Uint8Array, request: Uint8Array, sentMs: number, receivedMs: number): NtpSample {
  if (bytes.length < 48) throw new NetcheckError('NETCHECK_PARSE_FAILED', `NTP reply of ${bytes.length} bytes is too short`);
  const first = bytes[0]!;
  const mode = first & 7;
  if (mode !== 4) throw new NetcheckError('NETCHECK_PARSE_FAILED', `NTP reply has mode ${mode}, expected 4 (server)`);
  const sameOrigin = bytes.subarray(24, 32).every((b, i) => b === request[40 + i]);
  if (!sameOrigin) throw new NetcheckError('NETCHECK_PARSE_FAILED', 'NTP reply does not echo our transmit timestamp');
  const stratum = bytes[1]!;
  const refBytes = bytes.subarray(12, 16);
  const refId = stratum <= 1 ? String.fromCharCode(...refBytes).replace(/\0+$/, '') : [...refBytes].join('.');
  const t2 = readNtpTimestamp(bytes, 32);
  const t3 = readNtpTimestamp(bytes, 40);
  return {
    leap: first >> 6,
    version: (first >> 3) & 7,
    mode,
    stratum,
    refId,
    offsetMs: (t2 - sentMs + (t3 - receivedMs)) / 2,
    delayMs: receivedMs - sentMs - (t3 - t2),
  };
}
