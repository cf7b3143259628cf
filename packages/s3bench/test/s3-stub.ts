import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** What to do with the n-th request of an operation (n counts from 1 per operation). */
export interface Fault {
  delayMs?: number;
  status?: number;
  /** Destroy the socket without answering (a connection reset). */
  reset?: boolean;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
}

export interface S3StubOptions {
  /** Bytes of every GET body. */
  objectSize?: number;
  fault?: (op: string, n: number) => Fault | undefined;
  /** Keys LIST answers with (one page); by default the keys PUT and not DELETEd since, under the prefix. */
  listKeys?: readonly string[];
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export interface S3Stub {
  url: string;
  counts: Map<string, number>;
  /** Keys stored (PUT answered 2xx, not DELETEd since). */
  keys: Set<string>;
  close(): Promise<void>;
}

function opOf(req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://x');
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (parts.length <= 1) return url.searchParams.has('list-type') ? 'LIST' : `${req.method}_BUCKET`;
  return req.method ?? 'GET';
}

/** The object key of a path-style request (`/bucket/key`). */
function keyOf(req: IncomingMessage): string {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  return decodeURIComponent(path.split('/').slice(2).join('/'));
}

/** A tiny S3-shaped server on 127.0.0.1:0 that answers every call and injects the faults it is told to. */
export async function startS3Stub(options: S3StubOptions = {}): Promise<S3Stub> {
  const body = Buffer.alloc(options.objectSize ?? 1024, 120);
  const counts = new Map<string, number>();
  const keys = new Set<string>();
  const sockets = new Set<Socket>();
  const answer = (req: IncomingMessage, res: ServerResponse, op: string): void => {
    if (op === 'GET') {
      res.writeHead(200, { 'content-length': body.length, etag: '"stub"' });
      res.end(body);
    } else if (op === 'HEAD') {
      res.writeHead(200, { 'content-length': body.length, etag: '"stub"' });
      res.end();
    } else if (op === 'LIST') {
      const prefix = new URL(req.url ?? '/', 'http://x').searchParams.get('prefix') ?? '';
      const listed = options.listKeys ?? [...keys].filter((k) => k.startsWith(prefix));
      const xml = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><KeyCount>${listed.length}</KeyCount>${listed
        .map((k) => `<Contents><Key>${k}</Key></Contents>`)
        .join('')}<IsTruncated>false</IsTruncated></ListBucketResult>`;
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
    } else if (op === 'DELETE' || op === 'DELETE_BUCKET') {
      keys.delete(keyOf(req));
      res.writeHead(204);
      res.end();
    } else {
      if (op === 'PUT') keys.add(keyOf(req));
      res.writeHead(200, { etag: '"stub"', 'content-length': 0 });
      res.end();
    }
    void req;
  };
  const handler: RequestListener = (req, res) => {
    const op = opOf(req);
    const n = (counts.get(op) ?? 0) + 1;
    counts.set(op, n);
    req.resume();
    req.on('end', () => {
      const fault = options.fault?.(op, n);
      if (fault?.hang) return;
      if (fault?.reset) {
        req.socket.destroy();
        return;
      }
      const respond = (): void => {
        if (fault?.status !== undefined) {
          const xml = `<?xml version="1.0"?><Error><Code>Injected${fault.status}</Code><Message>injected</Message></Error>`;
          res.writeHead(fault.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
          res.end(xml);
          return;
        }
        answer(req, res, op);
      };
      if (fault?.delayMs) {
        // setTimeout counts from libuv's cached loop time, which can be a few ms stale on a busy box:
        // wait again until the full delay has really passed, so a "200 ms" answer is never 198 ms.
        const due = performance.now() + fault.delayMs;
        const wait = (): void => {
          const left = due - performance.now();
          if (left > 0) setTimeout(wait, Math.ceil(left));
          else respond();
        };
        wait();
      } else respond();
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  server.keepAliveTimeout = 60_000;
  server.on(options.tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    counts,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
