#!/usr/bin/env node
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describeError, FleetError, isRetryableHttpStatus, kindOfHttpStatus } from '@fleet/core';
import { EXPORT_PATH } from './export-path.js';
import { type InventoryOptions, resolveInventoryOptions } from './options.js';
import { type InventoryDoc, buildInventory, exportQuery } from './regroup.js';

// Ansible dynamic inventory backed by the MachineDB: `--list` is ONE HTTP call (the server builds the
// whole document); `--host NAME` answers from the same document, as Ansible allows.
// Config: FLEET_URL, FLEET_TOKEN, FLEET_INVENTORY_CACHE_TTL (seconds, 0 = no cache), FLEET_INVENTORY_CACHE_DIR,
// and the grouping options of options.ts (FLEET_INVENTORY_CONFIG, FLEET_INVENTORY_STATES, FLEET_INVENTORY_GROUP_BY).

function usage(): never {
  process.stderr.write('usage: fleet-inventory --list | --host NAME\n');
  process.exit(2);
}

/**
 * One GET of the whole document. The body goes to Ansible as the server wrote it: the server already
 * validated it against the contract, and parsing 10,000 hosts only to print them again would double the
 * time Ansible waits. With `etag` (a cached copy), an unchanged document comes back as 304 and no body.
 *
 * `node:http`, not `fetch`: fetch loads undici and compiles its WebAssembly HTTP parser, and V8 finishing
 * that compilation in the background held every run's exit back by ~200 ms on the test machine, more than
 * the rest of the script took.
 */
async function fetchInventory(
  url: string,
  query: string,
  token: string | undefined,
  cached?: { body: Buffer; etag: string },
): Promise<{ body: Buffer; etag: string | null; fresh: boolean }> {
  const etag = cached?.etag;
  const target = new URL(`${EXPORT_PATH}${query}`, url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new FleetError('INVENTORY_CONFIG', `FLEET_URL must be http(s)://…, not ${target.protocol}`, {
      kind: 'invalid',
    });
  }
  // node:https (and TLS) is loaded only for https URLs: it costs ~10 ms of start-up.
  const send = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return await new Promise((resolve, reject) => {
    const unreachable = (error: Error): void =>
      reject(
        new FleetError('INVENTORY_UNREACHABLE', `cannot reach the MachineDB at ${url}: ${error.message}`, {
          kind: 'unavailable',
          retryable: true,
        }),
      );
    const req = send(
      target,
      {
        headers: {
          accept: 'application/json',
          // 2.9 MB of JSON for 10,000 hosts is ~0.1 MB gzipped; the server compresses once per change.
          'accept-encoding': 'gzip',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(etag ? { 'if-none-match': etag } : {}),
        },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', unreachable);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status === 304 && cached) return resolve({ ...cached, fresh: false });
          let body = Buffer.concat(chunks);
          if (res.headers['content-encoding'] === 'gzip') {
            try {
              // The gzip trailer holds the size (mod 2^32): one output buffer instead of 16 KiB pieces joined.
              const size = body.length >= 18 ? body.readUInt32LE(body.length - 4) : 0;
              body = gunzipSync(body, { chunkSize: Math.min(Math.max(size + 1, 64 * 1024), 512 * 1024 * 1024) });
            } catch (error) {
              return unreachable(error as Error);
            }
          }
          if (status === 200) {
            const tag = res.headers.etag;
            return resolve({ body, etag: typeof tag === 'string' ? tag : null, fresh: true });
          }
          let code = `HTTP_${status}`;
          let message = body.toString('utf8', 0, 200);
          try {
            const parsed = JSON.parse(body.toString('utf8')) as { code?: string; message?: string };
            code = parsed.code ?? code;
            message = parsed.message ?? message;
          } catch {
            // not JSON: keep the start of the body
          }
          reject(
            new FleetError(code, `GET ${target.pathname} failed (${status}): ${message}`, {
              kind: kindOfHttpStatus(status),
              retryable: isRetryableHttpStatus(status),
            }),
          );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', unreachable);
    req.end();
  });
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The server's document for `query` (`?state=deployed` …), from the cache while it is fresh. */
async function loadInventory(query: string): Promise<Buffer> {
  const url = process.env.FLEET_URL ?? 'http://127.0.0.1:8080';
  const token = process.env.FLEET_TOKEN;
  const ttl = Number(process.env.FLEET_INVENTORY_CACHE_TTL ?? '0');
  if (!(ttl > 0)) return (await fetchInventory(url, query, token)).body;
  const dir = process.env.FLEET_INVENTORY_CACHE_DIR ?? join(tmpdir(), `fleet-inventory-${process.getuid?.() ?? 'u'}`);
  // The cache key includes the token's hash so two users never read each other's view.
  const key = createHash('sha256')
    .update(`${url}\n${query}\n${token ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  const file = join(dir, `${key}.json`);
  const etagFile = `${file}.etag`;
  let age = Number.POSITIVE_INFINITY;
  try {
    age = Date.now() - statSync(file).mtimeMs;
  } catch {
    // no cache yet
  }
  const cached = age === Number.POSITIVE_INFINITY ? undefined : readOptional(file);
  if (cached !== undefined && age < ttl * 1000) return cached;
  // Expired: revalidate. An unchanged document costs the server one aggregate query and no body.
  const etag = cached === undefined ? undefined : readOptional(etagFile)?.toString('utf8');
  const fetched = await fetchInventory(url, query, token, cached && etag ? { body: cached, etag } : undefined);
  if (!fetched.fresh) {
    const now = new Date();
    utimesSync(file, now, now);
    return fetched.body;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, fetched.body, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  if (fetched.etag) writeFileSync(etagFile, fetched.etag, { mode: 0o600 });
  return fetched.body;
}

/** The document these options describe: the server's bytes as they are when they already are the answer. */
async function inventoryFor(options: InventoryOptions): Promise<Buffer | InventoryDoc> {
  const { query, passThrough } = exportQuery(options);
  const body = await loadInventory(query);
  if (passThrough) return body;
  return buildInventory(JSON.parse(body.toString('utf8')) as InventoryDoc, options);
}

async function main(argv: string[]): Promise<void> {
  const list = argv[0] === '--list' && argv.length === 1;
  const host = argv[0] === '--host' && argv.length === 2 && argv[1] ? argv[1] : undefined;
  if (!list && host === undefined) usage();
  const doc = await inventoryFor(resolveInventoryOptions(process.env, process.cwd()));
  if (list) {
    process.stdout.write(Buffer.isBuffer(doc) ? doc : JSON.stringify(doc));
    process.stdout.write('\n');
    return;
  }
  const parsed = Buffer.isBuffer(doc) ? (JSON.parse(doc.toString('utf8')) as InventoryDoc) : doc;
  process.stdout.write(`${JSON.stringify(parsed._meta.hostvars[host as string] ?? {})}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`fleet-inventory: ${describeError(error)}\n`);
  process.exit(1);
});
