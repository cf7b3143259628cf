#!/usr/bin/env node
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, FleetError } from '@fleet/core';
import { EXPORT_PATH } from './export-path.js';

// Ansible dynamic inventory backed by the MachineDB: `--list` is ONE HTTP call (the server builds the
// whole document); `--host NAME` answers from the same document, as Ansible allows.
// Config: FLEET_URL, FLEET_TOKEN, FLEET_INVENTORY_CACHE_TTL (seconds, 0 = no cache), FLEET_INVENTORY_CACHE_DIR.

type InventoryDoc = { _meta: { hostvars: Record<string, Record<string, unknown>> } } & Record<string, unknown>;

function usage(): never {
  process.stderr.write('usage: fleet-inventory --list | --host NAME\n');
  process.exit(2);
}

/**
 * One GET of the whole document. The body goes to Ansible as the server wrote it: the server already
 * validated it against the contract, and parsing 10,000 hosts only to print them again would double the
 * time Ansible waits.
 */
async function fetchInventory(url: string, token: string | undefined): Promise<string> {
  const target = new URL(EXPORT_PATH, url);
  let res: Response;
  try {
    res = await fetch(target, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new FleetError('INVENTORY_UNREACHABLE', `cannot reach the MachineDB at ${url}: ${(error as Error).message}`);
  }
  const text = await res.text();
  if (res.status !== 200) {
    let code = `HTTP_${res.status}`;
    let message = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { code?: string; message?: string };
      code = body.code ?? code;
      message = body.message ?? message;
    } catch {
      // not JSON: keep the start of the body
    }
    throw new FleetError(code, `GET ${target.pathname} failed (${res.status}): ${message}`);
  }
  return text;
}

async function loadInventory(): Promise<string> {
  const url = process.env.FLEET_URL ?? 'http://127.0.0.1:8080';
  const token = process.env.FLEET_TOKEN;
  const ttl = Number(process.env.FLEET_INVENTORY_CACHE_TTL ?? '0');
  if (!(ttl > 0)) return await fetchInventory(url, token);
  const dir = process.env.FLEET_INVENTORY_CACHE_DIR ?? join(tmpdir(), `fleet-inventory-${process.getuid?.() ?? 'u'}`);
  // The cache key includes the token's hash so two users never read each other's view.
  const key = createHash('sha256')
    .update(`${url}\n${token ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  const file = join(dir, `${key}.json`);
  try {
    if (Date.now() - statSync(file).mtimeMs < ttl * 1000) return readFileSync(file, 'utf8');
  } catch {
    // no cache yet
  }
  const text = await fetchInventory(url, token);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return text;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--list' && argv.length === 1) {
    process.stdout.write(`${await loadInventory()}\n`);
    return;
  }
  if (argv[0] === '--host' && argv.length === 2 && argv[1]) {
    const doc = JSON.parse(await loadInventory()) as InventoryDoc;
    process.stdout.write(`${JSON.stringify(doc._meta.hostvars[argv[1]] ?? {})}\n`);
    return;
  }
  usage();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`fleet-inventory: ${describeError(error)}\n`);
  process.exit(1);
});
