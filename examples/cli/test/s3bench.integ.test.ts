import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assessResult, type BenchResult, parseBenchResult, S3BENCH_EXIT } from '@fleet/s3bench';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetBin, oneErrorLine, runCli, runInProcess } from './run-cli.js';

// `fleet s3bench run|report|compare` as a subprocess against a real s3rver on 127.0.0.1 (it speaks the S3
// REST protocol; it does not check signatures, which @fleet/s3bench's own tests cover).
describe('fleet s3bench against s3rver', { timeout: 60_000 }, () => {
  let dir: string;
  let server: S3rver;
  let endpoint: string;
  const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
  const readResult = (file: string): BenchResult =>
    parseBenchResult(JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown, file);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-cli-s3-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3') });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a closed-loop and a rate-limited benchmark, reports one and compares them', async () => {
    // The second run's GETs are held to 20/s by a config file: against the first run's closed-loop GETs
    // that is a throughput regression, whatever the speed of the machine.
    writeFileSync(
      join(dir, 'slow.json'),
      JSON.stringify({
        endpoint,
        bucket: 'slow',
        prefix: 'slow-',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'cli-secret-never-printed' },
        groups: [
          { op: 'PUT', workers: 1, rate: 20 },
          { op: 'GET', workers: 1, rate: 20 },
        ],
        durationS: 1,
        prefill: 5,
      }),
    );
    const [fast, slow] = await Promise.all([
      runCli(
        [
          's3bench',
          'run',
          '--endpoint',
          endpoint,
          '--bucket',
          'fast',
          '--put',
          '2',
          '--get',
          '2',
          '--duration',
          '1',
          '--size',
          '4096',
          '--out',
          join(dir, 'fast.json'),
        ],
        env,
      ),
      runCli([
        's3bench',
        'run',
        '--config-file',
        join(dir, 'slow.json'),
        '--out',
        join(dir, 'slow.json.out'),
        '--json',
      ]),
    ]);
    expect(fast.code, fast.stderr).toBe(0);
    expect(fast.stdout).toContain(`result written to ${join(dir, 'fast.json')}`);
    const fastResult = readResult('fast.json');
    const byName = Object.fromEntries(fastResult.groups.map((g) => [g.name, g]));
    expect(Object.keys(byName).sort()).toEqual(['GET', 'PUT']);
    for (const g of fastResult.groups) {
      expect(g.errors, `${g.name} ${JSON.stringify(g.errorsByKind)}`).toBe(0);
      expect(g.ops).toBeGreaterThan(0);
      expect(g.workers).toBe(2);
    }
    expect(byName.PUT?.bytes).toBe((byName.PUT?.ops ?? 0) * 4096);
    expect(fastResult.config.endpoint).toBe(endpoint);
    expect(fastResult.cleanup).toMatchObject({ bucketDeleted: true, error: null });

    const printed = JSON.parse(slow.stdout) as BenchResult;
    const slowResult = readResult('slow.json.out');
    // On a loaded machine a 20/s schedule may not be held; then the run says so and exits 5, not 0.
    const verdict = assessResult(slowResult);
    expect(slow.code, slow.stderr).toBe(verdict.exitCode);
    expect([S3BENCH_EXIT.ok, S3BENCH_EXIT.targetRateMissed]).toContain(slow.code);
    if (slow.code === S3BENCH_EXIT.targetRateMissed) expect(slow.stderr).toMatch(/missed its target rate of 20\/s/);
    expect(slow.stdout + readFileSync(join(dir, 'slow.json.out'), 'utf8')).not.toContain('cli-secret-never-printed');
    expect(printed).toEqual(JSON.parse(JSON.stringify(slowResult)));
    const slowGet = slowResult.groups.find((g) => g.name === 'GET');
    expect(slowGet?.errors).toBe(0);
    // 20/s over ~1 s: about 20 intended starts, each either sent or counted as missed.
    const open = slowGet!.open!;
    expect(open.scheduled).toBeGreaterThanOrEqual(19);
    expect(open.scheduled).toBeLessThanOrEqual(21);
    expect(open.sent).toBe(slowGet!.ops);
    expect(open.sent + open.missed).toBe(open.scheduled);
    expect(slowGet?.ops).toBeGreaterThan(0);

    const [report, same, regressed] = await Promise.all([
      runCli(['s3bench', 'report', join(dir, 'fast.json'), '--out', join(dir, 'fast.html'), '--title', 'cli e2e']),
      runCli(['s3bench', 'compare', join(dir, 'fast.json'), join(dir, 'fast.json')]),
      runCli(['s3bench', 'compare', join(dir, 'fast.json'), join(dir, 'slow.json.out'), '--json']),
    ]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout.trim()).toBe(`wrote ${join(dir, 'fast.html')}`);
    const html = readFileSync(join(dir, 'fast.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('cli e2e');
    expect(html).toContain('GET');

    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('0 regression(s)');

    expect(regressed.code, regressed.stderr).toBe(1);
    const comparison = JSON.parse(regressed.stdout) as {
      regressions: Array<{ group: string; metric: string; change: number }>;
    };
    expect(comparison.regressions).toContainEqual(expect.objectContaining({ group: 'GET', metric: 'ops/s' }));
    const text = await runCli(['s3bench', 'compare', join(dir, 'fast.json'), join(dir, 'slow.json.out')]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/GET\s+ops\/s.*REGRESSION/);
  });

  it('a wrong endpoint or a broken result file is one line and a non-zero exit, no stack trace', async () => {
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ format: 's3bench-result', version: 1 }));
    const [refused, broken, missing] = await Promise.all([
      runCli(
        [
          's3bench',
          'run',
          '--endpoint',
          'http://127.0.0.1:9',
          '--bucket',
          'nowhere',
          '--put',
          '1',
          '--duration',
          '0.5',
          '--out',
          join(dir, 'refused.json'),
        ],
        env,
      ),
      runCli(['s3bench', 'report', join(dir, 'broken.json')]),
      runCli(['s3bench', 'compare', join(dir, 'fast.json'), join(dir, 'nowhere.json')]),
    ]);
    expect(refused.code).toBe(3);
    expect(oneErrorLine(refused)).toMatch(/^fleet: S3BENCH_SETUP_FAILED: .*http:\/\/127\.0\.0\.1:9.*ECONNREFUSED/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'refused.json'))).toBe(false);
    // A result that could not be written is refused before the run, not after it.
    const noFolder = await runInProcess(
      [
        's3bench',
        'run',
        '--endpoint',
        endpoint,
        '--bucket',
        'never',
        '--put',
        '1',
        '--duration',
        '5',
        '--out',
        join(dir, 'missing', 'r.json'),
      ],
      env,
    );
    expect(noFolder.code).toBe(4);
    expect(oneErrorLine(noFolder)).toMatch(/^fleet: CONFIG_INVALID: --out .*missing.* does not exist/);
    expect(broken.code).toBe(4);
    expect(oneErrorLine(broken)).toMatch(/^fleet: S3BENCH_RESULT_INVALID: /);
    expect(missing.code).toBe(4);
    expect(oneErrorLine(missing)).toMatch(/^fleet: CONFIG_INVALID: .*nowhere\.json/);
  });
  it('never invents credentials, refuses a mistyped config key, and takes --rate/--count/--prefill/--timeout', async () => {
    writeFileSync(
      join(dir, 'typo.json'),
      JSON.stringify({ endpoint, bucket: 'typo', groups: [{ op: 'PUT', workers: 1, rte: 100 }], durationS: 1 }),
    );
    const flags = ['s3bench', 'run', '--endpoint', endpoint, '--bucket', 'flags', '--out', join(dir, 'flags.json')];
    const [noCreds, typo, run] = await Promise.all([
      runInProcess([...flags, '--put', '1']),
      runInProcess(['s3bench', 'run', '--config-file', join(dir, 'typo.json'), '--out', join(dir, 'typo.out')], env),
      runCli(
        [...flags, '--get', '2', '--rate', '40', '--count', '60', '--prefill', '7', '--timeout', '5', '--progress'],
        env,
      ),
    ]);
    expect(noCreds.code).toBe(2);
    expect(oneErrorLine(noCreds)).toBe(
      'fleet: USAGE: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
    expect(typo.code).toBe(4);
    expect(oneErrorLine(typo)).toBe(
      'fleet: S3BENCH_CONFIG_INVALID: groups[0].rte: unknown option; did you mean "rate"?',
    );
    expect(existsSync(join(dir, 'typo.out'))).toBe(false);

    expect(run.code, run.stderr).toBe(0);
    const result = readResult('flags.json');
    const get = result.groups[0]!;
    expect(get).toMatchObject({ name: 'GET', mode: 'open', targetRate: 40, ops: 60, errors: 0 });
    // 60 requests at 40/s: at least 1.4 s of schedule.
    expect(result.measuredS).toBeGreaterThanOrEqual(1.4);
    expect(result.cleanup?.deleted).toBe(7);
    // Live progress on stderr (forced with --progress; on by default on a terminal).
    expect(run.stderr).toMatch(/^\[measure \d+s\] GET /m);
  });

  it('Ctrl-C stops the run, writes the partial result and exits 130', async () => {
    const out = join(dir, 'interrupted.json');
    const child = spawn(
      process.execPath,
      [
        fleetBin,
        's3bench',
        'run',
        '--endpoint',
        endpoint,
        '--bucket',
        'sigint',
        '--put',
        '2',
        '--duration',
        '120',
        '--progress',
        '--out',
        out,
      ],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const code = await new Promise<number | null>((resolvePromise) => {
      child.stderr.on('data', (d: Buffer) => {
        // The first progress line means the run is measuring: interrupt it then.
        if (!/\[measure/.test(stderr) && /\[measure/.test(stderr + d.toString())) child.kill('SIGINT');
        stderr += d.toString();
      });
      child.on('exit', (c) => resolvePromise(c));
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toContain(`s3bench: interrupted; partial result written to ${out}`);
    const result = readResult('interrupted.json');
    expect(result.aborted).toBe('stopped by signal');
    expect(result.groups[0]!.ops).toBeGreaterThan(0);
    expect(result.measuredS).toBeLessThan(60);
    expect(result.cleanup).toMatchObject({ error: null, bucketDeleted: true });
    expect(stdout).toContain('PUT total');
  });
});
