import { type ExecOptions, type ExecResult, type Executor, ValidationError } from '@fleet/core';

const NETNS = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A network namespace name as `ip netns` accepts it, refusing path tricks (`..`, `/`). */
export function validateNamespaceName(value: unknown, field = 'namespace'): string {
  if (typeof value !== 'string' || !NETNS.test(value) || value.includes('..')) {
    throw new ValidationError(
      field,
      `${field} ${JSON.stringify(String(value))} is not a namespace name: use letters, digits, '_', '.', '-' (at most 64)`,
    );
  }
  return value;
}

/**
 * Runs every command inside network namespace `namespace` (`ip netns exec NS …`) through `inner`, so a
 * check can probe from a namespace on this host or on a node over SSH. Needs root where it runs.
 */
export function createNetnsExecutor(namespace: string, inner: Executor): Executor {
  const ns = validateNamespaceName(namespace);
  return {
    target: `${inner.target}/netns:${ns}`,
    run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult> {
      return inner.run('ip', ['netns', 'exec', ns, command, ...args], options);
    },
  };
}
