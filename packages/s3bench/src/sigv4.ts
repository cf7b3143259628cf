import * as crypto from 'node:crypto';
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

type OneShotHash = (algorithm: string, data: string | Uint8Array, encoding: 'hex' | 'latin1') => string;
// One-shot hashing (Node ≥ 20.12) skips the Hash object: about 1 µs less per signed request.
const oneShot: OneShotHash | undefined = (crypto as { hash?: OneShotHash }).hash;

/** Credentials for AWS Signature Version 4. */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request to sign. `path` is the raw (unescaped) path; the signer escapes it once, as S3 expects. */
export interface SignableRequest {
  method: string;
  path: string;
  /** Raw (unescaped) query parameters; order does not matter. */
  query?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
  /** Every header to sign, including `host` and `x-amz-date`; names are matched case-insensitively. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
}

export interface SigV4Signature {
  authorization: string;
  signature: string;
  signedHeaders: string;
  canonicalRequest: string;
  stringToSign: string;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986 escaping as SigV4 wants it: everything but unreserved characters is %XX-encoded (UTF-8). */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Escapes each path segment once and keeps the slashes (S3 rules: no double encoding, no normalisation). */
const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

export function uriEscapePath(path: string): string {
  // Most benchmark keys need no escaping: skip the split/encode/join then.
  if (PLAIN_PATH.test(path)) return path;
  return path.split('/').map(uriEscape).join('/');
}

/** The canonical (sorted, escaped) query string; also what goes on the wire so both always agree. */
export function canonicalQueryString(query: SignableRequest['query']): string {
  if (query === undefined) return '';
  const pairs: Array<[string, string]> = [];
  const entries = Array.isArray(query) ? query : Object.entries(query);
  for (const [k, v] of entries as Iterable<readonly [string, string]>) pairs.push([uriEscape(k), uriEscape(v)]);
  if (pairs.length === 0) return '';
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (const [k, v] of pairs) out += (out === '' ? '' : '&') + k + '=' + v;
  return out;
}

/** `YYYYMMDDTHHMMSSZ` for a Date. */
export function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function sha256Hex(data: string | Uint8Array): string {
  if (oneShot !== undefined && typeof data === 'string') return oneShot('sha256', data, 'hex');
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** SHA-256's block size: HMAC pads its key to this many bytes. */
const BLOCK = 64;
/** Longest message (UTF-16 code units) the one-shot HMAC takes; a string-to-sign is about 130. */
const MAX_FAST_MESSAGE = 1024;

/**
 * HMAC-SHA256 (RFC 2104) with one fixed key, computed as two one-shot hashes over preallocated buffers:
 * H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)). `createHmac` builds a stream object per call, which costs about twice
 * as much as the two hashes themselves. Falls back to `createHmac` where `crypto.hash` is missing (Node
 * < 20.12) and for messages too long for the buffer.
 */
class FixedKeyHmac {
  readonly #key: KeyObject;
  /** (K ⊕ ipad) followed by room for the message. */
  readonly #inner = Buffer.alloc(BLOCK + 3 * MAX_FAST_MESSAGE, 0x36);
  /** (K ⊕ opad) followed by the inner digest. */
  readonly #outer = Buffer.alloc(BLOCK + 32, 0x5c);
  /** `#inner` cut to the last message length: the string-to-sign of one signer always has the same length. */
  #view: Buffer = this.#inner;
  #viewLength = -1;

  /** `key` is at most 64 bytes (a SigV4 signing key is 32). */
  constructor(key: Buffer) {
    this.#key = createSecretKey(key);
    for (let i = 0; i < key.length; i++) {
      this.#inner[i] = 0x36 ^ key[i]!;
      this.#outer[i] = 0x5c ^ key[i]!;
    }
  }

  hex(message: string): string {
    if (oneShot === undefined || message.length > MAX_FAST_MESSAGE) {
      return createHmac('sha256', this.#key).update(message, 'utf8').digest('hex');
    }
    const n = BLOCK + this.#inner.write(message, BLOCK, 'utf8');
    if (n !== this.#viewLength) {
      this.#view = this.#inner.subarray(0, n);
      this.#viewLength = n;
    }
    // The inner digest as 32 latin1 characters is its 32 bytes, written back byte for byte.
    this.#outer.write(oneShot('sha256', this.#view, 'latin1'), BLOCK, 'latin1');
    return oneShot('sha256', this.#outer, 'hex');
  }
}

export interface SigV4SignerOptions {
  credentials: SigV4Credentials;
  region: string;
  /** `s3` for S3; the AWS test suite uses `service`. */
  service: string;
}

/**
 * The signing key of one UTC day (derived with four HMACs, then kept: one entry, so memory stays fixed) and
 * that day's credential scope.
 */
class DailySigningKey {
  readonly #options: SigV4SignerOptions;
  #date = '';
  #key: FixedKeyHmac | undefined;
  /** `<date>/<region>/<service>/aws4_request` of the current day. */
  scope = '';

  constructor(options: SigV4SignerOptions) {
    this.#options = options;
  }

  /** The key of `dateStamp` (`YYYYMMDD`); also sets `scope` to that day's. */
  of(dateStamp: string): FixedKeyHmac {
    if (dateStamp !== this.#date || this.#key === undefined) {
      const { credentials, region, service } = this.#options;
      const kDate = hmac(`AWS4${credentials.secretAccessKey}`, dateStamp);
      const kRegion = hmac(kDate, region);
      const kService = hmac(kRegion, service);
      this.#key = new FixedKeyHmac(hmac(kService, 'aws4_request'));
      this.#date = dateStamp;
      this.scope = `${dateStamp}/${region}/${service}/aws4_request`;
    }
    return this.#key;
  }
}

/**
 * AWS Signature Version 4 signer. The signing key is derived once per UTC day and cached (one entry, so
 * memory stays fixed); the per-request cost is two SHA-256 of the canonical request and string to sign,
 * and the two of the HMAC.
 */
export class SigV4Signer {
  readonly #accessKeyId: string;
  readonly #key: DailySigningKey;

  constructor(options: SigV4SignerOptions) {
    this.#accessKeyId = options.credentials.accessKeyId;
    this.#key = new DailySigningKey({ ...options });
  }

  /** Signs `request`; the `x-amz-date` header must be present (it fixes the signing time). */
  sign(request: SignableRequest, canonicalQuery?: string): SigV4Signature {
    const names: string[] = [];
    const values = new Map<string, string>();
    for (const name of Object.keys(request.headers)) {
      const lower = name.toLowerCase();
      // Trim and collapse inner whitespace runs, as the canonical header rules require.
      const value = String(request.headers[name]).trim().replace(/\s+/g, ' ');
      const prev = values.get(lower);
      if (prev === undefined) names.push(lower);
      values.set(lower, prev === undefined ? value : `${prev},${value}`);
    }
    names.sort();
    const amzDate = values.get('x-amz-date');
    if (amzDate === undefined || amzDate.length !== 16) {
      throw new TypeError('x-amz-date header (YYYYMMDDTHHMMSSZ) is required to sign a request');
    }
    return this.signCanonical(
      request.method,
      uriEscapePath(request.path),
      canonicalQuery ?? canonicalQueryString(request.query),
      names.map((n) => [n, values.get(n)!] as const),
      amzDate,
      request.payloadHash,
    );
  }

  /**
   * Signs an already canonical request: escaped URI and query, header names lower-case and sorted, values
   * normalised. `sign` normalises and then calls it.
   */
  signCanonical(
    method: string,
    canonicalUri: string,
    canonicalQuery: string,
    headers: ReadonlyArray<readonly [string, string]>,
    amzDate: string,
    payloadHash: string,
  ): SigV4Signature {
    let canonicalHeaders = '';
    let signedHeaders = '';
    for (const [name, value] of headers) {
      canonicalHeaders += `${name}:${value}\n`;
      signedHeaders += signedHeaders === '' ? name : `;${name}`;
    }
    const key = this.#key.of(amzDate.slice(0, 8));
    const scope = this.#key.scope;
    const canonicalRequest = `${method}\n${canonicalUri}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = key.hex(stringToSign);
    const authorization = `AWS4-HMAC-SHA256 Credential=${this.#accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return { authorization, signature, signedHeaders, canonicalRequest, stringToSign };
  }
}

/** The signed headers of {@link S3HeaderSigner}'s requests, sorted. */
const S3_SIGNED_HEADERS = 'host;x-amz-content-sha256;x-amz-date';
const S3_SIGNED_HEADERS_TOKEN = 'host;x-amz-content-sha256;x-amz-date;x-amz-security-token';

/**
 * Signs S3 requests whose signed headers are exactly `host`, `x-amz-content-sha256`, `x-amz-date` and
 * (with a session token) `x-amz-security-token`: the client's hot path. It builds the same canonical
 * request {@link SigV4Signer.signCanonical} builds for those headers, without a header list or a result
 * object. Internal: not exported from the package.
 */
export class S3HeaderSigner {
  readonly #accessKeyId: string;
  readonly #token: string | undefined;
  readonly #signedHeaders: string;
  readonly #key: DailySigningKey;

  constructor(options: SigV4SignerOptions) {
    this.#accessKeyId = options.credentials.accessKeyId;
    this.#token = options.credentials.sessionToken;
    this.#signedHeaders = this.#token === undefined ? S3_SIGNED_HEADERS : S3_SIGNED_HEADERS_TOKEN;
    this.#key = new DailySigningKey({ ...options });
  }

  /** The Authorization value; `canonicalUri` and `canonicalQuery` are escaped already. */
  authorization(
    method: string,
    canonicalUri: string,
    canonicalQuery: string,
    host: string,
    payloadHash: string,
    amzDate: string,
  ): string {
    const key = this.#key.of(amzDate.slice(0, 8));
    const token = this.#token;
    const canonicalRequest =
      token === undefined
        ? `${method}\n${canonicalUri}\n${canonicalQuery}\nhost:${host}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${amzDate}\n\n${S3_SIGNED_HEADERS}\n${payloadHash}`
        : `${method}\n${canonicalUri}\n${canonicalQuery}\nhost:${host}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${amzDate}\nx-amz-security-token:${token}\n\n${S3_SIGNED_HEADERS_TOKEN}\n${payloadHash}`;
    const scope = this.#key.scope;
    const signature = key.hex(`AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`);
    return `AWS4-HMAC-SHA256 Credential=${this.#accessKeyId}/${scope}, SignedHeaders=${this.#signedHeaders}, Signature=${signature}`;
  }
}
