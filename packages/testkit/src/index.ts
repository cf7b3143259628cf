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
