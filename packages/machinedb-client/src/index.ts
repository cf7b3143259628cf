/**
 * The MachineDB API contract (schemas, static types, the operations table), re-exported from its own package.
 *
 * @deprecated Moved to `@fleet/machinedb-contract`: import these names from `@fleet/machinedb-contract`.
 * This re-export goes in the next minor version. (TypeScript does not carry a `@deprecated` tag through
 * `export *` to each name, so editors do not strike them through; the changeset and README say it.)
 */
export * from '@fleet/machinedb-contract';
// The client and the node agent (owned by this package).
export { MachineDbError, MachineDbClientError } from './errors.js';
export {
  type MachineDbClient,
  type MachineDbClientOptions,
  type ResolvedMachineDbClientOptions,
  type RequestInput,
  createMachineDbClient,
  resolveMachineDbClientOptions,
} from './client.js';
export {
  type IpInterface,
  type LshwFacts,
  type DmiSection,
  type DmiFacts,
  type LldpFacts,
  type BmcFacts,
  cleanText,
  derivedByIdPaths,
  parseLsblk,
  parseIpLinks,
  parseLshw,
  parseDmiSections,
  parseDmidecode,
  parseLldpctl,
  parseIpmiLan,
  parseMeminfo,
  parseCpuinfo,
} from './inventory/parse.js';
export {
  type InventoryFiles,
  type CollectInventoryOptions,
  localFiles,
  collectInventory,
} from './inventory/collect.js';
export { createAgentExecutor } from './agent/local-executor.js';
export {
  type AgentEvent,
  type AgentOutcome,
  type AgentResult,
  type RunAgentOptions,
  runAgent,
  planBmcCommands,
} from './agent/agent.js';
