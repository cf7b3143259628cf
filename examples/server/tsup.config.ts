import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts', 'src/demo.ts'],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
});
