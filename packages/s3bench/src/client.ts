import { performance } from 'node:perf_hooks';
import { type Dispatcher, Pool } from 'undici';
import { S3BenchError } from './errors.js';
import {
  canonicalQueryString,
  EMPTY_SHA256,
  S3HeaderSigner,
  type SigV4Credentials,
  SigV4Signer,
  sha256Hex,
  toAmzDate,
  UNSIGNED_PAYLOAD,
  uriEscapePath,
} from './sigv4.js';

/** How a failed request is counted: `http_<status>`, `timeout`, `reset`, `refused`, `integrity` or `other`. */
export type ErrorKind = `http_${number}` | 'timeout' | 'reset' | 'refused' | 'integrity' | 'other';

/** Outcome of one S3 request. Failures are values, not exceptions, so a run counts them and goes on. */
export interface S3Result {
  ok: boolean;
  status: number;
  /** Time to the response headers (ms), from dispatch (after signing). */
  ttfbMs: number;
  /** Time to the last body byte (ms), from dispatch. */
  totalMs: number;
  /** Time spent building and signing the request (ms): tool overhead, kept out of the latencies. */
  signMs: number;
  /** Body bytes sent (PUT) or received (GET/LIST). */
  bytes: number;
  errorKind?: ErrorKind;
  /** The S3 error code (`NoSuchKey` …) or the network error code. */
  errorCode?: string;
  /** Response body, when the call reads it as text (LIST, multipart, errors). */
  text?: string;
  etag?: string;
}

export interface S3ClientOptions {
  /** `http(s)://host:port`. */
  endpoint: string | URL;
  region?: string;
  credentials: SigV4Credentials;
  /** `path` (`/bucket/key`, default) or `virtual` (`bucket.host/key`). */
  addressing?: 'path' | 'virtual';
  /** `unsigned` (UNSIGNED-PAYLOAD, default) or `signed` (SHA-256 of each body). */
  payloadSigning?: 'unsigned' | 'signed';
  /** PEM CA to trust for HTTPS. */
  ca?: string | Buffer;
  /** Connect to this IP whatever the host name resolves to (like curl --resolve). */
  resolveTo?: string;
  /** Headers and body-gap timeout per request (ms); default 30 000. */
  timeoutMs?: number;
  /** Connections per pool (one pool per origin); default 16. */
  connections?: number;
}

/** A request as the client sends it: raw bucket, key and query; the client escapes and signs. */
export interface S3Request {
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';
  bucket: string;
  key?: string;
  query?: Record<string, string>;
  body?: Buffer;
  headers?: Record<string, string>;
  /** `discard` counts (and optionally verifies) body bytes; `text` keeps the body. Default `discard`. */
  read?: 'discard' | 'text';
  /** Expected body bytes; a mismatch is an `integrity` error. */
  expect?: Buffer;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** Maps a thrown network error to the kind it is counted as. */
export function classifyError(error: unknown): { kind: ErrorKind; code: string } {
  const code = String((error as { code?: unknown } | null)?.code ?? (error as Error | null)?.name ?? 'unknown');
  if (TIMEOUT_CODES.has(code)) return { kind: 'timeout', code };
  if (RESET_CODES.has(code)) return { kind: 'reset', code };
  if (code === 'ECONNREFUSED') return { kind: 'refused', code };
  return { kind: 'other', code };
}

function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10));
  });
}

function xmlTag(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? xmlUnescape(m[1]!) : undefined;
}

/** One page of ListObjectsV2. */
export interface ListPage {
  keys: string[];
  nextToken: string | undefined;
}

export function parseListObjects(xml: string): ListPage {
  const keys: string[] = [];
  for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(xmlUnescape(m[1]!));
  const truncated = xmlTag(xml, 'IsTruncated') === 'true';
  return { keys, nextToken: truncated ? xmlTag(xml, 'NextContinuationToken') : undefined };
}

/**
 * Collects one response for {@link S3Client.send}: status, time to headers, body bytes (counted, optionally
 * compared with the expected bytes, or kept as text) and the outcome as an {@link S3Result}. Never rejects.
 */
class ResponseSink implements Dispatcher.DispatchHandler {
  readonly #req: S3Request;
  readonly #t1: number;
  readonly #signMs: number;
  readonly #resolve: (result: S3Result) => void;
  #status = 0;
  #ttfbMs = 0;
  #etag: string | undefined;
  #bytes = 0;
  #intact = true;
  /** Body chunks kept for `read: 'text'` and for error responses (their XML names the S3 error code). */
  #chunks: Buffer[] | undefined;
  #done = false;

  constructor(req: S3Request, t1: number, signMs: number, resolve: (result: S3Result) => void) {
    this.#req = req;
    this.#t1 = t1;
    this.#signMs = signMs;
    this.#resolve = resolve;
  }

