import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Executor } from '@fleet/core';
import { type CommandContext, type OptionSpec, str } from './command.js';
import { configError } from './errors.js';
import { intFlag } from './flags.js';

/** Flags shared by commands that run tools on this host or, over SSH, on a node. */
export const EXECUTOR_OPTIONS: OptionSpec = {
  ssh: { type: 'string', arg: 'HOST', description: 'run on this host over SSH (default: this host)' },
  'ssh-port': { type: 'string', arg: 'N', description: 'SSH port (default: config ssh.port, else 22)' },
  'ssh-user': { type: 'string', arg: 'USER', description: 'SSH user (default: config ssh.user, else root)' },
  identity: {
    type: 'string',
    arg: 'KEY',
    description: 'SSH private key (default: config ssh.identity, else ~/.ssh/id_ed25519)',
  },
  'known-hosts': {
    type: 'string',
    arg: 'FILE',
    description: 'host keys to check against (default: config ssh.knownHosts, else ~/.ssh/known_hosts)',
  },
};

/** `--ssh HOST` gives an SSH executor (known_hosts checked), otherwise this host. Closed after the command. */
export async function executorFor(ctx: CommandContext): Promise<Executor> {
  const { createLocalExecutor, createSshExecutor } = await import('@fleet/exec');
  const host = str(ctx.values, 'ssh');
  if (host === undefined) return createLocalExecutor();
  const ssh = ctx.config().ssh;
  const identity =
    str(ctx.values, 'identity') ?? ssh.identity ?? (ctx.io.env.HOME ? `${ctx.io.env.HOME}/.ssh/id_ed25519` : undefined);
  const knownHosts =
    str(ctx.values, 'known-hosts') ??
    ssh.knownHosts ??
    (ctx.io.env.HOME ? `${ctx.io.env.HOME}/.ssh/known_hosts` : undefined);
  if (!identity || !knownHosts)
    throw configError(
      '--ssh needs --identity KEY and --known-hosts FILE (or ssh.identity / ssh.knownHosts in the config file)',
    );
  let privateKey: string;
  try {
    privateKey = readFileSync(resolve(ctx.io.cwd, identity), 'utf8');
  } catch {
    throw configError(`cannot read the SSH key ${identity}: pass --identity FILE`);
  }
  const executor = createSshExecutor({
    host,
    port: intFlag(ctx.values, 'ssh-port', 1, 65535) ?? ssh.port ?? 22,
    username: str(ctx.values, 'ssh-user') ?? ssh.user ?? 'root',
    privateKey,
    knownHostsPath: resolve(ctx.io.cwd, knownHosts),
  });
  ctx.onClose(() => executor.close?.());
  return executor;
}
