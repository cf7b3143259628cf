import { ExecError } from './errors.js';

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Quotes one word for a POSIX shell. Plain words stay as they are; anything else is wrapped in single
 * quotes, where the shell interprets nothing (`$`, backticks, `;`, newlines stay literal) and an embedded
 * `'` becomes `'\''`. NUL cannot be passed through any exec call and is refused.
 */
export function quoteShellArg(value: string): string {
  if (value.includes('\0')) {
    throw new ExecError('EXEC_INVALID_ARGUMENT', 'a command argument contains a NUL byte, which no program can receive');
  }
  if (value !== '' && PLAIN.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface RemoteCommandParts {
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * The single string an SSH server hands to the user's login shell: every word quoted, environment passed
 * through `env` (sshd drops `env` channel requests unless `AcceptEnv` allows them) and `cd` before `exec`.
 */
export function renderRemoteCommand(command: string, args: readonly string[], parts: RemoteCommandParts = {}): string {
  if (command === '') throw new ExecError('EXEC_INVALID_ARGUMENT', 'the command name is empty');
  const words: string[] = [];
  const env = Object.entries(parts.env ?? {});
  if (env.length > 0) {
    words.push('env');
    for (const [name, value] of env) {
      if (!ENV_NAME.test(name)) {
        throw new ExecError(
          'EXEC_INVALID_ARGUMENT',
          `environment variable name ${JSON.stringify(name)} is not valid: use letters, digits and '_'`,
        );
      }
      words.push(quoteShellArg(`${name}=${value}`));
    }
    // `env` would read a leading `NAME=…` command as another assignment; `--` is not portable, so refuse it.
    if (command.includes('=')) {
      throw new ExecError('EXEC_INVALID_ARGUMENT', `command ${JSON.stringify(command)} contains '=' and cannot follow env`);
    }
  }
  words.push(quoteShellArg(command), ...args.map(quoteShellArg));
  // exec: the program takes over the shell's PID (and process group), so it can be killed by that PID.
  const line = `exec ${words.join(' ')}`;
  if (parts.cwd === undefined) return line;
  return `cd ${quoteShellArg(parts.cwd)} && ${line}`;
}