  // undici's own handler interface (`onConnect` … `onError`), the one its `request()` implements. Its
  // newer one (`onRequestStart` … `onResponseError`) is an adapter over this: per request it adds a wrapper,
  // a controller and the parsing of every response header into an object, where only the status and ETag
  // are needed here (about 1 µs of client CPU per request, 3 % in the bench).
  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.#ttfbMs = performance.now() - this.#t1;
    this.#status = statusCode;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      if (name.length === 4 && name.toString('latin1').toLowerCase() === 'etag') {
        this.#etag = rawHeaders[i + 1]!.toString('latin1');
        break;
      }
    }
    this.#chunks = statusCode >= 300 || this.#req.read === 'text' ? [] : undefined;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#chunks !== undefined) this.#chunks.push(chunk);
    else {
      const expect = this.#req.expect;
      if (expect !== undefined && this.#intact) {
        const at = this.#bytes;
        this.#intact =
          at + chunk.length <= expect.length && expect.compare(chunk, 0, chunk.length, at, at + chunk.length) === 0;
      }
    }
    this.#bytes += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.#done) return;
    this.#done = true;
    const totalMs = performance.now() - this.#t1;
    const status = this.#status;
    const ttfbMs = this.#ttfbMs;
    const signMs = this.#signMs;
    const text = this.#chunks === undefined ? undefined : Buffer.concat(this.#chunks).toString('utf8');
    if (status >= 300) {
      const code = xmlTag(text ?? '', 'Code');
      const failed: S3Result = { ok: false, status, ttfbMs, totalMs, signMs, bytes: 0, errorKind: `http_${status}` };
      if (code !== undefined) failed.errorCode = code;
      failed.text = text ?? '';
      this.#resolve(failed);
      return;
    }
    const expect = this.#req.expect;
    const bytes = this.#bytes;
    if (expect !== undefined && (!this.#intact || bytes !== expect.length)) {
      this.#resolve({
        ok: false,
        status,
        ttfbMs,
        totalMs,
        signMs,
        bytes,
        errorKind: 'integrity',
        errorCode: 'BodyMismatch',
      });
      return;
    }
    const result: S3Result = { ok: true, status, ttfbMs, totalMs, signMs, bytes: this.#req.body?.length ?? bytes };
    if (text !== undefined) result.text = text;
    if (this.#etag !== undefined) result.etag = this.#etag;
    this.#resolve(result);
  }

  onError(error: Error): void {
    if (this.#done) return;
    this.#done = true;
    const { kind, code } = classifyError(error);
    this.#resolve({
      ok: false,
      status: 0,
      ttfbMs: this.#ttfbMs,
      totalMs: performance.now() - this.#t1,
      signMs: this.#signMs,
      bytes: 0,
      errorKind: kind,
      errorCode: code,
    });
  }
}

/**
 * A small S3 client for benchmarking: undici pools (keep-alive, Nagle off), own SigV4 signing, failures
 * returned as {@link S3Result} values with their kind. Call `close()` when done.
 */
export class S3Client {
  readonly #endpoint: URL;
  /** `endpoint.host`, read once: URL getters are not free on the hot path. */
  readonly #host: string;
  /** Signs requests that carry headers of their own. */
  readonly #signer: SigV4Signer;
  /** Signs the others (host, x-amz-content-sha256, x-amz-date and the session token): nearly every request. */
  readonly #s3Signer: S3HeaderSigner;
  readonly #credentials: SigV4Credentials;
  readonly #addressing: 'path' | 'virtual';
  readonly #signed: boolean;
  readonly #timeoutMs: number;
  readonly #connections: number;
  readonly #ca: string | Buffer | undefined;
  readonly #resolveTo: string | undefined;
  readonly #pools = new Map<string, Pool>();
  /** Virtual addressing: the Host of each bucket, as its pool's URL spells it. */
  readonly #bucketHosts = new Map<string, string>();
  #dateSecond = -1;
  #amzDate = '';

  constructor(options: S3ClientOptions) {
    this.#endpoint = new URL(options.endpoint);
    this.#host = this.#endpoint.host;
    this.#credentials = options.credentials;
    const signing = { credentials: options.credentials, region: options.region ?? 'us-east-1', service: 's3' };
    this.#signer = new SigV4Signer(signing);
    this.#s3Signer = new S3HeaderSigner(signing);
    this.#addressing = options.addressing ?? 'path';
    this.#signed = options.payloadSigning === 'signed';
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#connections = options.connections ?? 16;
    this.#ca = options.ca;
    this.#resolveTo = options.resolveTo;
  }

