import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/inventory.ts'],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
  // Ansible starts this script on every run: bundling the two things it takes from @fleet/core (FleetError,
  // describeError) instead of loading the whole package keeps Node's start-up the only real cost.
  noExternal: ['@fleet/core'],
});
