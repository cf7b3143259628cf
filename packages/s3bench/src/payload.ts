import { randomFillSync } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PayloadConfig, SizeDistribution } from './config.js';
import { maxSize } from './config.js';
import { S3BenchError } from './errors.js';

/** Small fast seeded PRNG (mulberry32): reproducible sizes and key picks without allocation. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a sampler drawing object sizes (bytes) from `size`. */
export function createSizeSampler(size: SizeDistribution, random: () => number): () => number {
  switch (size.kind) {
    case 'fixed':
      return () => size.bytes;
    case 'uniform':
      return () => size.min + Math.floor(random() * (size.max - size.min + 1));
    case 'lognormal': {
      const mu = Math.log(size.median);
      const min = size.min ?? 0;
      return () => {
        // Box-Muller; 1 - random() avoids log(0).
        const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
        const v = Math.round(Math.exp(mu + size.sigma * z));
        return Math.max(min, Math.min(v, size.max));
      };
    }
    case 'buckets': {
      const total = size.buckets.reduce((n, b) => n + b.weight, 0);
      return () => {
        let r = random() * total;
        for (const b of size.buckets) {
          r -= b.weight;
          if (r < 0 || b === size.buckets[size.buckets.length - 1]) {
            return b.min + Math.floor(random() * (b.max - b.min + 1));
          }
        }
        return 0;
      };
    }
  }
}

/**
 * A seed for stream `n` of `seed`: separate, reproducible random streams (one per object sequence number,
 * one per group), so what one group draws never shifts what another gets.
 */