  /**
   * Host name (and port) a bucket is addressed at. It is what the bucket's pool URL gives as its host, which
   * is exactly the Host header undici sends for that pool: requests are signed with this value and leave the
   * Host header to undici.
   */
  hostFor(bucket: string): string {
    if (this.#addressing !== 'virtual') return this.#host;
    let host = this.#bucketHosts.get(bucket);
    if (host === undefined) {
      host = new URL(`${this.#endpoint.protocol}//${bucket}.${this.#host}`).host;
      this.#bucketHosts.set(bucket, host);
    }
    return host;
  }

  #pool(host: string): Pool {
    let pool = this.#pools.get(host);
    if (pool === undefined) {
      const resolveTo = this.#resolveTo;
      pool = new Pool(`${this.#endpoint.protocol}//${host}`, {
        connections: this.#connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        connect: {
          noDelay: true,
          keepAlive: true,
          timeout: this.#timeoutMs,
          ...(this.#ca === undefined ? {} : { ca: this.#ca }),
          ...(resolveTo === undefined
            ? {}
            : {
                lookup: (_host: string, opts: object, cb: (...args: unknown[]) => void) => {
                  if ((opts as { all?: boolean }).all)
                    cb(null, [{ address: resolveTo, family: resolveTo.includes(':') ? 6 : 4 }]);
                  else cb(null, resolveTo, resolveTo.includes(':') ? 6 : 4);
                },
              }),
        } as Pool.Options['connect'],
      });
      this.#pools.set(host, pool);
    }
    return pool;
  }

