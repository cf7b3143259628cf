import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { ProgressReporter } from './scripts/progress-reporter.js';
import { projectDirs } from './vitest.workspace.js';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import sibling packages from source, so `pnpm test` needs no build first (the server example is a
// package too: the CLI's and the inventory's tests start it through its public entry).
const alias = projectDirs
  .filter((dir) => dir.startsWith('packages/') || dir === 'examples/server')
  .map((dir) => {
    const { name } = JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')) as { name: string };
    return { find: new RegExp(`^${name.replace('/', '\\/')}$`), replacement: `${root}${dir}/src/index.ts` };
  });

// FLEET_TEST_REPORT=file adds a JSON report beside the console output (.ci/run sums them per runtime).
const report = process.env.FLEET_TEST_REPORT;
// FLEET_TEST_PROGRESS=file logs each test file and test as it starts and ends (scripts/bounded-test.sh reads it
// to name what still runs when a run overruns its budget).
const progress = process.env.FLEET_TEST_PROGRESS ? [new ProgressReporter(process.env.FLEET_TEST_PROGRESS)] : [];

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', ...(report ? ([['json', { outputFile: report }]] as const) : []), ...progress],
    // A flaky test is fixed, never retried away.
    retry: 0,
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/')[1] ?? dir,
        root: `${root}${dir}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
