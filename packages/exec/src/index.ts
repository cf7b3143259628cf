export { type ExecErrorCode, ExecError, HostKeyError } from './errors.js';
export {
  type LocalExecutorOptions,
  type ResolvedLocalExecutorOptions,
  createLocalExecutor,
  resolveLocalExecutorOptions,
} from './local.js';
export {
  type SshExecutorOptions,
  type ResolvedSshExecutorOptions,
  createSshExecutor,
  resolveSshExecutorOptions,
} from './ssh.js';
export { type SshPool, type SshPoolOptions, type SshPoolStats, type SshPoolTarget, createSshPool } from './pool.js';
export {
  type KnownHostEntry,
  type HostKeyVerdict,
  parseKnownHosts,
  checkHostKey,
  knownHostsName,
  formatKnownHostsLine,
  hostKeyFingerprint,
} from './known-hosts.js';
export { type RemoteCommandParts, quoteShellArg, renderRemoteCommand } from './remote-command.js';
export {
  type ScriptedResponse,
  type ScriptedCall,
  type ScriptedExecutor,
  createScriptedExecutor,
} from './scripted.js';
