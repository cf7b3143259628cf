import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the package's one public entry (typed); main and demo: the scripts `pnpm start` / `pnpm demo` run.
  entry: ['src/index.ts', 'src/main.ts', 'src/demo.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
});
