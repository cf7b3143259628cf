export {
  type ServiceEnv,
  type ScratchDatabase,
  type SshdOptions,
  type TestSshd,
  serviceEnv,
  servicesDir,
  hasService,
  createScratchDatabase,
  freePort,
  startSshd,
} from './services.js';
export {
  type ConsulDouble,
  type ConsulDoubleOptions,
  type ConsulDoublePeer,
  type ConsulDoubleRequest,
  type SeedNode,
  type SeedService,
  type SeedCheck,
  startConsulDouble,
  federateConsulDoubles,
} from './consul/double.js';
export type { CheckStatus } from './consul/state.js';
export { type ConsulTarget, type ConsulTargetOptions, startConsulTarget } from './consul/target.js';
export { parseGoDuration, formatGoDuration } from './consul/duration.js';
export { type PrivatePostgres, type PrivatePostgresOptions, startPrivatePostgres } from './private-postgres.js';
export { type GrubBoot, type GrubEmu, createGrubEmu, hasGrubEmu } from './grub-emu.js';
