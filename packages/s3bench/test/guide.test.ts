import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseBenchResult } from '../src/index.js';
import { main } from './guide.example.js';
import { startS3Stub } from './s3-stub.js';

describe('guide example', () => {
  it('is quoted verbatim in docs/packages/s3bench.md', () => {
    const readme = readFileSync(new URL('../../../docs/packages/s3bench.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
    const block =
      /<!-- example: \.\.\/\.\.\/packages\/s3bench\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(example);
  });

  it('runs against an S3-shaped server and writes a result file and a report', { timeout: 120_000 }, async () => {
    const stub = await startS3Stub();
    const dir = mkdtempSync(join(tmpdir(), 's3bench-readme-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      // The reference workload at 1/125 of its size: 100 files from the same pool of 25.
      await main(stub.url, dir, 100);
      const result = parseBenchResult(readFileSync(join(dir, 'result.json'), 'utf8'));
      expect(result.groups.map((g) => g.name)).toEqual(['PUT', 'GET']);
      expect(result.groups.map((g) => [g.ops, g.errors])).toEqual([
        [100, 0],
        [100, 0],
      ]);
      expect(result.groups[0]!.sizeClasses.map((c) => [c.name, c.ops])).toEqual([
        ['256 KiB', 80],
        ['2 MiB', 20],
      ]);
      expect(result.groups[0]!.bytes).toBe(80 * 256 * 1024 + 20 * 2 * 1024 * 1024);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('id="plot-throughput"');
      expect(String(log.mock.calls[0]?.[0])).toContain('GET total');
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
      await stub.close();
    }
  });
});
