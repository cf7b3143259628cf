// Re-exports for the SSH tests: the package under test and core's Executor type.
export type { Executor } from '@fleet/core';
export * from '../src/index.js';
