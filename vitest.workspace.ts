// The single list of test projects: one per package and example.
// Vitest 4 no longer reads workspace files on its own, so vitest.config.ts imports this list.
export const projectDirs = [
  'packages/core',
  'packages/sqlite',
  'packages/exec',
  'packages/consul',
  'packages/testkit',
  'packages/ipam',
  'packages/machinedb-contract',
  'packages/machinedb-client',
  'packages/machinedb',
  'packages/bootconfig',
  'packages/storage',
  'packages/rollout',
  'packages/netcheck',
  'packages/s3bench',
  'examples/server',
  'examples/cli',
  'examples/ansible-inventory',
  'scripts',
] as const;
