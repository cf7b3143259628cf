#!/usr/bin/env node
// Runs the example every package README opens with. The first ```ts block of packages/<name>/README.md,
// before the first `##` section, must be the verbatim copy of test/readme.example.ts (marked
// `<!-- example: test/readme.example.ts -->`, so the package's `typecheck` type-checks it), import the
// package by its public name, and end with `// prints: <text>` lines. Each block is written to a temp file
// inside its package (so `@fleet/*` and the package's own dependencies resolve; `@fleet/*` maps to the
// sources through tsconfig.base.json, so no build is needed), run with `node --import tsx`, and must exit
// 0 within the timeout with every `prints` text in its stdout.
//   node scripts/readme-examples.mjs [name ...]   run all (or the named) packages' examples, 2 at a time
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE_FILE = 'test/readme.example.ts';

/** The first ```ts block of a README and where it stands, or a problem. */
export function extractExample(readme) {
  const firstSection = readme.search(/^## /m);
  const block = /(<!--\s*example:\s*(\S+)\s*-->\s*\n)?```(?:ts|typescript)\n([\s\S]*?)```/.exec(readme);
  if (!block) return { problem: 'has no ```ts example' };
  if (firstSection !== -1 && block.index > firstSection) {
    return { problem: 'does not open with its example (the first ```ts block comes after the first ## section)' };
  }
  return { code: block[3], marker: block[2] };
}

/** The `// prints: text` lines of an example, in order. */
export function expectedOutput(code) {
  return [...code.matchAll(/^\s*\/\/ prints: (.*\S)\s*$/gm)].map((m) => m[1]);
}

/** Problems with one package's README example that need no run: missing, misplaced, unmarked, no prints. */
export function checkExample(name, readme) {
  const found = extractExample(readme);
  if (found.problem) return [found.problem];
  const problems = [];
  if (found.marker !== EXAMPLE_FILE) {
    problems.push(`example is not marked <!-- example: ${EXAMPLE_FILE} --> (the type-checked file it copies)`);
  }
  if (!new RegExp(`from '${name.replace('/', '\\/')}'`).test(found.code)) {
    problems.push(`example does not import ${name}`);
  }
  for (const m of found.code.matchAll(/from '([^']+)'/g)) {
    if (m[1].startsWith('.') || /^@fleet\/[^/]+\//.test(m[1]))
      problems.push(`example imports ${m[1]}: use public names only`);
  }
  if (expectedOutput(found.code).length === 0) problems.push('example has no `// prints: ...` line to check');
  return problems;
}

/** Every package under packages/: its name, directory and README text (undefined when there is none). */
export function packageReadmes(root) {
  const base = join(root, 'packages');
  return readdirSync(base)
    .filter((dir) => existsSync(join(base, dir, 'package.json')))
    .sort()
    .map((dir) => {
      const readmePath = join(base, dir, 'README.md');
      return {
        name: JSON.parse(readFileSync(join(base, dir, 'package.json'), 'utf8')).name,
        dir: join(base, dir),
        readme: existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : undefined,
      };
    });
}

/**
 * Runs `code` as `<dir>/.readme-example-XXXX/example.ts` with tsx from `root`; resolves to exit code, output
 * and the `prints` lines missing from stdout. The temp directory is removed afterwards.
 */
export function runExample(code, { root, dir, timeoutMs = 60_000 }) {
  const tmp = mkdtempSync(join(dir, '.readme-example-'));
  const file = join(tmp, 'example.ts');
  writeFileSync(file, code);
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json'), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      rmSync(tmp, { recursive: true, force: true });
      const missing = expectedOutput(code).filter((text) => !stdout.includes(text));
      done({
        exitCode,
        signal,
        timedOut,
        stdout,
        stderr,
        missing,
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}

/** One line per failure of a run (empty when it passed). */
export function runProblems(result, timeoutMs) {
  const problems = [];
  if (result.timedOut) problems.push(`did not finish within ${timeoutMs} ms`);
  else if (result.exitCode !== 0) {
    // The thrown error's own line (`StorageError: no disk matches …`), not the stack under it.
    const lines = result.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^Node\.js v/.test(l));
    const error = lines.find((l) => /^(?:[A-Z]\w*)?(?:Error|Exception)\b.*:/.test(l)) ?? lines.at(-1);
    problems.push(`exited ${result.exitCode ?? result.signal}${error ? `: ${error}` : ''}`);
  }
  for (const text of result.missing) problems.push(`stdout lacks "${text}"`);
  return problems;
}

/** Runs `tasks` (functions returning promises) at most `limit` at a time; results in order. */
export async function inPool(tasks, limit = 2) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Checks and runs every package's README example; resolves to `{ name, problems, result }` per package. */
export async function checkReadmeExamples(root, { only = [], concurrency = 2, timeoutMs = 60_000 } = {}) {
  const packages = packageReadmes(root).filter(
    (p) => only.length === 0 || only.some((o) => p.name.endsWith(`/${o}`) || p.name === o),
  );
  return inPool(
    packages.map((pkg) => async () => {
      const { name, dir } = pkg;
      if (pkg.readme === undefined) return { name, dir, problems: ['has no README.md'] };
      const problems = checkExample(name, pkg.readme);
      const found = extractExample(pkg.readme);
      if (found.problem) return { name, dir, problems };
      const result = await runExample(found.code, { root, dir, timeoutMs });
      return { name, dir, problems: [...problems, ...runProblems(result, timeoutMs)], result };
    }),
    concurrency,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const reports = await checkReadmeExamples(root, { only: process.argv.slice(2) });
  for (const { name, dir, problems, result } of reports) {
    const where = relative(root, join(dir, 'README.md'));
    const took = result ? ` (${(result.durationMs / 1000).toFixed(1)} s)` : '';
    if (problems.length === 0) console.log(`ok    ${name}${took}`);
    for (const p of problems) console.error(`FAIL  ${name} (${where}): ${p}`);
  }
  process.exitCode = reports.some((r) => r.problems.length) ? 1 : 0;
}
