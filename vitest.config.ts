import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projectDirs } from './vitest.workspace.js';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import sibling packages from source, so `pnpm test` needs no build first.
const alias = projectDirs
  .filter((dir) => dir.startsWith('packages/'))
  .map((dir) => {
    const { name } = JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')) as { name: string };
    return { find: new RegExp(`^${name.replace('/', '\\/')}$`), replacement: `${root}${dir}/src/index.ts` };
  });

export default defineConfig({
  resolve: { alias },
  test: {
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
