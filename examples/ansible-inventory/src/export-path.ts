import { operations } from '@fleet/machinedb-contract';

/**
 * The path of the contract's `exportAnsibleInventory` operation, taken from the contract itself. The contract is
 * a leaf package (TypeBox and the schemas, no HTTP client), bundled into the built script (see tsup.config.ts).
 */
export const EXPORT_PATH: string = operations.exportAnsibleInventory.path;