  #now(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#dateSecond) {
      this.#dateSecond = second;
      this.#amzDate = toAmzDate(new Date(second * 1000));
    }
    return this.#amzDate;
  }

  /** Sends one request; never throws for HTTP or network failures. */
  send(req: S3Request): Promise<S3Result> {
    try {
      return this.#send(req);
    } catch (error) {
      // A bad request (an address that is no URL …) rejects, as it did when this was an async function.
      return Promise.reject(error);
    }
  }

  /** `send` without an async wrapper: one promise per request, not two. */
  #send(req: S3Request): Promise<S3Result> {
    const t0 = performance.now();
    const host = this.hostFor(req.bucket);
    const rawPath =
      this.#addressing === 'virtual'
        ? `/${req.key ?? ''}`
        : req.key === undefined
          ? `/${req.bucket}`
          : `/${req.bucket}/${req.key}`;
    const query = req.query === undefined ? '' : canonicalQueryString(req.query);
    const payloadHash = !this.#signed ? UNSIGNED_PAYLOAD : req.body === undefined ? EMPTY_SHA256 : sha256Hex(req.body);
    const amzDate = this.#now();
    const escapedPath = uriEscapePath(rawPath);
    const token = this.#credentials.sessionToken;
    // The Host header is signed but not passed: undici sends its pool's own, which is `host` (see hostFor).
    let headers: string[] | Record<string, string>;
    if (req.headers === undefined) {
      // Hot path: a flat list, the form undici reads with the least work.
      headers = [
        'x-amz-content-sha256',
        payloadHash,
        'x-amz-date',
        amzDate,
        'authorization',
        this.#s3Signer.authorization(req.method, escapedPath, query, host, payloadHash, amzDate),
      ];
      if (token !== undefined) headers.push('x-amz-security-token', token);
    } else {
      const signed: Record<string, string> = {
        host,
        'x-amz-date': amzDate,
        'x-amz-content-sha256': payloadHash,
        ...req.headers,
      };
      if (token !== undefined) signed['x-amz-security-token'] = token;
      const { authorization } = this.#signer.sign(
        { method: req.method, path: rawPath, headers: signed, payloadHash },
        query,
      );
      const { host: _signedHost, ...sent } = signed;
      headers = { ...sent, authorization };
    }
    const path = query === '' ? escapedPath : `${escapedPath}?${query}`;
    const t1 = performance.now();
    return new Promise<S3Result>((resolve) => {
      // `dispatch` with a handler, not `request()`: no body stream and no async iterator per request, so the
      // tool's own cost per request (signing included) stays within a few % of a plain `request()` loop.
      this.#pool(host).dispatch(
        // The headers and body timeouts are the pool's (set in #pool), not repeated per request.
        { method: req.method, path, headers, body: req.body ?? null },
        new ResponseSink(req, t1, t1 - t0, resolve),
      );
    });
  }

  putObject(bucket: string, key: string, body: Buffer): Promise<S3Result> {
    return this.send({ method: 'PUT', bucket, key, body });
  }

  getObject(bucket: string, key: string, expect?: Buffer): Promise<S3Result> {
    return this.send(expect === undefined ? { method: 'GET', bucket, key } : { method: 'GET', bucket, key, expect });
  }

  headObject(bucket: string, key: string): Promise<S3Result> {
    return this.send({ method: 'HEAD', bucket, key });
  }

  deleteObject(bucket: string, key: string): Promise<S3Result> {
    return this.send({ method: 'DELETE', bucket, key });
  }

  listObjects(bucket: string, prefix: string, maxKeys = 1000, continuationToken?: string): Promise<S3Result> {
    const query: Record<string, string> = { 'list-type': '2', prefix, 'max-keys': String(maxKeys) };
    if (continuationToken !== undefined) query['continuation-token'] = continuationToken;
    return this.send({ method: 'GET', bucket, query, read: 'text' });
  }

  headBucket(bucket: string): Promise<S3Result> {
    return this.send({ method: 'HEAD', bucket });
  }

  createBucket(bucket: string, region?: string): Promise<S3Result> {
    const body =
      region === undefined || region === 'us-east-1'
        ? undefined
        : Buffer.from(
            `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`,
          );
    return this.send(
      body === undefined ? { method: 'PUT', bucket, read: 'text' } : { method: 'PUT', bucket, body, read: 'text' },
    );
  }

  deleteBucket(bucket: string): Promise<S3Result> {
    return this.send({ method: 'DELETE', bucket, read: 'text' });
  }

  /**
   * Multipart upload of `body` in `partSize` parts, one after another. The result's `totalMs` spans create →
   * complete and `bytes` is the object size; on failure the upload is aborted (best effort).
   */
  async multipartUpload(bucket: string, key: string, body: Buffer, partSize: number): Promise<S3Result> {
    const start = performance.now();
    let signMs = 0;
    const finish = (r: S3Result, ok: boolean): S3Result => ({
      ...r,
      ok,
      signMs,
      totalMs: performance.now() - start,
      bytes: ok ? body.length : 0,
    });
    const created = await this.send({ method: 'POST', bucket, key, query: { uploads: '' }, read: 'text' });
    signMs += created.signMs;
    const uploadId = created.ok && created.text !== undefined ? xmlTag(created.text, 'UploadId') : undefined;
    if (uploadId === undefined) {
      return finish(created.ok ? { ...created, errorKind: 'other', errorCode: 'NoUploadId' } : created, false);
    }
    const etags: string[] = [];
    for (let off = 0, n = 1; off < body.length || n === 1; off += partSize, n++) {
      const part = await this.send({
        method: 'PUT',
        bucket,
        key,
        query: { partNumber: String(n), uploadId },
        body: body.subarray(off, Math.min(off + partSize, body.length)),
      });
      signMs += part.signMs;
      if (!part.ok) {
        await this.send({ method: 'DELETE', bucket, key, query: { uploadId }, read: 'text' });
        return finish(part, false);
      }
      etags.push(part.etag ?? '');
      if (off + partSize >= body.length) break;
    }
    const xml = `<CompleteMultipartUpload>${etags
      .map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`)
      .join('')}</CompleteMultipartUpload>`;
    const done = await this.send({
      method: 'POST',
      bucket,
      key,
      query: { uploadId },
      body: Buffer.from(xml),
      read: 'text',
    });
    signMs += done.signMs;
    // S3 may answer 200 with an <Error> body on complete.
    if (done.ok && done.text?.includes('<Error>')) {
      return finish({ ...done, errorKind: 'other', errorCode: xmlTag(done.text, 'Code') ?? 'CompleteFailed' }, false);
    }
    const ttfbMs = performance.now() - start - (done.totalMs - done.ttfbMs);
    return { ...finish(done, done.ok), ttfbMs };
  }

  /** Lists every key under `prefix` (all pages). */
  async listAllKeys(bucket: string, prefix: string, onPage: (keys: string[]) => Promise<void>): Promise<void> {
    let token: string | undefined;
    do {
      const res = await this.listObjects(bucket, prefix, 1000, token);
      if (!res.ok || res.text === undefined) throw requestFailed(`LIST ${bucket}/${prefix}`, res);
      const page = parseListObjects(res.text);
      await onPage(page.keys);
      token = page.nextToken;
    } while (token !== undefined);
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}

/** An `S3BENCH_REQUEST_FAILED` error describing a failed setup/cleanup request. */
export function requestFailed(what: string, res: S3Result): S3BenchError {
  const why =
    res.status > 0
      ? `HTTP ${res.status}${res.errorCode ? ` ${res.errorCode}` : ''}`
      : `${res.errorKind} (${res.errorCode})`;
  return new S3BenchError(
    'S3BENCH_REQUEST_FAILED',
    `${what} failed: ${why}; check the endpoint, bucket and credentials`,
    {
      details: { status: res.status, kind: res.errorKind, code: res.errorCode },
    },
  );
}

/** Creates an {@link S3Client}. */
export function createS3Client(options: S3ClientOptions): S3Client {
  return new S3Client(options);
}