export function streamSeed(seed: number, n: number): number {
  let h = (seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A size class results report latency for: objects of minBytes ≤ size ≤ maxBytes. */
export interface SizeClass {
  name: string;
  minBytes: number;
  maxBytes: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
// Classes for payloads that are not a pool: a class per factor of 16.
const RANGE_CLASSES: readonly SizeClass[] = [
  { name: '< 64 KiB', minBytes: 0, maxBytes: 64 * KiB - 1 },
  { name: '64 KiB – 1 MiB', minBytes: 64 * KiB, maxBytes: MiB - 1 },
  { name: '1 – 16 MiB', minBytes: MiB, maxBytes: 16 * MiB - 1 },
  { name: '≥ 16 MiB', minBytes: 16 * MiB, maxBytes: Number.MAX_SAFE_INTEGER },
];

function sizeName(bytes: number): string {
  if (bytes >= MiB && bytes % (MiB / 8) === 0) return `${bytes / MiB} MiB`;
  if (bytes >= KiB && bytes % (KiB / 8) === 0) return `${bytes / KiB} KiB`;
  return `${bytes} B`;
}

/** Where an object's bytes come from: `source` is a file index or an offset into the random block. */
export interface PayloadChoice {
  source: number;
  size: number;
}

/**
 * Object bodies without per-object allocation: either the files of a directory (read once) or slices of one
 * random block. An object's bytes follow from (source, size) alone, which is what makes verification cheap.
 */
export interface PayloadPool {
  readonly kind: 'generated' | 'directory' | 'pool';
  /** Files of a directory, payloads of a pool; 0 when generated. */
  readonly files: number;
  readonly largest: number;
  /** The payload of object `seq`: a function of the seed and `seq` alone, whatever else the run does. */
  choiceFor(seq: number): PayloadChoice;
  body(choice: PayloadChoice): Buffer;
  /** The size classes latency is reported for (one per distinct size of a pool). */
  readonly classes: readonly SizeClass[];
  classOf(size: number): number;
}

const OFFSET_SPAN = 64 * 1024;

/** The range class of `size` (a loop: it runs once per recorded request). */
function rangeClassOf(size: number): number {
  for (let i = 0; i < RANGE_CLASSES.length; i++) if (size <= RANGE_CLASSES[i]!.maxBytes) return i;
  return -1;
}

export async function createPayloadPool(config: PayloadConfig, seed: number): Promise<PayloadPool> {
  // Each object's draws come from its own stream, seeded by (seed, seq).
  let current = createRandom(seed);
  const random = (): number => current();
  const streamFor = (seq: number): (() => number) => {
    current = createRandom(streamSeed(seed, seq));
    return current;
  };
  if (config.kind === 'generated') {
    const largest = maxSize(config.size);
    // One random block; each object is a slice at a random offset, so objects differ without new buffers.
    const block = randomFillSync(Buffer.allocUnsafe(largest + OFFSET_SPAN));
    const sample = createSizeSampler(config.size, random);
    return {
      kind: 'generated',
      files: 0,
      largest,
      choiceFor: (seq) => ({ source: Math.floor(streamFor(seq)() * OFFSET_SPAN), size: sample() }),
      body: (c) => block.subarray(c.source, c.source + c.size),
      classes: RANGE_CLASSES,
      classOf: rangeClassOf,
    };
  }
  if (config.kind === 'pool') {
    // Payload i is the slice of one random block at offset i: unique bytes without one buffer each.
    const sizes = config.objects.flatMap((e) => Array.from({ length: e.count }, () => Number(e.size)));
    const largest = Math.max(...sizes);
    const block = randomFillSync(Buffer.allocUnsafe(largest + sizes.length));
    const distinct = [...new Set(sizes)].sort((a, b) => a - b);
    const classes = distinct.map((b) => ({ name: sizeName(b), minBytes: b, maxBytes: b }));
    return {
      kind: 'pool',
      files: sizes.length,
      largest,
      choiceFor: (seq) => {
        const i = seq % sizes.length;
        return { source: i, size: sizes[i]! };
      },
      body: (c) => block.subarray(c.source, c.source + c.size),
      classes,
      classOf: (size) => distinct.indexOf(size),
    };
  }
  let names: string[];
  try {
    names = (await readdir(config.path)).sort();
  } catch (error) {
    throw new S3BenchError('S3BENCH_PAYLOAD_INVALID', `cannot read payload directory ${config.path}; check the path`, {
      cause: error,
    });
  }
  const files: Buffer[] = [];
  for (const name of names) {
    const path = join(config.path, name);
    if ((await stat(path)).isFile()) files.push(await readFile(path));
  }
  if (files.length === 0) {
    throw new S3BenchError('S3BENCH_PAYLOAD_INVALID', `payload directory ${config.path} has no regular files`);
  }
  return {
    kind: 'directory',
    files: files.length,
    largest: Math.max(...files.map((f) => f.length)),
    choiceFor: (seq) => {
      const source = Math.floor(streamFor(seq)() * files.length);
      return { source, size: files[source]!.length };
    },
    body: (c) => files[c.source]!,
    classes: RANGE_CLASSES,
    classOf: rangeClassOf,
  };
}

/**
 * The keys known to exist, as sequence numbers in typed arrays (fixed memory: `capacity` entries). A key is
 * added only after its PUT succeeded, so GET never picks a key not yet uploaded; past `capacity` a random
 * entry is replaced (the replaced object still exists and is removed by cleanup's LIST).
 */
export class KeyRegistry {
  // Grown by doubling up to `capacity`, so a short run does not allocate (and GC) 16 MB up front.
  #seq: Uint32Array;
  #source: Uint32Array;
  #size: Float64Array;
  readonly #capacity: number;
  readonly #random: () => number;
  /** Keys a DELETE must not take because a GET/HEAD is reading them (at most one per worker). */
  readonly #pinned = new Map<number, number>();
  #length = 0;

  constructor(capacity: number, random: () => number) {
    const initial = Math.min(capacity, 1024);
    this.#seq = new Uint32Array(initial);
    this.#source = new Uint32Array(initial);
    this.#size = new Float64Array(initial);
    this.#capacity = capacity;
    this.#random = random;
  }

  #grow(): void {
    const n = Math.min(this.#capacity, this.#seq.length * 2);
    const seq = new Uint32Array(n);
    const source = new Uint32Array(n);
    const size = new Float64Array(n);
    seq.set(this.#seq);
    source.set(this.#source);
    size.set(this.#size);
    this.#seq = seq;
    this.#source = source;
    this.#size = size;
  }

  get size(): number {
    return this.#length;
  }

  add(seq: number, choice: PayloadChoice): void {
    let i = this.#length;
    if (i === this.#seq.length && i < this.#capacity) this.#grow();
    if (i < this.#seq.length) this.#length++;
    else i = Math.floor(this.#random() * this.#length);
    this.#seq[i] = seq;
    this.#source[i] = choice.source;
    this.#size[i] = choice.size;
  }

  /**
   * Picks an existing key at random (from `random`, the caller's stream, or the registry's) and (if `pin`)
   * pins it until `unpin`; undefined when none is known yet.
   */
  pick(pin = true, random: () => number = this.#random): { seq: number; choice: PayloadChoice } | undefined {
    if (this.#length === 0) return undefined;
    const i = Math.floor(random() * this.#length);
    const seq = this.#seq[i]!;
    if (pin) this.#pinned.set(seq, (this.#pinned.get(seq) ?? 0) + 1);
    return { seq, choice: { source: this.#source[i]!, size: this.#size[i]! } };
  }

  unpin(seq: number): void {
    const n = this.#pinned.get(seq) ?? 0;
    if (n <= 1) this.#pinned.delete(seq);
    else this.#pinned.set(seq, n - 1);
  }

  /** Removes and returns a key no reader holds (for DELETE); undefined when none is free. */
  take(random: () => number = this.#random): number | undefined {
    for (let attempt = 0; attempt < 8 && this.#length > 0; attempt++) {
      const i = Math.floor(random() * this.#length);
      const seq = this.#seq[i]!;
      if (this.#pinned.has(seq)) continue;
      const last = --this.#length;
      this.#seq[i] = this.#seq[last]!;
      this.#source[i] = this.#source[last]!;
      this.#size[i] = this.#size[last]!;
      return seq;
    }
    return undefined;
  }
}

/**
 * Which sequence numbers were uploaded and not deleted since: one bit per key, so cleanup can delete what
 * the run left behind even where the service refuses LIST, and can say how many objects it left.
 */
export class UploadLog {
  #bits = new Uint8Array(1024);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(seq: number): void {
    const byte = seq >>> 3;
    if (byte >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(this.#bits.length * 2, byte + 1));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    const mask = 1 << (seq & 7);
    if ((this.#bits[byte]! & mask) === 0) {
      this.#bits[byte]! |= mask;
      this.#count++;
    }
  }

  delete(seq: number): void {
    const byte = seq >>> 3;
    const mask = 1 << (seq & 7);
    if (byte < this.#bits.length && (this.#bits[byte]! & mask) !== 0) {
      this.#bits[byte]! &= ~mask;
      this.#count--;
    }
  }

  has(seq: number): boolean {
    const byte = seq >>> 3;
    return byte < this.#bits.length && (this.#bits[byte]! & (1 << (seq & 7))) !== 0;
  }

  /** The logged sequence numbers, ascending. */
  *values(): IterableIterator<number> {
    for (let byte = 0; byte < this.#bits.length; byte++) {
      const b = this.#bits[byte]!;
      if (b === 0) continue;
      for (let bit = 0; bit < 8; bit++) if ((b & (1 << bit)) !== 0) yield byte * 8 + bit;
    }
  }
}
