import { expect } from 'vitest';
import { createIpam, type Ipam, isIpamError, type Store } from '../src/index.js';

/** One client's share of the race. */
export interface ClientResult {
  /** Addresses this client was handed, in order. */
  addresses: string[];
  /** How the client's last call failed (phase two only): must be IPAM_EXHAUSTED. */
  lastError: string | null;
}

/** Phase one: `count` single next-free allocations, racing the other clients. */
export async function allocateSingles(ipam: Ipam, from: string, count: number): Promise<ClientResult> {
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) addresses.push((await ipam.allocateAddress({ from })).prefix);
  return { addresses, lastError: null };
}

/**
 * Phase two: batches of 64 until the parent is exhausted, then singles until that too says
 * IPAM_EXHAUSTED. Batches are all-or-nothing, so an exhausted batch must leave nothing behind.
 */
export async function allocateUntilExhausted(ipam: Ipam, from: string): Promise<ClientResult> {
  const addresses: string[] = [];
  let lastError: string | null = null;
  for (const count of [64, 1]) {
    for (;;) {
      try {
        const got = await ipam.allocateAddresses({ from, count });
        addresses.push(...got.map((p) => p.prefix));
      } catch (error) {
        if (!isIpamError(error, 'IPAM_EXHAUSTED')) throw error;
        lastError = error.code;
        break;
      }
    }
  }
  return { addresses, lastError };
}

export const CLIENTS = 8;

export interface RaceShape {
  /** The assignment the clients allocate from. */
  parent: string;
  /** Usable addresses in it (network and broadcast stay free). */
  usable: number;
  /** Single allocations per client in phase one. */
  singles: number;
}

/** 8 × 250 = 2,000 single allocations racing in a /20, then the rest of it in batches. */
export const FULL_RACE: RaceShape = { parent: '10.20.16.0/20', usable: 4096 - 2, singles: 250 };

export async function prepare(store: Store, shape: RaceShape): Promise<void> {
  const ipam = createIpam({ store });
  await ipam.addPrefix({ prefix: '10.20.0.0/16', kind: 'reservation' });
  await ipam.addPrefix({ prefix: shape.parent, kind: 'assignment' });
}

/** Runs both phases with every client starting each phase together. */
export async function race(clients: Ipam[], shape: RaceShape): Promise<{ one: ClientResult[]; two: ClientResult[] }> {
  const one = await Promise.all(clients.map((ipam) => allocateSingles(ipam, shape.parent, shape.singles)));
  const two = await Promise.all(clients.map((ipam) => allocateUntilExhausted(ipam, shape.parent)));
  return { one, two };
}

export async function check(one: ClientResult[], two: ClientResult[], ipam: Ipam, shape: RaceShape): Promise<void> {
  const first = one.flatMap((r) => r.addresses);
  // Phase one: every single allocation succeeded and none was handed out twice.
  expect(first.length).toBe(CLIENTS * shape.singles);
  expect(new Set(first).size).toBe(first.length);
  // More than one client got an address from the first 256: they really interleaved.
  const low = shape.parent.split('.').slice(0, 3).join('.');
  expect(one.filter((r) => r.addresses.some((a) => a.startsWith(`${low}.`))).length).toBeGreaterThan(1);
  const all = [...first, ...two.flatMap((r) => r.addresses)];
  expect(new Set(all).size).toBe(all.length);
  // Exhaustion reached every client as IPAM_EXHAUSTED, after the whole parent was handed out.
  expect(two.map((r) => r.lastError)).toEqual(Array(CLIENTS).fill('IPAM_EXHAUSTED'));
  expect(all.length).toBe(shape.usable);
  // None lost: the store holds exactly what the clients were given.
  const stored = (await ipam.listChildren(shape.parent, { limit: 100_000 })).map((p) => p.prefix);
  expect(stored.sort()).toEqual([...all].sort());
  expect((await ipam.usage(shape.parent)).used).toBe(String(shape.usable));
}
