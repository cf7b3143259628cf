import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkExample,
  checkReadmeExamples,
  expectedOutput,
  packageReadmes,
  runExample,
  runProblems,
  // @ts-expect-error: a plain .mjs script without types
} from '../readme-examples.mjs';

interface RunResult {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  missing: string[];
}
interface Report {
  name: string;
  problems: string[];
  result?: RunResult;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 180_000; // per example; under a loaded box the slowest (machinedb) takes ~26 s
const packages: { name: string }[] = packageReadmes(root);

describe('every package README opens with a runnable example', () => {
  const reports = new Map<string, Report>();
  beforeAll(async () => {
    // Two at a time: each is a node process compiling its package's sources with tsx.
    for (const report of (await checkReadmeExamples(root, { concurrency: 2, timeoutMs: TIMEOUT_MS })) as Report[]) {
      reports.set(report.name, report);
    }
  }, 8 * TIMEOUT_MS);

  it('covers every package under packages/', () => {
    expect(packages.length).toBeGreaterThanOrEqual(14);
    expect([...reports.keys()].sort()).toEqual(packages.map((p) => p.name).sort());
  });

  it.each(packages.map((p) => p.name))('%s: the example runs, exits 0 and prints what it says', (name) => {
    const report = reports.get(name);
    expect(
      report?.problems,
      report?.result ? `stdout:\n${report.result.stdout}\nstderr:\n${report.result.stderr}` : '',
    ).toEqual([]);
    expect(report?.result?.exitCode).toBe(0);
  });
});

describe('the README example check', () => {
  const example = (body: string) =>
    [
      '# @fleet/x',
      '',
      'One line.',
      '',
      '<!-- example: test/readme.example.ts -->',
      '```ts',
      body,
      '```',
      '<!-- /example -->',
      '',
      '## Concepts',
      '',
    ].join('\n');

  it('accepts a marked example that imports the package and says what it prints', () => {
    const readme = example("import { x } from '@fleet/x';\nconsole.log(x());\n// prints: 42");
    expect(checkExample('@fleet/x', readme)).toEqual([]);
    expect(expectedOutput('a\n// prints: one\n  // prints: two  \n')).toEqual(['one', 'two']);
  });

  it('refuses a README without an example, or with it after the first section', () => {
    expect(checkExample('@fleet/x', '# @fleet/x\n\nOne line.\n\n## Use\n')).toEqual(['has no ```ts example']);
    const late = "# @fleet/x\n\n## Concepts\n\n```ts\nimport { x } from '@fleet/x';\n// prints: 1\n```\n";
    expect(checkExample('@fleet/x', late)[0]).toMatch(/does not open with its example/);
  });

  it('refuses an unmarked example, deep or relative imports, a missing import of the package and no prints', () => {
    const readme =
      "# @fleet/x\n\n```ts\nimport { y } from '@fleet/y/src/y.js';\nimport { z } from '../src/index.js';\n```\n";
    expect(checkExample('@fleet/x', readme)).toEqual([
      'example is not marked <!-- example: test/readme.example.ts --> (the type-checked file it copies)',
      'example does not import @fleet/x',
      'example imports @fleet/y/src/y.js: use public names only',
      'example imports ../src/index.js: use public names only',
      'example has no `// prints: ...` line to check',
    ]);
  });

  describe('running', () => {
    // Inside the workspace, like the real runs, so tsx and the tsconfig resolve.
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(root, 'scripts', '.readme-examples-test-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(
      'passes an example that prints what it says, and fails one that prints something else',
      async () => {
        const good = (await runExample("console.log('hello', 6 * 7);\n// prints: hello 42\n", {
          root,
          dir,
        })) as RunResult;
        expect(runProblems(good, 1000)).toEqual([]);
        const wrong = (await runExample("console.log('hello', 41);\n// prints: hello 42\n", {
          root,
          dir,
        })) as RunResult;
        expect(runProblems(wrong, 1000)).toEqual(['stdout lacks "hello 42"']);
      },
      2 * TIMEOUT_MS,
    );

    it(
      'fails an example that throws, with the error in the problem, and one that does not finish',
      async () => {
        const broken = (await runExample("throw new Error('no such node');\n// prints: x\n", {
          root,
          dir,
        })) as RunResult;
        const problems = runProblems(broken, 1000);
        expect(problems[0]).toMatch(/^exited 1: .*no such node/);
        expect(problems[1]).toBe('stdout lacks "x"');
        const stuck = (await runExample('setInterval(() => {}, 1000);\n', { root, dir, timeoutMs: 3000 })) as RunResult;
        expect(stuck.timedOut).toBe(true);
        expect(runProblems(stuck, 3000)).toEqual(['did not finish within 3000 ms']);
      },
      2 * TIMEOUT_MS,
    );
  });
});
