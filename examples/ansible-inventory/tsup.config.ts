import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/inventory.ts'],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
  // Ansible starts this script on every run: bundling the two things it takes from @fleet/core (FleetError,
  // describeError) and the export path from @fleet/machinedb-contract instead of loading the whole packages
  // keeps Node's start-up the main cost.
  noExternal: ['@fleet/core', '@fleet/machinedb-contract'],
});
